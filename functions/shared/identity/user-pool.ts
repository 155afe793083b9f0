import { readEnv } from '../env.js';
import { ENV } from '../env-names.js';
import { accessTokensFromEnv } from './access-tokens.js';
import { cognitoDirectory } from './cognito-directory.js';

/**
 * The user pool as an authorizer sees it, from the environment at cold start:
 * its access-token verifier and its directory (who is in which group). Shared
 * by the REST token authorizer and the live feed's `$connect` authorizer.
 */
export function userPoolFromEnv() {
  return { tokens: accessTokensFromEnv(), directory: directoryFromEnv() };
}

/** The user pool's directory alone (who exists, who is in which group), from the environment at cold start. */
export const directoryFromEnv = () => cognitoDirectory(readEnv([ENV.userPoolId]).USER_POOL_ID);
