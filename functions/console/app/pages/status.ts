/// <reference lib="dom" />
import { apiBase } from '../api.js';
import { ProblemNote } from '../components.js';
import type { Services } from '../context.js';
import { Icon } from '../icons.js';
import { describe } from '../problems.js';
import { html, useEffect, useState } from '../ui.js';
import { Dashboard } from './dashboard.js';

/** `GET /health` as an admin sees it: every service, with each of its checks. */
interface HealthReport {
  status: 'up' | 'down';
  checkedAt: string;
  services: Array<{
    name: string;
    status: 'up' | 'down';
    checks?: Array<{
      kind: string;
      name: string;
      ok: boolean;
      messages?: number;
      error?: string;
      ms: number;
    }>;
  }>;
}

type Health =
  | { state: 'checking' }
  | { state: 'done'; report: HealthReport }
  | { state: 'failed'; error: unknown };

/**
 * `GET /health` read directly: it answers 503 with the same report when a
 * service is down, which the API client would turn into an error.
 */
async function readHealth(services: Services): Promise<HealthReport> {
  const token = await services.keeper.accessToken();
  const response = await fetch(new URL('health', apiBase()), {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await response.text();
  let body: Partial<HealthReport> & { message?: string };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`the health check answered ${response.status} with something other than JSON`);
  }
  if (!Array.isArray(body.services))
    throw new Error(body.message ?? `the health check answered ${response.status}`);
  return body as HealthReport;
}

/** "12:03:04 (8 s ago)" */
function checkedWhen(iso: string, now: number): string {
  const at = new Date(iso);
  const seconds = Math.max(0, Math.round((now - at.getTime()) / 1000));
  const ago = seconds < 90 ? `${seconds} s ago` : `${Math.round(seconds / 60)} min ago`;
  return `${at.toLocaleTimeString()} (${ago})`;
}

/** What a service's checks found, in words: how many pass, and what each failing one said. */
function checksSummary(checks: NonNullable<HealthReport['services'][number]['checks']>): string {
  if (checks.length === 0) return 'no checks (nothing of its own to reach)';
  const failing = checks.filter((c) => !c.ok);
  const passing = `${checks.length - failing.length} of ${checks.length} checks pass`;
  return failing.length === 0
    ? passing
    : `${passing}; ${failing.map((c) => `${c.kind} ${c.name}: ${c.error ?? `${c.messages ?? 0} messages`}`).join('; ')}`;
}

/** For admins: every service's health (from `GET /health`) with when it was checked, the search monitor's count of things, and the stack's dashboard with its alarms. */
export function StatusPage({ services }: { services: Services }) {
  const [health, setHealth] = useState<Health>({ state: 'checking' });
  const [count, setCount] = useState<string>('…');
  const [now, setNow] = useState(Date.now());

  async function refresh() {
    setHealth({ state: 'checking' });
    try {
      setHealth({ state: 'done', report: await readHealth(services) });
    } catch (error) {
      setHealth({ state: 'failed', error });
    }
    setNow(Date.now());
    try {
      setCount(String((await services.api.get<{ n_things: number }>('search/monitor')).n_things));
    } catch (error) {
      setCount(`unavailable (${describe(error, 'count the things').status})`);
    }
  }
  useEffect(() => void refresh(), []);
  // Keeps "n s ago" true while the page is open.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 10_000);
    return () => clearInterval(timer);
  }, []);

  return html`<section aria-labelledby="status-title">
    <h1 id="status-title">Status</h1>
    <table class="services" aria-busy=${health.state === 'checking'}>
      <caption>Services${health.state === 'done' ? html`, ${health.report.status === 'up' ? 'all up' : 'one or more down'}` : ''}</caption>
      <thead><tr><th scope="col">Service</th><th scope="col">Status</th><th scope="col">Checks</th>
        <th scope="col">Last checked</th></tr></thead>
      <tbody>
        ${
          health.state === 'checking'
            ? [0, 1, 2].map(
                (i) =>
                  html`<tr key=${i} class="skeleton"><td colspan="4"><span class="visually-hidden">Checking…</span></td></tr>`,
              )
            : health.state === 'failed'
              ? html`<tr><td colspan="4" class="state down">The health check could not be read (see below).</td></tr>`
              : health.report.services.map(
                  (s) => html`<tr key=${s.name} data-service=${s.name}>
                    <th scope="row">${s.name}</th>
                    <td><span class=${`badge ${s.status}`}><${Icon} name=${s.status === 'up' ? 'check' : 'close'} />${s.status}</span></td>
                    <td>${s.checks ? checksSummary(s.checks) : ''}</td>
                    <td><time datetime=${health.report.checkedAt}>${checkedWhen(health.report.checkedAt, now)}</time></td>
                  </tr>`,
                )
        }
      </tbody>
    </table>
    ${
      health.state === 'failed'
        ? html`<${ProblemNote} error=${health.error} doing="read the services' health" onRetry=${refresh} />`
        : null
    }
    <p>Things indexed by search: <strong id="monitor-count">${count}</strong></p>
    <button type="button" onClick=${refresh} disabled=${health.state === 'checking'}>Check again</button>
    <${Dashboard} services=${services} />
  </section>`;
}
