/// <reference lib="dom" />
/**
 * For admins: one request's whole path across the services, from
 * `GET /traces/{id}` (the waterfall `npm run trace` prints). Reached by
 * pasting an id (a trace, request or booking id), from a booking in the
 * Admin page, or from a live-feed message. A table, one row per span: its
 * name indented by depth, service and kind, start offset, duration, outcome
 * (errors with their code), and a bar on the trace's time line; the bars
 * repeat what the text says, for the eye.
 */
import './trace.css';
import { ApiError } from '../api.js';
import { navigate, type Services } from '../context.js';
import { BAR_WIDTH, formatMs, nameParts, rowViews, type TraceAnswer, traceRoute } from '../trace-view.js';
import { Field, html, messageOf, Notice, useEffect, useState } from '../ui.js';

export function TracePage({ services, arg }: { services: Services; arg: string }) {
  const id = decodeURIComponent(arg);
  const [typed, setTyped] = useState(id);
  const [trace, setTrace] = useState<TraceAnswer | undefined>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();

  useEffect(() => {
    setTyped(id);
    setTrace(undefined);
    setError(undefined);
    setProblem(undefined);
    if (!id) return;
    let current = true;
    setLoading(true);
    services.api
      .get<TraceAnswer>(`traces/${encodeURIComponent(id)}`)
      .then((answer) => current && setTrace(answer))
      .catch((failure) => {
        if (!current) return;
        if (failure instanceof ApiError && failure.fieldMessage('id')) setError(failure.fieldMessage('id'));
        else setProblem(messageOf(failure));
      })
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [id]);

  function submit(event: Event) {
    event.preventDefault();
    const wanted = typed.trim();
    if (wanted === id) return;
    navigate(traceRoute(wanted));
  }

  return html`<section aria-labelledby="trace-title">
    <h1 id="trace-title">Trace</h1>
    <form class="inline" onSubmit=${submit}>
      <${Field} id="trace-id" label="Trace, request or booking id" value=${typed} onInput=${setTyped}
        error=${error} required />
      <button type="submit">Show</button>
    </form>
    ${loading ? html`<p role="status">Searching the logs…</p>` : null}
    <${Notice} error text=${problem} />
    ${trace ? html`<${Waterfall} trace=${trace} />` : null}
  </section>`;
}

/** How far each level of calls is indented, in em. Set through the DOM's style object, which the CSP allows (no style attribute). */
const INDENT_EM = 0.75;

function Waterfall({ trace }: { trace: TraceAnswer }) {
  const rows = rowViews(trace);
  const failures = rows.filter((r) => r.failed).length;
  return html`<p id="trace-summary">
      Trace <code>${trace.traceId}</code>: ${rows.length} spans over ${formatMs(trace.totalMs)}${
        failures > 0 ? html`, <strong class="failed">${failures} failed</strong>` : ''
      }.
    </p>
    <table class="waterfall" aria-describedby="trace-summary">
      <caption class="visually-hidden">Spans of the trace, callers before the calls they made</caption>
      <thead><tr>
        <th scope="col">Span</th><th scope="col">Start</th><th scope="col">Took</th><th scope="col">Outcome</th>
      </tr></thead>
      <tbody>
        ${rows.map(
          (r) => html`<tr key=${r.key} class=${r.failed ? 'failed' : r.orphan ? 'orphan' : undefined}
            data-service=${r.service} data-kind=${r.kind}>
            <th scope="row" class="span">
              <div class="label" style=${{ paddingLeft: `${r.indent * INDENT_EM}em` }}>
                <span class="visually-hidden">level ${r.depth + 1}: </span>
                <span class="name">${nameParts(r.name).map((part) => html`${part}<wbr />`)}</span>
                <span class="meta">${r.service} · ${r.kind.toLowerCase()}${r.orphan ? ' · parent not found' : ''}</span>
              </div>
              <svg class="bar" viewBox=${`0 0 ${BAR_WIDTH} 8`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <rect x=${r.bar.x} y="0" width=${r.bar.width} height="8" />
              </svg>
            </th>
            <td>${r.start}</td>
            <td>${r.took}</td>
            <td class="outcome">${
              r.failed
                ? html`<span aria-hidden="true">✖ </span>error <span class="code">${r.errorCode}</span>`
                : 'ok'
            }</td>
          </tr>`,
        )}
      </tbody>
    </table>
    ${
      trace.otherTraces.length > 0
        ? html`<p>Later traces naming the same id:${' '}
            ${trace.otherTraces.map((other, i) => html`${i > 0 ? ', ' : ''}<a key=${other} href=${`#/${traceRoute(other)}`}><code>${other}</code></a>`)}</p>`
        : null
    }`;
}
