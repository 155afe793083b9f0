import { createHmac } from 'node:crypto';
import {
  type AdminCreateUserCommand,
  type AdminDeleteUserCommand,
  type AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  type DescribeUserPoolClientCommand,
  type InitiateAuthCommand,
  InvalidPasswordException,
  NotAuthorizedException,
  type RevokeTokenCommand,
  UnsupportedTokenTypeException,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cognitoProvider, describedClientSecret } from '../../../functions/auth/cognito-provider.js';
import { logIn, logOut, refresh, signUp } from '../../../functions/auth/domain/identity.js';
import { ConflictError, UnauthorizedError, ValidationError } from '../../../functions/shared/errors.js';
import { memoryLoginAttempts } from '../../support/memory-login-attempts.js';

const send = vi.spyOn(CognitoIdentityProviderClient.prototype, 'send');
const SECRET = 'client-secret';
const provider = cognitoProvider('pool-1', 'client-1', async () => SECRET);
const meta = { $metadata: {} };
const ensured: unknown[] = [];
const deps = {
  provider,
  profiles: { ensure: async (profile: unknown) => ensured.push(profile) },
  attempts: memoryLoginAttempts(),
  now: () => 0,
};
/** Cognito's SECRET_HASH, computed independently of the adapter. */
const hashOf = (username: string) =>
  createHmac('sha256', SECRET).update(`${username}client-1`).digest('base64');
const inputOf = <T>(call: number) =>
  (send.mock.calls[call]?.[0] as unknown as { input: T } | undefined)?.input as T;
/** An access token as Cognito returns it; only its payload matters here. */
const accessToken = `h.${Buffer.from(JSON.stringify({ sub: 'sub-1' })).toString('base64url')}.s`;

afterEach(() => {
  send.mockReset();
  ensured.length = 0;
});

describe('signup through Cognito', () => {
  it('creates the account with the admin API, the lower-cased email and a permanent password', async () => {
    send.mockResolvedValueOnce({ User: { Attributes: [{ Name: 'sub', Value: 'sub-1' }] } } as never);
    send.mockResolvedValueOnce({} as never);
    expect(await signUp(deps, { email: ' Ann@Example.COM ', password: 'Passw0rd!' })).toEqual({
      userId: 'sub-1',
      email: 'ann@example.com',
      name: 'ann',
    });
    expect(inputOf<AdminCreateUserCommand['input']>(0)).toMatchObject({
      UserPoolId: 'pool-1',
      Username: 'ann@example.com',
      TemporaryPassword: 'Passw0rd!',
      MessageAction: 'SUPPRESS',
    });
    expect(inputOf<AdminSetUserPasswordCommand['input']>(1)).toEqual({
      UserPoolId: 'pool-1',
      Username: 'ann@example.com',
      Password: 'Passw0rd!',
      Permanent: true,
    });
  });

  it('removes the account again when its password cannot be made permanent', async () => {
    send.mockResolvedValueOnce({ User: { Attributes: [{ Name: 'sub', Value: 'sub-1' }] } } as never);
    send.mockRejectedValueOnce(new Error('throttled'));
    send.mockResolvedValueOnce({} as never);
    await expect(signUp(deps, { email: 'a@b.io', password: 'Passw0rd!' })).rejects.toThrow('throttled');
    expect(inputOf<AdminDeleteUserCommand['input']>(2)).toEqual({ UserPoolId: 'pool-1', Username: 'sub-1' });
  });

  it('reports a weak password as a 400 on body.password, with the policy it broke', async () => {
    send.mockRejectedValue(
      new InvalidPasswordException({
        message: 'Password did not conform with policy: Password must have numeric characters',
        ...meta,
      }),
    );
    const error = await signUp(deps, { email: 'a@b.io', password: 'weakpass' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { field: 'body.password', message: 'is too weak: Password must have numeric characters' },
    ]);
  });

  it('reports an existing user as a conflict', async () => {
    send.mockRejectedValue(new UsernameExistsException({ message: 'User already exists', ...meta }));
    await expect(signUp(deps, { email: 'a@b.io', password: 'Passw0rd!' })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });
});

describe('login through Cognito', () => {
  it('returns the tokens of the password flow', async () => {
    send.mockResolvedValue({
      AuthenticationResult: { AccessToken: accessToken, IdToken: 'i', RefreshToken: 'r', ExpiresIn: 3600 },
    } as never);
    expect(await logIn(deps, { email: 'A@B.io', password: 'Passw0rd!' })).toEqual({
      userId: 'sub-1',
      tokens: { accessToken, idToken: 'i', refreshToken: 'r', expiresIn: 3600, tokenType: 'Bearer' },
    });
    const [[command]] = send.mock.calls as unknown as [[InitiateAuthCommand]];
    expect(command.input).toMatchObject({
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'a@b.io', PASSWORD: 'Passw0rd!', SECRET_HASH: hashOf('a@b.io') },
    });
    expect(ensured).toEqual([{ id: 'sub-1', email: 'a@b.io', name: 'a' }]);
  });

  it.each([
    ['a wrong password', new NotAuthorizedException({ message: 'Incorrect username or password.', ...meta })],
    ['an unknown user', new UserNotFoundException({ message: 'User does not exist.', ...meta })],
  ])('answers %s with the same 401', async (_case, failure) => {
    send.mockRejectedValue(failure);
    const error = await logIn(deps, { email: 'a@b.io', password: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as Error).message).toBe('wrong email or password');
  });
});

