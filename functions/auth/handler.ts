import { httpHandler } from '../shared/http/middleware.js';
import { logger } from '../shared/logger.js';
import { lambdaRpcClients } from '../shared/rpc/lambda.js';
import { usersContract } from '../users/contract.js';
import { cognitoProvider } from './cognito-provider.js';
import { type IdentityDeps, logIn, refresh, signUp } from './domain/identity.js';
import { authEnv } from './env.js';
import { authRoutes } from './routes.js';

const env = authEnv();
const provider = cognitoProvider(env.USER_POOL_ID, env.USER_POOL_CLIENT_ID);
const clients = lambdaRpcClients('auth', { users: usersContract });

const identity = (requestId: string): IdentityDeps => ({
  provider,
  profiles: {
    ensure: (profile) => clients(requestId).users.ensureProfile(profile),
  },
  onCompensationFailure: (userId, error) =>
    logger.error('signup left an account without a profile; its next login creates it', { userId, error }),
});

export const handler = httpHandler(authRoutes, {
  signup: ({ body, context }) => signUp(identity(context.requestId), body),
  login: ({ body, context }) => logIn(identity(context.requestId), body),
  refresh: ({ body }) => refresh(provider, body.refreshToken),
});
