/// <reference lib="dom" />

/**
 * The stack's CloudWatch dashboard, drawn from `GET /status` (admins only):
 * one panel per widget with a small SVG line chart per series, and the
 * stack's alarms with their states. No chart library: lines in a view box.
 */
import { CHART, chartGeometry, formatValue } from '../chart.js';
import { ProblemNote } from '../components.js';
import type { Services } from '../context.js';
import { html, useEffect, useState } from '../ui.js';

interface Series {
  label: string;
  timestamps: string[];
  values: number[];
}

interface Widget {
  title: string;
  series: Series[];
}

interface Alarm {
  name: string;
  description: string;
  state: string;
  reason: string;
  updated?: string;
}

interface Report {
  dashboard: string;
  start: string;
  end: string;
  periodSeconds: number;
  widgets: Widget[];
  alarms: Alarm[];
}

/** The windows offered; the route accepts any from 1m to 24h. */
const WINDOWS = ['15m', '1h', '6h', '24h'] as const;

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

function Panel({ widget, report, index }: { widget: Widget; report: Report; index: number }) {
  const { lines, max } = chartGeometry(widget.series, report.start, report.end);
  const titleId = `widget-${index}-title`;
  return html`<figure class="panel" data-widget=${widget.title}>
    <figcaption id=${titleId}>${widget.title}</figcaption>
    <svg class="chart" viewBox=${`0 0 ${CHART.width} ${CHART.height}`} role="img" aria-labelledby=${titleId}>
      <line class="axis" x1=${CHART.left} y1=${CHART.height - CHART.bottom} x2=${CHART.width - CHART.right} y2=${CHART.height - CHART.bottom} />
      <line class="axis" x1=${CHART.left} y1=${CHART.top} x2=${CHART.left} y2=${CHART.height - CHART.bottom} />
      <text class="tick" x=${CHART.left - 4} y=${CHART.top + 8} text-anchor="end">${formatValue(max)}</text>
      <text class="tick" x=${CHART.left - 4} y=${CHART.height - CHART.bottom} text-anchor="end">0</text>
      <text class="tick" x=${CHART.left} y=${CHART.height - 4}>${time(report.start)}</text>
      <text class="tick" x=${CHART.width - CHART.right} y=${CHART.height - 4} text-anchor="end">${time(report.end)}</text>
      ${lines.map(
        (line, i) => html`<g key=${line.label} class=${`series series-${i % 6}`}>
          <polyline points=${line.points} />
          ${line.dots.map((dot) => html`<circle cx=${dot.x} cy=${dot.y} r="2.5" />`)}
        </g>`,
      )}
    </svg>
    <ul class="legend">
      ${lines.map(
        (line, i) => html`<li key=${line.label} class=${`series-${i % 6}`} data-series=${line.label}>
          <span class="swatch" aria-hidden="true"></span>${line.label}: <strong>${formatValue(line.last)}</strong>
          ${line.last === undefined ? null : html`<span class="visually-hidden"> (latest)</span>`}
        </li>`,
      )}
    </ul>
  </figure>`;
}

/** The dashboard's panels and the alarms, refreshed on demand, over a chosen window. */
export function Dashboard({ services }: { services: Services }) {
  const [since, setSince] = useState<string>('15m');
  const [report, setReport] = useState<Report | undefined>();
  const [error, setError] = useState<unknown>();

  async function load(window = since) {
    setError(undefined);
    try {
      setReport(await services.api.get<Report>(`status?since=${window}`));
    } catch (failure) {
      setError(failure);
    }
  }
  useEffect(() => void load(), []);

  return html`<section aria-labelledby="dashboard-title" class="dashboard">
    <h2 id="dashboard-title">Dashboard</h2>
    <div class="dashboard-controls">
      <label for="dashboard-window">Window</label>
      <select id="dashboard-window" value=${since} onChange=${(e: Event) => {
        const value = (e.target as HTMLSelectElement).value;
        setSince(value);
        void load(value);
      }}>
        ${WINDOWS.map((w) => html`<option value=${w}>last ${w}</option>`)}
      </select>
      <button type="button" onClick=${() => load()}>Refresh</button>
    </div>
    <${ProblemNote} error=${error} doing="read the dashboard" onRetry=${() => load()} />
    ${
      report
        ? html`<p class="muted">${report.dashboard}, ${time(report.start)} to ${time(report.end)}, one point per ${report.periodSeconds / 60} min.</p>
          <div class="panels">${report.widgets.map((widget, i) => html`<${Panel} key=${widget.title} widget=${widget} report=${report} index=${i} />`)}</div>
          <table class="alarms">
            <caption>Alarms</caption>
            <thead><tr><th scope="col">Alarm</th><th scope="col">State</th><th scope="col">Why</th><th scope="col">Since</th></tr></thead>
            <tbody>
              ${
                report.alarms.length === 0
                  ? html`<tr><td colspan="4">No alarms are defined.</td></tr>`
                  : report.alarms.map(
                      (alarm) => html`<tr key=${alarm.name} data-alarm=${alarm.name}>
                        <th scope="row">${alarm.name}<br /><span class="muted">${alarm.description}</span></th>
                        <td class=${`state alarm-${alarm.state.toLowerCase()}`}>${alarm.state}</td>
                        <td>${alarm.reason}</td>
                        <td>${alarm.updated ? new Date(alarm.updated).toLocaleString() : ''}</td>
                      </tr>`,
                    )
              }
            </tbody>
          </table>`
        : error
          ? null
          : html`<p role="status">Loading the dashboard…</p>`
    }
  </section>`;
}
