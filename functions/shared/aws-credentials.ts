/**
 * Stands in for `@aws-sdk/credential-provider-node` in every function bundle
 * (an esbuild alias, lib/bundles/build-options.ts). Lambda, and the emulators,
 * always hand a function its credentials in environment variables; the SDK's
 * default chain would also bundle the SSO, INI-file, process, web-identity and
 * container providers and the clients they use (~140 KB minified, parsed on
 * every cold start), which the bundler cannot drop on its own
 * (aws/aws-sdk-js-v3#5516, #6087). Same exports as the package it replaces.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type Init = Parameters<typeof fromEnv>[0];
interface Expiring {
  expiration?: Date;
}

/** The SDK clients' default credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN. */
export const defaultProvider = (init: Init = {}) => fromEnv(init);

export const credentialsWillNeedRefresh = (credentials?: Expiring) => credentials?.expiration !== undefined;

export const credentialsTreatedAsExpired = (credentials?: Expiring) =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
