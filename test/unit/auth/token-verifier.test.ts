import { describe, expect, it } from 'vitest';
import { wholeStage } from '../../../functions/auth/authorizer-policy.js';
import { UnauthorizedError } from '../../../functions/shared/errors.js';
import {
  cognitoIssuer,
  createTokenVerifier,
  jwksUri,
} from '../../../functions/shared/identity/token-verifier.js';
import { accessTokenClaims, rsaKey, signJwt } from '../../support/jwt.js';

const config = { region: 'eu-west-1', userPoolId: 'eu-west-1_pool', clientId: 'client-1' };
const poolKey = rsaKey('pool-key');
const foreignKey = rsaKey('pool-key'); // same kid, different key: a forgery

const tokens = createTokenVerifier(config);
tokens.verifier.cacheJwks({ keys: [poolKey.jwk as never] });

const now = () => Math.floor(Date.now() / 1000);
const claims = (overrides: Record<string, unknown> = {}) => accessTokenClaims(config, overrides);
const bearer = (token: string) => `Bearer ${token}`;

describe('bearer token verification', () => {
  it("returns the user id of a valid access token signed by the pool's key", async () => {
    const token = signJwt(claims(), poolKey.privateKey, 'pool-key');
    expect(await tokens.userIdOf(bearer(token))).toBe('user-1');
  });

  it.each([
    ['an expired token', signJwt(claims({ exp: now() - 60 }), poolKey.privateKey, 'pool-key')],
    ['a token signed by another key', signJwt(claims(), foreignKey.privateKey, 'pool-key')],
    ['an ID token', signJwt(claims({ token_use: 'id' }), poolKey.privateKey, 'pool-key')],
    ["another client's token", signJwt(claims({ client_id: 'other' }), poolKey.privateKey, 'pool-key')],
    [
      "another pool's token",
      signJwt(claims({ iss: cognitoIssuer('eu-west-1', 'eu-west-1_other') }), poolKey.privateKey, 'pool-key'),
    ],
    [
      'a token whose payload was edited',
      (() => {
        const [h, , s] = signJwt(claims(), poolKey.privateKey, 'pool-key').split('.');
        return `${h}.${Buffer.from(JSON.stringify(claims({ sub: 'admin' }))).toString('base64url')}.${s}`;
      })(),
    ],
  ])('rejects %s', async (_case, token) => {
    await expect(tokens.userIdOf(bearer(token))).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it.each([undefined, '', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer not-a-jwt', 'token-without-scheme'])(
    'rejects the header %j',
    async (header) => {
      await expect(tokens.userIdOf(header)).rejects.toBeInstanceOf(UnauthorizedError);
    },
  );
});

describe('who is signed in on a public route', () => {
  it("is the user of a valid bearer token, with the token's expiry at hand", async () => {
    const token = signJwt(claims(), poolKey.privateKey, 'pool-key');
    expect(await tokens.signedInUserOf(bearer(token))).toBe('user-1');
    expect(await tokens.verifyAccess(token)).toEqual({ userId: 'user-1', expiresAt: claims().exp });
  });

  it.each([
    ['no header', undefined],
    ['a header that is not a bearer token', 'Basic dXNlcjpwYXNz'],
    ['a malformed token', 'Bearer not-a-jwt'],
    ['an expired token', bearer(signJwt(claims({ exp: now() - 60 }), poolKey.privateKey, 'pool-key'))],
    ['a forged token', bearer(signJwt(claims(), foreignKey.privateKey, 'pool-key'))],
    ['an ID token', bearer(signJwt(claims({ token_use: 'id' }), poolKey.privateKey, 'pool-key'))],
  ])('is no one with %s', async (_case, header) => {
    expect(await tokens.signedInUserOf(header)).toBeUndefined();
  });
});

describe('where the keys come from', () => {
  it('is the issuer on AWS and the endpoint on a local stack', () => {
    expect(jwksUri(config)).toBe(
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_pool/.well-known/jwks.json',
    );
    expect(jwksUri({ ...config, endpoint: 'http://localhost:4566/' })).toBe(
      'http://localhost:4566/eu-west-1_pool/.well-known/jwks.json',
    );
  });
});

describe('authorizer policy', () => {
  it('allows the whole stage, so a cached decision serves every route', () => {
    expect(wholeStage('arn:aws:execute-api:eu-west-1:111:abc123/v1/GET/tasks/t1')).toBe(
      'arn:aws:execute-api:eu-west-1:111:abc123/v1/*',
    );
  });
});
