import { createHmac } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type AuthenticationResultType,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  InvalidPasswordException,
  NotAuthorizedException,
  RevokeTokenCommand,
  UnauthorizedException,
  UnsupportedTokenTypeException,
  UserNotConfirmedException,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConflictError, UnauthorizedError, ValidationError } from '../shared/errors.js';
import { cognito, cognitoDirectory } from '../shared/identity/cognito-directory.js';
import type { IdentityProvider, RefreshedTokens } from './domain/identity.js';

/**
 * The app client's secret, read from the pool once per execution environment
 * (never from the template or the environment, where anyone reading the stack
 * would see it); a failed read is retried on the next call.
 */
export function describedClientSecret(userPoolId: string, clientId: string): () => Promise<string> {
  let secret: Promise<string> | undefined;
  return () => {
    secret ??= cognito
      .send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }))
      .then(({ UserPoolClient }) => {
        if (!UserPoolClient?.ClientSecret) throw new Error(`app client ${clientId} has no secret`);
        return UserPoolClient.ClientSecret;
      })
      .catch((error: unknown) => {
        secret = undefined;
        throw error;
      });
    return secret;
  };
}

/** Cognito's SECRET_HASH: proves the call comes from the holder of the app client's secret. */
export function secretHash(secret: string, username: string, clientId: string): string {
  return createHmac('sha256', secret)
    .update(username + clientId)
    .digest('base64');
}

/** The `sub` of a token Cognito has just issued to us (read, not verified: it came straight from Cognito). */
function subjectOf(token: string): string {
  const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  const sub = (payload as { sub?: unknown }).sub;
  if (typeof sub !== 'string' || sub === '') throw new Error('Cognito issued a token without a subject');
  return sub;
}

/** The access and ID tokens of an authentication result; undefined when it has none (a challenge). */
function tokensOf(auth: AuthenticationResultType | undefined): RefreshedTokens | undefined {
  if (!auth?.AccessToken || !auth.IdToken) return undefined;
  return {
    accessToken: auth.AccessToken,
    idToken: auth.IdToken,
    expiresIn: auth.ExpiresIn ?? 3600,
    tokenType: 'Bearer',
  };
}

/**
 * Cognito user pool adapter. Only this function can use the pool as a person
 * would: accounts are made with the admin API (its IAM grant; the pool refuses
 * self-service sign-up), and every login, refresh and revocation carries the
 * app client's secret.
 */
export function cognitoProvider(
  userPoolId: string,
  clientId: string,
  clientSecret: () => Promise<string> = describedClientSecret(userPoolId, clientId),
): IdentityProvider {
  const directory = cognitoDirectory(userPoolId);
  const hashFor = async (username: string) => secretHash(await clientSecret(), username, clientId);
  return {
    deleteUser: directory.deleteUser,

    async signUp(email, password) {
      try {
        // The password as the temporary one, so the pool checks it against its policy before the account exists.
        const created = await cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: email,
            TemporaryPassword: password,
            MessageAction: 'SUPPRESS',
            UserAttributes: [
              { Name: 'email', Value: email },
              { Name: 'email_verified', Value: 'true' },
            ],
          }),
        );
        const userId = created.User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
        if (!userId) throw new Error('Cognito AdminCreateUser returned no user id');
        // Confirmed at once: the person chose this password, so it need not be changed at first login.
        await cognito
          .send(
            new AdminSetUserPasswordCommand({
              UserPoolId: userPoolId,
              Username: email,
              Password: password,
              Permanent: true,
            }),
          )
          .catch(async (error: unknown) => {
            await directory.deleteUser(userId);
            throw error;
          });
        return { userId };
      } catch (error) {
        if (error instanceof InvalidPasswordException) {
          throw new ValidationError([{ field: 'body.password', message: passwordProblem(error.message) }]);
        }
        if (error instanceof UsernameExistsException) {
          throw new ConflictError('a user with this email already exists');
        }
        throw error;
      }
    },

    async logIn(email, password) {
      try {
        const result = await cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: await hashFor(email) },
          }),
        );
        const tokens = tokensOf(result.AuthenticationResult);
        const refreshToken = result.AuthenticationResult?.RefreshToken;
        if (!tokens || !refreshToken) {
          throw new Error(
            `Cognito answered login with a challenge (${result.ChallengeName ?? 'none'}), not tokens`,
          );
        }
        return { userId: subjectOf(tokens.accessToken), tokens: { ...tokens, refreshToken } };
      } catch (error) {
        // One answer for unknown user and wrong password, so logins cannot probe for accounts.
        if (
          error instanceof NotAuthorizedException ||
          error instanceof UserNotFoundException ||
          error instanceof UserNotConfirmedException
        ) {
          throw new UnauthorizedError('wrong email or password');
        }
        throw error;
      }
    },

    async refresh({ userId, refreshToken }): Promise<RefreshedTokens> {
      try {
        // The hash of a refresh names the user by their pool user name, which is their sub.
        const result = await cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: refreshToken, SECRET_HASH: await hashFor(userId) },
          }),
        );
        const tokens = tokensOf(result.AuthenticationResult);
        if (!tokens) throw new Error('Cognito answered a refresh without tokens');
        return tokens;
      } catch (error) {
        if (error instanceof NotAuthorizedException || error instanceof UserNotFoundException) {
          throw new UnauthorizedError('the refresh token is invalid, expired or revoked: log in again');
        }
        throw error;
      }
    },

    async revoke(refreshToken) {
      try {
        await cognito.send(
          new RevokeTokenCommand({
            ClientId: clientId,
            ClientSecret: await clientSecret(),
            Token: refreshToken,
          }),
        );
      } catch (error) {
        // A token that is not a valid refresh token of this client has nothing left to revoke.
        if (
          !(error instanceof UnauthorizedException) &&
          !(error instanceof UnsupportedTokenTypeException) &&
          !(error instanceof NotAuthorizedException)
        )
          throw error;
      }
    },
  };
}

/** Cognito says "Password did not conform with policy: Password must have ..."; keep the part after the colon. */
function passwordProblem(message: string): string {
  const detail = message.includes(':') ? message.slice(message.indexOf(':') + 1).trim() : message;
  return `is too weak: ${detail || 'it does not meet the password policy'}`;
}
