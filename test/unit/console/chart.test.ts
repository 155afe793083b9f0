import { describe, expect, it } from 'vitest';
import { CHART, chartGeometry, formatValue, niceCeiling } from '../../../functions/console/app/chart.js';

describe('chartGeometry', () => {
  const start = '2026-12-04T10:00:00.000Z';
  const end = '2026-12-04T10:10:00.000Z';

  it('puts time across the window and values up from 0 to a round maximum', () => {
    const { lines, max } = chartGeometry(
      [{ label: 'requests', timestamps: [start, '2026-12-04T10:05:00.000Z', end], values: [0, 4, 8] }],
      start,
      end,
    );
    expect(max).toBe(10);
    const bottom = CHART.height - CHART.bottom;
    const plotHeight = CHART.height - CHART.top - CHART.bottom;
    const middle = CHART.left + (CHART.width - CHART.left - CHART.right) / 2;
    expect(lines).toEqual([
      {
        label: 'requests',
        points: `${CHART.left},${bottom} ${middle},${bottom - plotHeight * 0.4} ${CHART.width - CHART.right},${Math.round((bottom - plotHeight * 0.8) * 10) / 10}`,
        dots: [],
        last: 8,
      },
    ]);
  });

  it('marks a lone point with a dot, and gives a series without points no line and no last value', () => {
    const { lines, max } = chartGeometry(
      [
        { label: 'one', timestamps: ['2026-12-04T10:05:00.000Z'], values: [0] },
        { label: 'none', timestamps: [], values: [] },
      ],
      start,
      end,
    );
    expect(max).toBe(1);
    expect(lines[0]?.dots).toHaveLength(1);
    expect(lines[1]).toEqual({ label: 'none', points: '', dots: [], last: undefined });
  });
});

describe('niceCeiling and formatValue', () => {
  it('round the axis up to 1, 2, 2.5 or 5 times a power of ten, and write values briefly', () => {
    expect([0.3, 1, 3, 7, 12, 240, 999].map(niceCeiling)).toEqual([0.5, 1, 5, 10, 20, 250, 1000]);
    expect([3, 12.3456, 0.001234, undefined].map(formatValue)).toEqual(['3', '12.3', '0.00123', 'no data']);
  });
});
