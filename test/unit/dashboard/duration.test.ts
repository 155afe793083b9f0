import { describe, expect, it } from 'vitest';
import {
  DURATION_PATTERN,
  formatDuration,
  parseDuration,
  periodFor,
} from '../../../functions/shared/dashboard/duration.js';

describe('parseDuration', () => {
  it.each([
    ['1m', 60],
    ['15m', 900],
    ['90m', 5400],
    ['1440m', 86_400],
    ['1h', 3600],
    ['24h', 86_400],
    ['1d', 86_400],
  ])('reads %s as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '0m', '15', 'm', '1441m', '25h', '2d', '30s', '15 m', ' 15m', '-5m', '1.5h', '015m', '15M'])(
    'refuses %j: malformed or outside 1m..24h',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
      expect(DURATION_PATTERN.test(text)).toBe(false);
    },
  );

  it('accepts every whole minute from 1m to 1440m and every hour from 1h to 24h, and no minute beyond', () => {
    for (let m = 1; m <= 1440; m++) expect(parseDuration(`${m}m`), `${m}m`).toBe(m * 60);
    for (let h = 1; h <= 24; h++) expect(parseDuration(`${h}h`), `${h}h`).toBe(h * 3600);
    for (const m of [1441, 1500, 9999, 14400]) expect(parseDuration(`${m}m`), `${m}m`).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('writes seconds in the largest unit dividing them', () => {
    expect([60, 900, 3600, 5400, 7200, 86_400, 45].map(formatDuration)).toEqual([
      '1m',
      '15m',
      '1h',
      '90m',
      '2h',
      '1d',
      '45s',
    ]);
  });
});

describe('periodFor', () => {
  it('is one minute up to an hour, then grows to keep at most 60 points, in whole minutes', () => {
    expect(periodFor(900)).toBe(60);
    expect(periodFor(3600)).toBe(60);
    expect(periodFor(6 * 3600)).toBe(360);
    expect(periodFor(86_400)).toBe(1440);
    for (const seconds of [60, 3660, 7000, 86_400]) {
      expect(periodFor(seconds) % 60).toBe(0);
      expect(seconds / periodFor(seconds)).toBeLessThanOrEqual(60);
    }
  });
});
