/**
 * Signup, login, refresh and logout, independent of the identity provider
 * behind them. The provider adapter turns its own errors into these domain
 * errors: ValidationError (weak password), ConflictError (existing user),
 * UnauthorizedError (wrong email or password; a refresh token no longer valid).
 *
 * One identity for the whole system: the provider's user id (`sub`) is also
 * the id of the person's profile in the users service, created at signup.
 */
import { UnauthorizedError } from '../../shared/errors.js';
import { admitAttempt, type LoginAttemptStore } from './login-throttle.js';

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

/** A refresh token and whose it is (the provider needs both to refresh with it). */
export interface RefreshSession {
  userId: string;
  refreshToken: string;
}

/** Port to the user directory (Cognito in production, a fake in unit tests). */
export interface IdentityProvider {
  signUp(email: string, password: string): Promise<{ userId: string }>;
  logIn(email: string, password: string): Promise<LoggedIn>;
  /** New access and ID tokens for a refresh token; UnauthorizedError if it is invalid, expired or revoked. */
  refresh(session: RefreshSession): Promise<RefreshedTokens>;
  /** Revokes a refresh token (and the tokens it gave); one already invalid is not an error. */
  revoke(refreshToken: string): Promise<void>;
  /** Removes an account; one already gone is not an error. */
  deleteUser(userId: string): Promise<void>;
}

/** What a login gives: whose tokens, and the tokens. */
export interface LoggedIn {
  userId: string;
  tokens: Tokens;
}

/** A person's profile as the users service keeps it. */
export interface Profile {
  id: string;
  email: string;
  name: string;
}

/** Port to the users service (over RPC in production): creates the profile unless it exists; idempotent. */
export interface Profiles {
  ensure(profile: Profile): Promise<unknown>;
}

export interface IdentityDeps {
  provider: IdentityProvider;
  profiles: Profiles;
  /** Told when a compensation fails, so the logs say what was left behind. */
  onCompensationFailure?: (userId: string, error: unknown) => void;
}

/** What a login needs besides: the failed logins per email (see login-throttle.ts), and the time. */
export interface LoginDeps extends IdentityDeps {
  attempts: LoginAttemptStore;
  now(): number;
}

/** What a refresh gives: the refresh token itself stays the same. */
export type RefreshedTokens = Omit<Tokens, 'refreshToken'>;

/** Email addresses are case-insensitive for sign-in; store and look them up in one form. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The display name of someone who gave none: the part of the email before `@`. */
export function defaultName(email: string): string {
  return email.slice(0, email.indexOf('@'));
}

/**
 * Creates the account, then the profile with the same id. If the profile
 * cannot be created, the account is removed again, so the caller may simply
 * retry; should that removal fail too, the next login creates the missing
 * profile (see {@link logIn}), so nothing stays half-made.
 */
export async function signUp(
  { provider, profiles, onCompensationFailure }: IdentityDeps,
  request: { email: string; password: string; name?: string | undefined },
) {
  const email = normalizeEmail(request.email);
  const name = request.name ?? defaultName(email);
  const { userId } = await provider.signUp(email, request.password);
  try {
    await profiles.ensure({ id: userId, email, name });
  } catch (error) {
    await provider.deleteUser(userId).catch((cause: unknown) => onCompensationFailure?.(userId, cause));
    throw error;
  }
  return { userId, email, name };
}

/**
 * Exchanges credentials for tokens, unless the email has failed too often
 * (TooManyRequestsError: see login-throttle.ts), and repairs a profile that a
 * failed signup left missing. Only a successful login clears the failures.
 */
export async function logIn(
  { provider, profiles, attempts, now }: LoginDeps,
  request: { email: string; password: string },
): Promise<LoggedIn> {
  const email = normalizeEmail(request.email);
  await admitAttempt(attempts, email, now());
  const loggedIn = await provider.logIn(email, request.password);
  await attempts.forget(email);
  await profiles.ensure({ id: loggedIn.userId, email, name: defaultName(email) });
  return loggedIn;
}

/** New access and ID tokens from the session's refresh token; UnauthorizedError without one. */
export async function refresh(
  provider: IdentityProvider,
  session: RefreshSession | undefined,
): Promise<RefreshedTokens> {
  if (!session) throw new UnauthorizedError('no refresh token: log in');
  return provider.refresh(session);
}

/** Ends a session: its refresh token stops working. Without one there is nothing to end. */
export async function logOut(provider: IdentityProvider, session: RefreshSession | undefined): Promise<void> {
  if (session) await provider.revoke(session.refreshToken);
}
