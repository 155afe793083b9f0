import { defineConfig } from 'vitest/config';
import { listedOrder } from './test/support/listed-order.js';

/**
 * The e2e files of the operations tooling, in two groups on stacks of their own: most of their
 * time is spent waiting on CloudWatch's minutes, the settings' 30 s cache and the saga's delayed
 * steps. They disturb each other when they share a stack (a message the alarms file parks in a
 * dead-letter queue puts a service down for the health file), so the two groups never share one.
 * Each group runs in the order listed (see test/support/listed-order.ts): the files that mostly
 * wait first, while the stacks are new and their functions cold.
 */
const OPERATIONS_FILES = [
  'test/e2e/health.test.ts',
  'test/e2e/metrics.test.ts',
  'test/e2e/status.test.ts',
  'test/e2e/trace.test.ts',
];
/** Alarms and live settings, with the live feed and the fuzz tier, which fit beside them by time. */
const ALARMS_FILES = [
  'test/e2e/alarms.test.ts',
  'test/e2e/config.test.ts',
  'test/e2e/live-feed.test.ts',
  'test/e2e/fuzz.test.ts',
];

/** The longest e2e files (the deletion races and sweep, the saga's faults), on a stack of their own. */
const LONG_FILES = ['test/e2e/deletion.test.ts', 'test/e2e/booking-faults.test.ts'];

/**
 * What every e2e project on a deployed stack shares: the files take turns, in one worker that
 * imports the SDK, the browser driver and the support modules once, not once per file (isolate).
 */
const ON_A_STACK = {
  globalSetup: ['test/e2e/global-setup.ts'],
  fileParallelism: false,
  isolate: false,
  hookTimeout: 300_000,
};

export default defineConfig({
  test: {
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Two files at a time even on two cores (vitest's default would be one); the e2e files take
    // turns. `npm test` runs the unit and infra projects, and each e2e project, in vitest
    // processes of their own side by side (test/run-suites.mjs): in one process vitest would run
    // every deploy before any file and queue the projects' e2e files behind each other.
    // Most of an e2e file's time is spent waiting on the stack.
    maxWorkers: 2,
    sequence: { sequencer: listedOrder([...OPERATIONS_FILES, ...ALARMS_FILES, ...LONG_FILES]) },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/support/unit-setup.ts'],
          // As the function construct sets them on every function (handlers read them at load).
          env: {
            POWERTOOLS_LOG_LEVEL: 'SILENT',
            POWERTOOLS_SERVICE_NAME: 'unit',
            POWERTOOLS_METRICS_NAMESPACE: 'Microservices',
          },
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          setupFiles: ['test/support/infra-setup.ts'],
          globalSetup: ['test/support/infra-global-setup.ts'],
          // Its tests synthesise the app and build bundles, in `npm test` at a lower priority beside
          // the e2e stacks (test/run-suites.mjs): two synths there once took over two minutes.
          testTimeout: 300_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['test/e2e/dev.test.ts', ...OPERATIONS_FILES, ...ALARMS_FILES, ...LONG_FILES],
          // One deployed stack; files share its log feed, so they take turns.
          ...ON_A_STACK,
          testTimeout: 120_000,
        },
      },
      {
        test: {
          // Each group of operations files on a stack of its own (the same setup deploys it), run
          // beside the others by test/run-suites.mjs.
          name: 'e2e-ops',
          include: OPERATIONS_FILES,
          ...ON_A_STACK,
          testTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e-alarms',
          include: ALARMS_FILES,
          ...ON_A_STACK,
          testTimeout: 180_000,
        },
      },
      {
        test: {
          // The longest e2e files on a stack of their own, run beside the others by test/run-suites.mjs.
          name: 'e2e-long',
          include: LONG_FILES,
          ...ON_A_STACK,
          testTimeout: 180_000,
        },
      },
      {
        test: {
          // npm run dev on a stack of its own: it needs neither the shared deployment nor a turn.
          name: 'e2e-dev',
          include: ['test/e2e/dev.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
