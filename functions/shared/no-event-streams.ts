/**
 * Stands in for `@smithy/core/event-streams` in every function bundle (an
 * esbuild alias, lib/bundles/build-options.ts). The SDK loads it with a dynamic
 * `import()` for event-stream operations only (Lambda's
 * InvokeWithResponseStream, CloudWatch Logs' StartLiveTail...), which no
 * function calls. That one dynamic import makes the bundler wrap ~180 KB of
 * the SDK's core in lazy-init closures, which V8 then parses twice, and adds
 * 20 KB that never runs: 4-7 ms of every cold start. No other operation is
 * affected; an event-stream operation fails with the error below.
 */
function notBundled(): never {
  throw new Error(
    'AWS SDK event streams are left out of function bundles (see lib/bundles/build-options.ts)',
  );
}

export class EventStreamSerde {
  constructor() {
    notBundled();
  }
}

export const eventStreamSerdeProvider = notBundled;

/** The real one adds an event-stream marshaller, which only event-stream operations read. */
export const resolveEventStreamSerdeConfig = <T>(input: T): T => input;
