import {
  type AuthenticationResultType,
  InitiateAuthCommand,
  InvalidPasswordException,
  NotAuthorizedException,
  SignUpCommand,
  UserNotConfirmedException,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConflictError, UnauthorizedError, ValidationError } from '../shared/errors.js';
import { cognito, cognitoDirectory } from '../shared/identity/cognito-directory.js';
import type { IdentityProvider, RefreshedTokens } from './domain/identity.js';

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

/** Cognito user pool adapter; the pool's pre-sign-up trigger confirms new users. */
export function cognitoProvider(userPoolId: string, clientId: string): IdentityProvider {
  return {
    deleteUser: cognitoDirectory(userPoolId).deleteUser,

    async signUp(email, password) {
      try {
        const result = await cognito.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: email,
            Password: password,
            UserAttributes: [{ Name: 'email', Value: email }],
          }),
        );
        if (!result.UserSub) throw new Error('Cognito SignUp returned no user id');
        return { userId: result.UserSub };
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
            AuthParameters: { USERNAME: email, PASSWORD: password },
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

    async refresh(refreshToken): Promise<RefreshedTokens> {
      try {
        const result = await cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: refreshToken },
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
  };
}

/** Cognito says "Password did not conform with policy: Password must have ..."; keep the part after the colon. */
function passwordProblem(message: string): string {
  const detail = message.includes(':') ? message.slice(message.indexOf(':') + 1).trim() : message;
  return `is too weak: ${detail || 'it does not meet the password policy'}`;
}
