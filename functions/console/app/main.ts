/// <reference lib="dom" />
/**
 * The web console: one page, hash routes (`#/tasks`), every API call
 * relative to where the page is served, so it works under a local stack's
 * `/_aws/execute-api/<id>/<stage>/` prefix and on AWS unchanged.
 */
import './app.css';
import { type ConsoleConfig, createServices, navigate, type Services } from './context.js';
import { AdminPage } from './pages/admin.js';
import { AuthPage } from './pages/auth.js';
import { DowncasePage } from './pages/downcase.js';
import { LivePanel } from './pages/live.js';
import { MoviesPage } from './pages/movies.js';
import { SearchPage } from './pages/search.js';
import { StatusPage } from './pages/status.js';
import { TasksPage } from './pages/tasks.js';
import type { Session } from './session.js';
import { html, render, useEffect, useState } from './ui.js';

const PAGES = {
  tasks: { title: 'Tasks', page: TasksPage, admin: false },
  movies: { title: 'Movies', page: MoviesPage, admin: false },
  search: { title: 'Search', page: SearchPage, admin: false },
  downcase: { title: 'Downcase', page: DowncasePage, admin: false },
  // The dashboard's metrics and the alarms are operator data: admins only.
  status: { title: 'Status', page: StatusPage, admin: true },
  admin: { title: 'Admin', page: AdminPage, admin: true },
} as const;
type PageName = keyof typeof PAGES;

const routeOf = () => location.hash.replace(/^#\/?/, '') || 'tasks';

function App({ services }: { services: Services }) {
  const [session, setSession] = useState<Session | undefined>(services.keeper.current);
  const [route, setRoute] = useState(routeOf());
  const [name, setName] = useState<string | undefined>();
  useEffect(() => services.keeper.onChange(setSession), []);
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
    content = html`<${AuthPage} key=${route} services=${services} mode=${route === 'signup' ? 'signup' : 'login'} />`;
  } else if ((visible as string[]).includes(route)) {
    const Page = PAGES[route as PageName].page;
    content = html`<${Page} services=${services} />`;
  } else {
    content = html`<section><h1>Not here</h1><p>There is no page "${route}" for you. <a href="#/tasks">Go to tasks</a>.</p></section>`;
  }
  useEffect(() => {
    document.title = `${session && route in PAGES ? PAGES[route as PageName].title : 'Welcome'} · Microservices console`;
  }, [route, session]);

  return html`<a class="skip" href="#main">Skip to content</a>
    <header>
      <strong class="brand">Microservices console</strong>
      ${
        session
          ? html`<nav aria-label="Pages"><ul>
              ${visible.map(
                (
                  name,
                ) => html`<li key=${name}><a href=${`#/${name}`} aria-current=${route === name ? 'page' : undefined}>
                  ${PAGES[name].title}</a></li>`,
              )}
            </ul></nav>
            <span class="who">${name ? `${name} · ` : ''}${session.email}${session.role === 'admin' ? ' (admin)' : ''}</span>
            <button type="button" onClick=${() => {
              void services.keeper.signOut();
              navigate('login');
            }}>Log out</button>`
          : html`<nav aria-label="Account"><ul>
              <li><a href="#/login" aria-current=${route !== 'signup' ? 'page' : undefined}>Log in</a></li>
              <li><a href="#/signup" aria-current=${route === 'signup' ? 'page' : undefined}>Sign up</a></li>
            </ul></nav>`
      }
    </header>
    <div class="layout">
      <main id="main" tabindex="-1">${content}</main>
      ${session ? html`<${LivePanel} key=${session.userId} services=${services} />` : null}
    </div>`;
}

const configElement = document.querySelector('meta[name="console-config"]');
const config = JSON.parse(configElement?.getAttribute('content') ?? '{}') as ConsoleConfig;
const root = document.getElementById('app');
if (root) render(html`<${App} services=${createServices(config)} />`, root);
