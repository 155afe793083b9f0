/// <reference lib="dom" />
/**
 * The web console: one page, hash routes (`#/tasks`), every API call
 * relative to where the page is served, so it works under a local stack's
 * `/_aws/execute-api/<id>/<stage>/` prefix and on AWS unchanged.
 */
import './app.css';
import { type ConsoleConfig, createServices, navigate, type Services } from './context.js';
import { Icon } from './icons.js';
import { AdminPage } from './pages/admin.js';
import { AuthPage } from './pages/auth.js';
import { DowncasePage } from './pages/downcase.js';
import { LivePanel } from './pages/live.js';
import { MoviesPage } from './pages/movies.js';
import { SearchPage } from './pages/search.js';
import { StatusPage } from './pages/status.js';
import { TasksPage } from './pages/tasks.js';
import { TracePage } from './pages/trace.js';
import { forgetRoute, isAuthRoute, rememberRoute } from './return-to.js';
import type { Session } from './session.js';
import { html, render, useEffect, useRef, useState } from './ui.js';

const PAGES = {
  tasks: { title: 'Tasks', page: TasksPage, admin: false },
  movies: { title: 'Movies', page: MoviesPage, admin: false },
  search: { title: 'Search', page: SearchPage, admin: false },
  downcase: { title: 'Downcase', page: DowncasePage, admin: false },
  // The dashboard's metrics and the alarms are operator data: admins only.
  status: { title: 'Status', page: StatusPage, admin: true },
  admin: { title: 'Admin', page: AdminPage, admin: true },
  // One request's path across the services, from the logs: operator data too (`#/trace/<id>`).
  trace: { title: 'Trace', page: TracePage, admin: true },
} as const;
type PageName = keyof typeof PAGES;

const routeOf = () => location.hash.replace(/^#\/?/, '') || 'tasks';
/** A route's page and what follows it: `trace/01J...` is the Trace page for `01J...`. */
const pageOf = (route: string): [string, string] => {
  const slash = route.indexOf('/');
  return slash < 0 ? [route, ''] : [route.slice(0, slash), route.slice(slash + 1)];
};

function App({ services }: { services: Services }) {
  const [session, setSession] = useState<Session | undefined>(services.keeper.current);
  const [fullRoute, setRoute] = useState(routeOf());
  const [route, arg] = pageOf(fullRoute);
  const [name, setName] = useState<string | undefined>();
  // On a phone: the pages menu and the feed drawer, both closed until asked for.
  const [menuOpen, setMenuOpen] = useState(false);
  const [feedOpen, setFeedOpen] = useState(false);
  const firstRoute = useRef(true);
  // Set when the session ended by itself (not a log out): the login page says so.
  const [ended, setEnded] = useState(false);
  useEffect(
    () =>
      services.keeper.onChange((next, endedNow) => {
        setSession(next);
        setEnded(endedNow);
      }),
    [],
  );
  useEffect(() => {
    setName(undefined);
    if (!session) return;
    services.api
      .get<{ name: string }>('users/me')
      .then((me) => setName(me.name))
      .catch(() => setName(undefined));
  }, [session?.userId]);
  useEffect(() => {
    const onHash = () => setRoute(routeOf());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  const visible = (Object.keys(PAGES) as PageName[]).filter(
    (name) => !PAGES[name].admin || session?.role === 'admin',
  );
  let content: unknown;
  if (!session) {
    // A deep link, or the page open when the session ended: shown again after logging in.
    rememberRoute(sessionStorage, route);
    const back = isAuthRoute(route) ? undefined : route;
    content = html`<${AuthPage} key=${route} services=${services} mode=${route === 'signup' ? 'signup' : 'login'}
      ended=${ended} back=${back && back in PAGES ? PAGES[back as PageName].title : back} />`;
  } else if ((visible as string[]).includes(route)) {
    const Page = PAGES[route as PageName].page;
    content = html`<${Page} services=${services} arg=${arg} />`;
  } else {
    content = html`<section><h1>Not here</h1><p>There is no page "${route}" for you. <a href="#/tasks">Go to tasks</a>.</p></section>`;
  }
  // Each navigation (not the first load) closes the menu and moves focus to the new page's heading,
  // so a screen reader announces where the person now is and Tab starts from there.
  useEffect(() => {
    setMenuOpen(false);
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    const frame = requestAnimationFrame(() => {
      const heading = document.querySelector<HTMLElement>('main h1');
      if (!heading) return;
      heading.tabIndex = -1;
      heading.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [route, session?.userId]);
  useEffect(() => {
    if (!feedOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setFeedOpen(false);
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [feedOpen]);
  useEffect(() => {
    document.title = `${session && route in PAGES ? PAGES[route as PageName].title : 'Welcome'} · Microservices console`;
  }, [route, session]);

  return html`<a class="skip" href="#main">Skip to content</a>
    <header class="top">
      <a class="brand" href="#/tasks"><span class="brand-mark" aria-hidden="true">μ</span>
        <span class="brand-name">Microservices console</span></a>
      ${
        session
          ? html`<button type="button" class="menu-button" aria-expanded=${menuOpen} aria-controls="site-nav"
                onClick=${() => setMenuOpen(!menuOpen)}>
              <${Icon} name=${menuOpen ? 'close' : 'menu'} />Menu</button>
            <span class="who">${name ? `${name} · ` : ''}${session.email}${session.role === 'admin' ? ' (admin)' : ''}</span>
            <button type="button" class="feed-button" aria-expanded=${feedOpen} aria-controls="live-drawer"
                onClick=${() => setFeedOpen(!feedOpen)}>
              <${Icon} name="feed" />Feed</button>
            <div id="site-nav" class=${`site-nav${menuOpen ? ' open' : ''}`}>
              <nav aria-label="Pages"><ul>
                ${visible.map(
                  (
                    name,
                  ) => html`<li key=${name}><a href=${`#/${name}`} aria-current=${route === name ? 'page' : undefined}
                      onClick=${() => setMenuOpen(false)}>
                    ${PAGES[name].title}</a></li>`,
                )}
              </ul></nav>
              <button type="button" class="log-out" onClick=${() => {
                // To the login page first, so the page being left is not kept as the one to return to.
                forgetRoute(sessionStorage);
                navigate('login');
                setRoute('login');
                void services.keeper.signOut();
              }}><${Icon} name="out" />Log out</button>
            </div>`
          : html`<nav aria-label="Account" class="account-nav"><ul>
              <li><a href="#/login" aria-current=${route !== 'signup' ? 'page' : undefined}>Log in</a></li>
              <li><a href="#/signup" aria-current=${route === 'signup' ? 'page' : undefined}>Sign up</a></li>
            </ul></nav>`
      }
    </header>
    <div class=${session ? 'layout' : 'layout signed-out'}>
      <main id="main" tabindex="-1">${content}</main>
      ${
        session
          ? html`<div id="live-drawer" class=${`drawer${feedOpen ? ' open' : ''}`}>
              <${LivePanel} key=${session.userId} services=${services} onClose=${() => setFeedOpen(false)} />
            </div>`
          : null
      }
    </div>`;
}

const configElement = document.querySelector('meta[name="console-config"]');
const config = JSON.parse(configElement?.getAttribute('content') ?? '{}') as ConsoleConfig;
const root = document.getElementById('app');
if (root) render(html`<${App} services=${createServices(config)} />`, root);
