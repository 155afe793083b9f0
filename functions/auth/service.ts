import { defineService } from '../shared/service.js';
import { usersContract } from '../users/contract.js';
import { authRoutes } from './routes.js';

/**
 * One identity for the whole API (the stack's one Cognito user pool): signup
 * and login, the pool's pre-sign-up trigger, and the token authorizer of
 * every signed-in route.
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
      // AdminDeleteUser undoes a signup whose profile could not be made.
      userPool: ['AdminDeleteUser'],
    },
    'auth-pre-sign-up': {
      entry: 'auth/pre-sign-up.ts',
      description: 'Confirms new users as they sign up',
      trigger: { userPool: 'preSignUp' },
    },
    'auth-token-authorizer': {
      entry: 'auth/authorizer.ts',
      description: 'Verifies bearer tokens against the user pool keys',
      trigger: { authorizer: 'api' },
      // Roles are read from the pool on each uncached decision, never from the token's claims.
      userPool: ['AdminListGroupsForUser'],
    },
  },
});
