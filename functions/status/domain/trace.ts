/**
 * `GET /traces/{id}`: one trace's waterfall, found as `npm run trace` finds
 * it (functions/shared/trace/search.ts), or a 404 saying what was missing.
 */
import { NotFoundError } from '../../shared/errors.js';
import { type FoundTrace, findTrace, type TraceSearch } from '../../shared/trace/search.js';

/** The trace `id` names (a trace, request or booking id), from the spans of the last `sinceSeconds`. */
export async function readTrace(
  search: TraceSearch,
  id: string,
  sinceSeconds: number,
  now: number,
): Promise<FoundTrace> {
  const lookup = await findTrace(search, id, now - sinceSeconds * 1000);
  if ('found' in lookup) return lookup.found;
  throw new NotFoundError(
    lookup.missing === 'id'
      ? `no log line of the window names ${id}`
      : `trace ${lookup.traceId} has no span line in the window`,
  );
}
