import { idempotencyStoreOfThisFunction } from '../shared/http/idempotency-dynamo.js';
import { httpHandler } from '../shared/http/middleware.js';
import { Reply } from '../shared/http/route.js';
import { logger } from '../shared/logger.js';
import { lambdaRpcClients } from '../shared/rpc/lambda.js';
import { usersContract } from '../users/contract.js';
import { cognitoProvider } from './cognito-provider.js';
import { type LoginDeps, logIn, logOut, refresh, signUp } from './domain/identity.js';
import { dynamoLoginAttempts } from './dynamo-attempts.js';
import { authEnv } from './env.js';
import { clearedRefreshCookie, REFRESH_COOKIE, refreshCookie, sessionOf } from './refresh-cookie.js';
import { authRoutes } from './routes.js';

const env = authEnv();
const provider = cognitoProvider(env.USER_POOL_ID, env.USER_POOL_CLIENT_ID);
const attempts = dynamoLoginAttempts(env.tables['login-attempts']);
const clients = lambdaRpcClients('auth', { users: usersContract });

const identity = (requestId: string): LoginDeps => ({
  provider,
  profiles: {
    ensure: (profile) => clients(requestId).users.ensureProfile(profile),
  },
  attempts,
  now: Date.now,
  onCompensationFailure: (userId, error) =>
    logger.error('signup left an account without a profile; its next login creates it', { userId, error }),
});

export const handler = httpHandler(
  authRoutes,
  {
    signup: ({ body, context }) => signUp(identity(context.requestId), body),
    login: async ({ body, context }) => {
      const { userId, tokens } = await logIn(identity(context.requestId), body);
      const { refreshToken, ...answer } = tokens;
      return new Reply(200, answer, undefined, {}, [refreshCookie({ userId, refreshToken })]);
    },
    refresh: ({ cookies }) => refresh(provider, sessionOf(cookies[REFRESH_COOKIE])),
    logout: async ({ cookies }) => {
      await logOut(provider, sessionOf(cookies[REFRESH_COOKIE]));
      return new Reply(204, undefined, undefined, {}, [clearedRefreshCookie]);
    },
  },
  { idempotency: idempotencyStoreOfThisFunction() },
);
