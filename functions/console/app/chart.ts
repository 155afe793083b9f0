/**
 * The geometry of the Status page's line charts, kept apart from the page so
 * it is tested without a browser: each series becomes SVG polyline points in
 * a fixed view box, time across from the window's start to its end, values
 * up from 0 to the largest value drawn.
 */

export interface ChartSeries {
  label: string;
  timestamps: readonly string[];
  values: readonly number[];
}

/** The view box the charts are drawn in (the SVG scales it to its width). */
export const CHART = { width: 320, height: 120, left: 36, bottom: 18, top: 8, right: 8 } as const;

export interface ChartLine {
  label: string;
  /** `x,y x,y ...`, oldest first. */
  points: string;
  /** Where a lone point is (a line of one point draws nothing). */
  dots: Array<{ x: number; y: number }>;
  last: number | undefined;
}

export interface ChartGeometry {
  lines: ChartLine[];
  /** The value at the top of the chart. */
  max: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Lines for each series over the window [start, end]. */
export function chartGeometry(series: readonly ChartSeries[], start: string, end: string): ChartGeometry {
  const from = Date.parse(start);
  const span = Math.max(1, Date.parse(end) - from);
  const largest = Math.max(0, ...series.flatMap((s) => s.values));
  const max = largest > 0 ? niceCeiling(largest) : 1;
  const plotWidth = CHART.width - CHART.left - CHART.right;
  const plotHeight = CHART.height - CHART.top - CHART.bottom;
  const lines = series.map((s) => {
    const xy = s.timestamps.map((t, i) => ({
      x: round(CHART.left + (Math.min(Math.max(Date.parse(t) - from, 0), span) / span) * plotWidth),
      y: round(CHART.top + plotHeight - ((s.values[i] ?? 0) / max) * plotHeight),
    }));
    return {
      label: s.label,
      points: xy.map((p) => `${p.x},${p.y}`).join(' '),
      dots: xy.length === 1 ? xy : [],
      last: s.values.length > 0 ? s.values[s.values.length - 1] : undefined,
    };
  });
  return { lines, max };
}

/** The smallest of 1, 2, 2.5 or 5 times a power of ten at or above `value`, for a readable axis. */
export function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** A value for people: whole counts as they are, others to 3 significant digits. */
export function formatValue(value: number | undefined): string {
  if (value === undefined) return 'no data';
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
}
