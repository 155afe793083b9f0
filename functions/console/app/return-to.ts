/**
 * Where a person goes after logging in: back to the page they were on (a
 * deep link such as `#/movies`, or the page open when their session ended),
 * kept across the sign-up page and a reload in session storage. Pure apart
 * from the storage given.
 */
const KEY = 'console.returnTo';
/** Routes that are not pages to come back to. */
const AUTH_ROUTES = new Set(['', 'login', 'signup']);

export const isAuthRoute = (route: string) => AUTH_ROUTES.has(route);

/** Keeps `route` as the place to return to, unless it is the login or sign-up page. */
export function rememberRoute(storage: Pick<Storage, 'setItem'>, route: string): void {
  if (!isAuthRoute(route)) storage.setItem(KEY, route);
}

/** Where to go once logged in (the route kept, or `fallback`), forgetting it. */
export function takeReturnRoute(
  storage: Pick<Storage, 'getItem' | 'removeItem'>,
  fallback = 'tasks',
): string {
  const route = storage.getItem(KEY);
  storage.removeItem(KEY);
  return route && !isAuthRoute(route) ? route : fallback;
}

/** Forgets the route kept (a deliberate log out starts afresh). */
export const forgetRoute = (storage: Pick<Storage, 'removeItem'>) => storage.removeItem(KEY);
