/// <reference lib="dom" />
import type { Services } from '../context.js';
import { html, messageOf, useEffect, useState } from '../ui.js';
import { Dashboard } from './dashboard.js';

interface Check {
  name: string;
  state: 'checking' | 'ok' | 'failing';
  detail: string;
}

const HEALTH = [
  { name: 'tasks', path: 'tasks/health' },
  { name: 'search', path: 'search/health' },
];

/** For admins: each service's health route, the search monitor's count of things, and the stack's dashboard with its alarms. */
export function StatusPage({ services }: { services: Services }) {
  const [checks, setChecks] = useState<Check[]>(
    HEALTH.map((h) => ({ name: h.name, state: 'checking', detail: '' })),
  );
  const [count, setCount] = useState<string>('…');

  async function refresh() {
    setChecks(HEALTH.map((h) => ({ name: h.name, state: 'checking', detail: '' })));
    const results = await Promise.all(
      HEALTH.map(async ({ name, path }): Promise<Check> => {
        try {
          const body = await services.api.get<Record<string, unknown>>(path);
          return { name, state: 'ok', detail: JSON.stringify(body) };
        } catch (error) {
          return { name, state: 'failing', detail: messageOf(error) };
        }
      }),
    );
    setChecks(results);
    try {
      setCount(String((await services.api.get<{ n_things: number }>('search/monitor')).n_things));
    } catch (error) {
      setCount(`unavailable (${messageOf(error)})`);
    }
  }
  useEffect(() => void refresh(), []);

  return html`<section aria-labelledby="status-title">
    <h1 id="status-title">Status</h1>
    <table>
      <caption>Service health</caption>
      <thead><tr><th scope="col">Service</th><th scope="col">State</th><th scope="col">Answer</th></tr></thead>
      <tbody>
        ${checks.map(
          (c) => html`<tr key=${c.name} data-service=${c.name}>
            <th scope="row">${c.name}</th><td class=${`state ${c.state}`}>${c.state}</td><td><code>${c.detail}</code></td>
          </tr>`,
        )}
      </tbody>
    </table>
    <p>Things indexed by search: <strong id="monitor-count">${count}</strong></p>
    <button type="button" onClick=${refresh}>Check again</button>
    <${Dashboard} services=${services} />
  </section>`;
}
