import { JwtRsaVerifier } from 'aws-jwt-verify';
import { UnauthorizedError } from '../errors.js';

export interface TokenVerifierConfig {
  region: string;
  userPoolId: string;
  clientId: string;
  /** AWS-compatible endpoint (local stack); absent on AWS. */
  endpoint?: string;
}

/** The `iss` of a user pool's tokens, the same on AWS and on the local stacks. */
export function cognitoIssuer(region: string, userPoolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/** Where the pool publishes its signing keys: under the issuer on AWS, under the endpoint locally. */
export function jwksUri({ region, userPoolId, endpoint }: TokenVerifierConfig): string {
  const base = endpoint ? `${endpoint.replace(/\/$/, '')}/${userPoolId}` : cognitoIssuer(region, userPoolId);
  return `${base}/.well-known/jwks.json`;
}

/**
 * Verifies user-pool access tokens: RS256 signature against the pool's JWKS
 * (fetched once, cached), issuer, expiry, `token_use = access` and this app's
 * client id. Anything wrong is an {@link UnauthorizedError}.
 */
export function createTokenVerifier(config: TokenVerifierConfig) {
  const verifier = JwtRsaVerifier.create({
    issuer: cognitoIssuer(config.region, config.userPoolId),
    audience: null, // access tokens carry client_id, not aud; checked below
    jwksUri: jwksUri(config),
    customJwtCheck: ({ payload }) => {
      if (payload.token_use !== 'access') throw new Error('not an access token');
      if (payload.client_id !== config.clientId) throw new Error('token issued to another client');
    },
  });

  async function subjectOf(token: string): Promise<string> {
    try {
      const payload = await verifier.verify(token);
      if (!payload.sub) throw new Error('token has no subject');
      return payload.sub;
    } catch (error) {
      throw new UnauthorizedError(`invalid token: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return {
    /** The JWKS cache, exposed so tests can load keys without fetching. */
    verifier,
    /** The verified user id (`sub`) of a raw access token. */
    subjectOf,
    /** The verified user id (`sub`) of an `Authorization: Bearer <token>` header value. */
    async userIdOf(authorization: string | undefined): Promise<string> {
      const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authorization?.trim() ?? '');
      if (!match?.[1]) throw new UnauthorizedError('expected "Authorization: Bearer <access token>"');
      return subjectOf(match[1]);
    },
  };
}
