import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HealthReport } from '../../../functions/health/domain/health.js';
import { recordHealth } from '../../../functions/health/metrics.js';
import { METRIC, METRICS_NAMESPACE } from '../../../functions/shared/metrics-catalog.js';

/** The EMF documents Powertools writes, captured from stdout. */
function captureEmf(run: () => void): Array<Record<string, any>> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    run();
  } finally {
    write.mockRestore();
  }
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line));
}

afterEach(() => vi.restoreAllMocks());

describe('the scheduled check records Healthy', () => {
  it('as 1 or 0 per service, under that service, in the catalogue namespace and unit', () => {
    const report: HealthReport = {
      status: 'down',
      checkedAt: '2026-12-04T05:00:00.000Z',
      services: [
        { name: 'search', status: 'up', checks: [] },
        { name: 'users', status: 'down', checks: [] },
      ],
    };
    const documents = captureEmf(() => recordHealth(report));
    expect(documents.map((d) => [d.service, d[METRIC.healthy.name]])).toEqual([
      ['search', 1],
      ['users', 0],
    ]);
    for (const document of documents) {
      const [directive] = document._aws.CloudWatchMetrics;
      expect(directive.Namespace).toBe(METRICS_NAMESPACE);
      expect(directive.Dimensions).toEqual([['service']]);
      expect(directive.Metrics).toEqual([{ Name: METRIC.healthy.name, Unit: METRIC.healthy.unit }]);
    }
  });
});
