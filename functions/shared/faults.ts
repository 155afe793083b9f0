/**
 * Crashes for the fault tests: a function whose declaration has
 * `faultPoints` and that was deployed with the `faults` context flag (the
 * e2e tests' deployment, never the default one) has `FAULT_INJECTION` set,
 * to `none` until a test names a checkpoint to crash at
 * (`crash-after-reserve`). Elsewhere the variable is absent and there is no
 * checkpoint at all.
 */
import { ENV } from './env-names.js';

/** The checkpoint a saga calls between two writes, or undefined where faults are not enabled. */
export function faultCheckpoint(
  source: NodeJS.ProcessEnv = process.env,
): ((point: string) => void) | undefined {
  const fault = source[ENV.faultInjection];
  if (fault === undefined) return undefined;
  return (point) => {
    if (fault === `crash-${point}`) throw new Error(`fault injected: crash ${point}`);
  };
}
