import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { connectAuthorizer } from '../../../functions/live-feed/connect-authorizer.js';
import { createTokenVerifier } from '../../../functions/shared/identity/token-verifier.js';
import { accessTokenClaims, rsaKey, signJwt } from '../../support/jwt.js';

const config = { region: 'eu-west-1', userPoolId: 'eu-west-1_pool', clientId: 'client-1' };
const poolKey = rsaKey('pool-key');
const foreignKey = rsaKey('pool-key');
const tokens = createTokenVerifier(config);
tokens.verifier.cacheJwks({ keys: [poolKey.jwk as never] });
const groups = new Map<string, string[]>();
const authorize = connectAuthorizer(tokens, { groupsOf: async (userId) => groups.get(userId) });

const now = () => Math.floor(Date.now() / 1000);
const USER = '5b1c0e8e-0000-4000-8000-000000000001';
const ADMIN = '5b1c0e8e-0000-4000-8000-000000000002';
const GONE = '5b1c0e8e-0000-4000-8000-000000000003';
groups.set(USER, ['staff']);
groups.set(ADMIN, ['admin']);
const claims = (overrides: Record<string, unknown> = {}) =>
  accessTokenClaims(config, { sub: USER, ...overrides });
const methodArn = 'arn:aws:execute-api:eu-west-1:111111111111:ws1/v1/$connect';
const connectEvent = (query: Record<string, string> | null) =>
  ({
    type: 'REQUEST',
    methodArn,
    queryStringParameters: query,
  }) as unknown as APIGatewayRequestAuthorizerEvent;

describe('$connect authorizer', () => {
  it("allows a valid access token given as ?token= and hands over the user id, role and token's expiry", async () => {
    const token = signJwt(claims(), poolKey.privateKey, 'pool-key');
    const result = await authorize(connectEvent({ token }));
    expect(result.principalId).toBe(claims().sub);
    expect(result.context).toEqual({ userId: claims().sub, role: 'user', tokenExpiresAt: claims().exp });
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArn },
    ]);
  });

  it('gives members of the Cognito group admin the admin role, as the pool says now', async () => {
    const token = signJwt(claims({ sub: ADMIN }), poolKey.privateKey, 'pool-key');
    expect((await authorize(connectEvent({ token }))).context).toMatchObject({
      userId: ADMIN,
      role: 'admin',
    });
  });

  it('ignores groups claimed in the token: a role comes from the pool only', async () => {
    const token = signJwt(claims({ 'cognito:groups': ['admin'] }), poolKey.privateKey, 'pool-key');
    expect((await authorize(connectEvent({ token }))).context).toMatchObject({ role: 'user' });
  });

  it.each([
    ['no query string', null],
    ['an empty token', { token: '' }],
    ['a malformed token', { token: 'not-a-jwt' }],
    ['an expired token', { token: signJwt(claims({ exp: now() - 60 }), poolKey.privateKey, 'pool-key') }],
    ['a forged token', { token: signJwt(claims(), foreignKey.privateKey, 'pool-key') }],
    ['an ID token', { token: signJwt(claims({ token_use: 'id' }), poolKey.privateKey, 'pool-key') }],
    ['a token sent under another name', { access_token: signJwt(claims(), poolKey.privateKey, 'pool-key') }],
    ["a deleted account's token", { token: signJwt(claims({ sub: GONE }), poolKey.privateKey, 'pool-key') }],
  ])('denies %s', async (_case, query) => {
    const result = await authorize(connectEvent(query));
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: methodArn },
    ]);
    expect(result.context).toBeUndefined();
  });
});
