/**
 * Signup and login, independent of the identity provider behind them.
 * The provider adapter turns its own errors into these domain errors:
 * ValidationError (weak password), ConflictError (existing user),
 * UnauthorizedError (wrong email or password).
 */

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

/** Port to the user directory (Cognito in production, a fake in unit tests). */
export interface IdentityProvider {
  signUp(email: string, password: string): Promise<{ userId: string }>;
  logIn(email: string, password: string): Promise<Tokens>;
  /** New access and ID tokens for a refresh token; UnauthorizedError if it is invalid, expired or revoked. */
  refresh(refreshToken: string): Promise<RefreshedTokens>;
}

/** What a refresh gives: the refresh token itself stays the same. */
export type RefreshedTokens = Omit<Tokens, 'refreshToken'>;

/** Email addresses are case-insensitive for sign-in; store and look them up in one form. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function signUp(provider: IdentityProvider, email: string, password: string) {
  const normalized = normalizeEmail(email);
  const { userId } = await provider.signUp(normalized, password);
  return { userId, email: normalized };
}

export async function logIn(provider: IdentityProvider, email: string, password: string): Promise<Tokens> {
  return provider.logIn(normalizeEmail(email), password);
}

export async function refresh(provider: IdentityProvider, refreshToken: string): Promise<RefreshedTokens> {
  return provider.refresh(refreshToken);
}
