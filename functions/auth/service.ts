import { defineService } from '../shared/service.js';
import { usersContract } from '../users/contract.js';
import { authRoutes } from './routes.js';

/**
 * One identity for the whole API (the stack's one Cognito user pool): signup,
 * login (throttled per email), refresh and logout, the pool's pre-sign-up
 * trigger, and the token authorizer of every signed-in route.
 */
export const authService = defineService({
  name: 'auth',
  routes: authRoutes,
  tables: {
    // Failed logins per email (functions/auth/domain/login-throttle.ts), gone once they no longer matter.
    'login-attempts': { partitionKey: 'key', timeToLiveAttribute: 'expiresAt' },
  },
  functions: {
    auth: {
      entry: 'auth/handler.ts',
      description:
        'Signup, login, refresh and logout against the user pool; creates the profile of each new person',
      routes: 'all',
      calls: [usersContract],
      tables: { 'login-attempts': ['GetItem', 'PutItem', 'DeleteItem'] },
      // Accounts are made with the admin API (the pool refuses self-service sign-up); AdminDeleteUser
      // undoes a signup whose profile could not be made; the app client's secret is read at cold start.
      userPool: ['AdminCreateUser', 'AdminSetUserPassword', 'AdminDeleteUser', 'DescribeUserPoolClient'],
    },
    'auth-pre-sign-up': {
      entry: 'auth/pre-sign-up.ts',
      description: 'Refuses self-service sign-up: accounts are made through the API only',
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
