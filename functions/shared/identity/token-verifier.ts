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

/** What a valid access token vouches for. */
export interface VerifiedAccess {
  userId: string;
  /** Epoch seconds the token expires at (its `exp`). */
  expiresAt: number;
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

  async function verifyAccess(token: string): Promise<VerifiedAccess> {
    try {
      const payload = await verifier.verify(token);
      if (!payload.sub) throw new Error('token has no subject');
      // The verifier refuses a token without `exp`, so it is always there.
      return { userId: payload.sub, expiresAt: payload.exp as number };
    } catch (error) {
      throw new UnauthorizedError(`invalid token: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const subjectOf = async (token: string): Promise<string> => (await verifyAccess(token)).userId;
  const bearer = (authorization: string | undefined): string | undefined =>
    /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authorization?.trim() ?? '')?.[1];

  return {
    /** The JWKS cache, exposed so tests can load keys without fetching. */
    verifier,
    /** The verified user id (`sub`) of a raw access token. */
    subjectOf,
    /** The verified user id and expiry of a raw access token. */
    verifyAccess,
    /** The verified user id (`sub`) of an `Authorization: Bearer <token>` header value. */
    async userIdOf(authorization: string | undefined): Promise<string> {
      const token = bearer(authorization);
      if (!token) throw new UnauthorizedError('expected "Authorization: Bearer <access token>"');
      return subjectOf(token);
    },
    /**
     * On a public route, who is signed in: the verified user id of an
     * `Authorization: Bearer <token>` header, or `undefined` when there is
     * none or its token is not valid (the caller is then anonymous, as any
     * caller of a public route may be).
     */
    async signedInUserOf(authorization: string | undefined): Promise<string | undefined> {
      const token = bearer(authorization);
      if (!token) return undefined;
      try {
        return await subjectOf(token);
      } catch (error) {
        if (error instanceof UnauthorizedError) return undefined;
        throw error;
      }
    },
  };
}
