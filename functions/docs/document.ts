import { documentedRoutes, SERVICES } from '../services.js';
import { openApiDocument } from '../shared/http/openapi.js';
import type { AnyService } from '../shared/service.js';

/** The API document of the declared services (every route of every deployed service, bench routes aside). */
export function apiDocument(services: readonly AnyService[] = SERVICES) {
  return openApiDocument(documentedRoutes(services), {
    title: 'Microservices API',
    version: '1.0.0',
    description:
      'downcase, search, tasks, booking (users, movies, bookings), signup and login, the web console and the docs themselves.',
  });
}
