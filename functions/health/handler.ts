import { httpHandler } from '../shared/http/middleware.js';
import { Reply } from '../shared/http/route.js';
import { callersFromEnv } from '../shared/identity/callers.js';
import { checkHealth, healthAnswer } from './domain/health.js';
import { healthConfigFromEnv } from './env.js';
import { awsProbes } from './probes.js';
import { healthRoutes } from './routes.js';

const config = healthConfigFromEnv();

/** `GET /health`: 200 when every service is up, 503 when one is not; the checks themselves only for an admin. */
export const handler = httpHandler(
  healthRoutes,
  {
    health: async ({ context }) => {
      const { status, body } = healthAnswer(await checkHealth(config, awsProbes), context.caller);
      return status === 200 ? body : new Reply(status, body);
    },
  },
  { identify: callersFromEnv() },
);
