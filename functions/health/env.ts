import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';
import type { HealthConfig } from '../shared/health.js';

/** The checks of every deployed service, as the stack set them (lib/health-checks.ts); read at cold start. */
export function healthConfigFromEnv(source: NodeJS.ProcessEnv = process.env): HealthConfig {
  return JSON.parse(readEnv([ENV.healthChecks], source).HEALTH_CHECKS) as HealthConfig;
}
