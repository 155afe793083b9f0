import { describe, expect, it } from 'vitest';
import { MINISTACK_PYTHON_TIMEOUT_MS, runWithMinistack } from '../../support/ministack-python.js';

/**
 * Log filter patterns on the local stack (localstack/ministack_launch.py): a pattern whose terms
 * have no wildcard is matched without MiniStack's `fnmatch`, and matches exactly what MiniStack's
 * own matcher does, on every pattern and line below.
 */
describe('log filter patterns on the local stack', { timeout: MINISTACK_PYTHON_TIMEOUT_MS }, () => {
  it('match the same lines as MiniStack’s matcher, with and without wildcards', () => {
    const result = runWithMinistack(`
from ministack.services import cloudwatch_logs as cwl
patterns = ['"CloudWatchMetrics"', 'ERROR', 'error -debug', '+span "trace_id"', '-span', '"4bf92f35"',
            'ERR*R', 'tr?ce', '', '{ $.level = "ERROR" }', '"two words"']
lines = ['{"_aws":{"CloudWatchMetrics":[]}}', 'an ERROR here', 'Error and debug', 'span trace_id 1',
         'a span', 'trace 4BF92F35', 'nothing', '', 'ERRoR', 'two words', 'two  words']
print(json.dumps({
    "differ": [[p, l] for p in patterns for l in lines
             if ministack_launch._compile_filter_pattern(p)(l) != cwl._compile_filter_pattern(p)(l)],
    "matched": sum(cwl._compile_filter_pattern(p)(l) for p in patterns for l in lines),
    "patched": cwl._compile_filter_pattern is ministack_launch.compile_filter_pattern,
}))
`) as { differ: unknown[]; matched: number; patched: boolean };
    expect(result.patched).toBe(true);
    expect(result.differ).toEqual([]);
    // The comparison means something: some lines match and some do not.
    expect(result.matched).toBeGreaterThan(10);
    expect(result.matched).toBeLessThan(11 * 11);
  });
});