describe('token refresh through Cognito', () => {
  it('returns new access and ID tokens of the refresh-token flow', async () => {
    send.mockResolvedValue({
      AuthenticationResult: { AccessToken: 'a2', IdToken: 'i2', ExpiresIn: 3600 },
    } as never);
    expect(await refresh(provider, { userId: 'sub-1', refreshToken: 'r' })).toEqual({
      accessToken: 'a2',
      idToken: 'i2',
      expiresIn: 3600,
      tokenType: 'Bearer',
    });
    const [[command]] = send.mock.calls as unknown as [[InitiateAuthCommand]];
    expect(command.input).toMatchObject({
      ClientId: 'client-1',
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: 'r', SECRET_HASH: hashOf('sub-1') },
    });
  });

  it('answers a revoked or expired refresh token with 401', async () => {
    send.mockRejectedValue(new NotAuthorizedException({ message: 'Refresh Token has expired', ...meta }));
    await expect(refresh(provider, { userId: 'sub-1', refreshToken: 'r' })).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
  });

  it('answers a refresh without a refresh token with 401, without asking Cognito', async () => {
    await expect(refresh(provider, undefined)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(send).not.toHaveBeenCalled();
  });
});

describe('log out through Cognito', () => {
  it('revokes the refresh token with the client secret', async () => {
    send.mockResolvedValue({} as never);
    await logOut(provider, { userId: 'sub-1', refreshToken: 'r' });
    expect(inputOf<RevokeTokenCommand['input']>(0)).toEqual({
      ClientId: 'client-1',
      ClientSecret: SECRET,
      Token: 'r',
    });
  });

  it('treats a token Cognito does not know as already revoked', async () => {
    send.mockRejectedValue(new UnsupportedTokenTypeException({ message: 'not a refresh token', ...meta }));
    await expect(logOut(provider, { userId: 'sub-1', refreshToken: 'junk' })).resolves.toBeUndefined();
  });

  it('has nothing to revoke without a session', async () => {
    await logOut(provider, undefined);
    expect(send).not.toHaveBeenCalled();
  });
});

describe('the app client secret', () => {
  it('is read from the pool once, and again only after a failed read', async () => {
    send.mockRejectedValueOnce(new Error('unavailable'));
    send.mockResolvedValue({ UserPoolClient: { ClientSecret: 's3cret' } } as never);
    const secret = describedClientSecret('pool-1', 'client-1');
    await expect(secret()).rejects.toThrow('unavailable');
    expect(await secret()).toBe('s3cret');
    expect(await secret()).toBe('s3cret');
    expect(send).toHaveBeenCalledTimes(2);
    expect(inputOf<DescribeUserPoolClientCommand['input']>(1)).toEqual({
      UserPoolId: 'pool-1',
      ClientId: 'client-1',
    });
  });
});
