import {
  CognitoIdentityProviderClient,
  type InitiateAuthCommand,
  InvalidPasswordException,
  NotAuthorizedException,
  type SignUpCommand,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cognitoProvider } from '../../../functions/auth/cognito-provider.js';
import { logIn, refresh, signUp } from '../../../functions/auth/domain/identity.js';
import { ConflictError, UnauthorizedError, ValidationError } from '../../../functions/shared/errors.js';

const send = vi.spyOn(CognitoIdentityProviderClient.prototype, 'send');
const provider = cognitoProvider('pool-1', 'client-1');
const meta = { $metadata: {} };
const ensured: unknown[] = [];
const deps = { provider, profiles: { ensure: async (profile: unknown) => ensured.push(profile) } };
/** An access token as Cognito returns it; only its payload matters here. */
const accessToken = `h.${Buffer.from(JSON.stringify({ sub: 'sub-1' })).toString('base64url')}.s`;

afterEach(() => {
  send.mockReset();
  ensured.length = 0;
});

describe('signup through Cognito', () => {
  it('signs up with the lower-cased email and returns the new user id', async () => {
    send.mockResolvedValue({ UserSub: 'sub-1', UserConfirmed: true } as never);
    expect(await signUp(deps, { email: ' Ann@Example.COM ', password: 'Passw0rd!' })).toEqual({
      userId: 'sub-1',
      email: 'ann@example.com',
      name: 'ann',
    });
    const command = send.mock.calls[0]?.[0] as SignUpCommand;
    expect(command.input).toMatchObject({
      ClientId: 'client-1',
      Username: 'ann@example.com',
      Password: 'Passw0rd!',
    });
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
      accessToken,
      idToken: 'i',
      refreshToken: 'r',
      expiresIn: 3600,
      tokenType: 'Bearer',
    });
    const [[command]] = send.mock.calls as unknown as [[InitiateAuthCommand]];
    expect(command.input).toMatchObject({
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'a@b.io', PASSWORD: 'Passw0rd!' },
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
    expect(await refresh(provider, 'r')).toEqual({
      accessToken: 'a2',
      idToken: 'i2',
      expiresIn: 3600,
      tokenType: 'Bearer',
    });
    const [[command]] = send.mock.calls as unknown as [[InitiateAuthCommand]];
    expect(command.input).toMatchObject({
      ClientId: 'client-1',
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: 'r' },
    });
  });

  it('answers a revoked or expired refresh token with 401', async () => {
    send.mockRejectedValue(new NotAuthorizedException({ message: 'Refresh Token has expired', ...meta }));
    await expect(refresh(provider, 'r')).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
