import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { cognitoIssuer } from '../../functions/shared/identity/token-verifier.js';

/** An RSA signing key and its public JWK, as a user pool would publish it. */
export function rsaKey(kid: string): { privateKey: KeyObject; jwk: Record<string, unknown> } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

/** An RS256 JWT over `claims`, signed with `privateKey`. */
export function signJwt(claims: Record<string, unknown>, privateKey: KeyObject, kid: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', kid, typ: 'JWT' })}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
  return `${input}.${signature}`;
}

/** The claims of a valid Cognito access token for `pool`, issued 10 s ago for an hour; `overrides` replace any. */
export function accessTokenClaims(
  pool: { region: string; userPoolId: string; clientId: string },
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: 'user-1',
    iss: cognitoIssuer(pool.region, pool.userPoolId),
    token_use: 'access',
    client_id: pool.clientId,
    iat: now - 10,
    exp: now + 3600,
    ...overrides,
  };
}
