import { defineService } from '../shared/service.js';
import { usersContract } from '../users/contract.js';
import { authRoutes } from './routes.js';

/**
 * One identity for the whole API (the Cognito pool and the token authorizer
 * are wired in lib/services/auth.ts): signup, login, the pre-sign-up trigger
 * and the REST API's token authorizer.
 */
export const authService = defineService({
  name: 'auth',
  routes: authRoutes,
  functions: {
    auth: {
      entry: 'auth/handler.ts',
      description: 'Signup and login against the user pool; creates the profile of each new person',
      routes: 'all',
      calls: [usersContract],
    },
    'auth-pre-sign-up': { entry: 'auth/pre-sign-up.ts', description: 'Confirms new users as they sign up' },
    'auth-token-authorizer': {
      entry: 'auth/authorizer.ts',
      description: 'Verifies bearer tokens against the user pool keys',
    },
  },
});
