import { eventHandler } from '../shared/event-handler.js';
import { logger } from '../shared/logger.js';
import { checkHealth } from './domain/health.js';
import { healthConfigFromEnv } from './env.js';
import { recordHealth } from './metrics.js';
import { awsProbes } from './probes.js';

const config = healthConfigFromEnv();

/** Every minute: the same checks as `GET /health`, recorded as each service's `Healthy` metric. */
export const handler = eventHandler(async (): Promise<void> => {
  const report = await checkHealth(config, awsProbes);
  recordHealth(report);
  const down = report.services.filter((s) => s.status === 'down');
  if (down.length > 0)
    logger.warn('services down', {
      services: down.map((s) => ({ name: s.name, failed: s.checks.filter((c) => !c.ok) })),
    });
  else logger.info('every service is up', { services: report.services.length });
});
