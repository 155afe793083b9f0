import { httpHandler } from '../shared/http/middleware.js';
import { cognitoProvider } from './cognito-provider.js';
import { logIn, refresh, signUp } from './domain/identity.js';
import { authEnv } from './env.js';
import { authRoutes } from './routes.js';

const provider = cognitoProvider(authEnv().USER_POOL_CLIENT_ID);

export const handler = httpHandler(authRoutes, {
  signup: ({ body }) => signUp(provider, body.email, body.password),
  login: ({ body }) => logIn(provider, body.email, body.password),
  refresh: ({ body }) => refresh(provider, body.refreshToken),
});
