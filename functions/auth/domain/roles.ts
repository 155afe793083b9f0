/**
 * The admin group, as auth's construct (lib/services/auth.ts) creates it in
 * the user pool. What membership means, for every authorizer, is in
 * functions/shared/identity/roles.ts.
 */
export { ADMIN_GROUP } from '../../shared/identity/roles.js';
