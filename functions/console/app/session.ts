/**
 * The signed-in person's tokens: kept across reloads, refreshed before the
 * access token expires. The refresh token is never here: the API keeps it in
 * an HttpOnly cookie that only its refresh and logout routes receive, so no
 * script (nor anything injected into the page) can read it. Pure of the DOM:
 * storage, clock, timers and the refresh and logout calls are given, so unit
 * tests drive it with fakes.
 */

export type Role = 'user' | 'admin';

export interface Session {
  email: string;
  userId: string;
  role: Role;
  accessToken: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
}

export interface TokenAnswer {
  accessToken: string;
  expiresIn: number;
}

export interface SessionDeps {
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** `POST auth/refresh` (the browser sends the cookie); rejects when the refresh token is no longer accepted. */
  refresh(): Promise<TokenAnswer>;
  /** `POST auth/logout`: revokes the refresh token and clears its cookie. */
  logOut(): Promise<unknown>;
  now(): number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

const KEY = 'console.session';
/** Refresh this long before the access token expires, so no request carries an expired one. */
export const REFRESH_MARGIN_MS = 2 * 60 * 1000;

/** The claims of a JWT, without verifying it (the API verifies; the console only reads who it is for). */
export function claimsOf(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const binary = atob(
    part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '='),
  );
  const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  return JSON.parse(json) as Record<string, unknown>;
}

/** A session from a login answer; the role comes from the token's `cognito:groups`. */
export function sessionFrom(email: string, answer: TokenAnswer, now: number): Session {
  const claims = claimsOf(answer.accessToken);
  const groups = claims['cognito:groups'];
  return {
    email,
    userId: String(claims.sub ?? ''),
    role: Array.isArray(groups) && groups.includes('admin') ? 'admin' : 'user',
    accessToken: answer.accessToken,
    expiresAt: now + answer.expiresIn * 1000,
  };
}

/** Whether the access token is due for a refresh at `now`. */
export function refreshDue(session: Session, now: number, margin = REFRESH_MARGIN_MS): boolean {
  return session.expiresAt - now <= margin;
}

/** Keeps one session: stored, refreshed ahead of expiry, announced to listeners on every change. */
export class SessionKeeper {
  private session: Session | undefined;
  private timer: unknown;
  private refreshing: Promise<Session | undefined> | undefined;
  private readonly listeners = new Set<(session: Session | undefined, ended: boolean) => void>();

  constructor(private readonly deps: SessionDeps) {
    const stored = deps.storage.getItem(KEY);
    if (stored) {
      try {
        // Only what a session is: a session stored by an older console also held its refresh token.
        const { email, userId, role, accessToken, expiresAt } = JSON.parse(stored) as Session;
        this.session = { email, userId, role, accessToken, expiresAt };
        deps.storage.setItem(KEY, JSON.stringify(this.session));
      } catch {
        deps.storage.removeItem(KEY);
      }
    }
    this.schedule();
  }

  get current(): Session | undefined {
    return this.session;
  }

  /** Calls `listener` on every change; `ended` is true when the session ended by itself (its refresh was refused), not by a log out. */
  onChange(listener: (session: Session | undefined, ended: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  signIn(session: Session): void {
    this.replace(session);
  }

  /** Forgets the session at once, and has the API revoke its refresh token (a failure there changes nothing here). */
  signOut(): Promise<void> {
    this.replace(undefined);
    return this.deps.logOut().then(
      () => undefined,
      () => undefined,
    );
  }

  /** An access token valid for a while yet: refreshes first if it is due; undefined when signed out. */
  async accessToken(): Promise<string | undefined> {
    const session = this.session;
    if (!session) return undefined;
    if (!refreshDue(session, this.deps.now())) return session.accessToken;
    return (await this.refreshNow())?.accessToken;
  }

  /** Refreshes now (once, however many callers ask at the same time); signs out if the API refuses. */
  refreshNow(): Promise<Session | undefined> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<Session | undefined> {
    const session = this.session;
    if (!session) return undefined;
    try {
      const next = sessionFrom(session.email, await this.deps.refresh(), this.deps.now());
      this.replace(next);
      return next;
    } catch {
      this.replace(undefined, true);
      return undefined;
    }
  }

  private replace(session: Session | undefined, ended = false): void {
    this.session = session;
    if (session) this.deps.storage.setItem(KEY, JSON.stringify(session));
    else this.deps.storage.removeItem(KEY);
    this.schedule();
    for (const listener of this.listeners) listener(session, ended);
  }

  private schedule(): void {
    if (this.timer !== undefined) this.deps.clearTimer(this.timer);
    this.timer = undefined;
    const session = this.session;
    if (!session) return;
    const wait = Math.max(0, session.expiresAt - REFRESH_MARGIN_MS - this.deps.now());
    this.timer = this.deps.setTimer(() => void this.refreshNow(), wait);
  }
}
