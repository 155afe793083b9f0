/**
 * Idempotency keys for state-changing routes, as the IETF `Idempotency-Key`
 * header draft and Stripe's API have them. A client sends a fresh key with a
 * request that changes something (one per user action) and the same key again
 * when it retries that request. Within {@link IDEMPOTENCY_WINDOW_SECONDS}:
 * - the same key with the same request (path, query and body) gets the first
 *   answer, status and body, without the route acting again (and the header
 *   `Idempotent-Replayed: true`);
 * - the same key with another request is a 422;
 * - a repeat that arrives while the first is still running waits for its answer
 *   (up to {@link MAX_WAIT_MS}), then is a 409 with `Retry-After`;
 * - a malformed key (empty, longer than 255 characters, anything but
 *   printable ASCII) is a 400.
 * Keys belong to a caller and a route: one person's key never replays another's
 * answer, and one key on two routes is two keys. The header is optional: a
 * request without it acts as it always did.
 *
 * The records, their locking and their lifetime are Powertools idempotency's
 * (`makeIdempotent` over its DynamoDB persistence layer, one table per
 * service): only answers of a request that completed are kept; a request
 * whose route threw (a 4xx the domain raised, a 5xx) frees its key, so
 * retrying it acts again; a function that crashed frees it when its lock
 * lapses (at the function's timeout). What is ours: which requests take a
 * key, what makes two requests the same, the caller and route scope, waiting
 * for a running first request, and the HTTP answers.
 */
import { createHash, createHmac } from 'node:crypto';
import type { JSONValue } from '@aws-lambda-powertools/commons/types';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyPersistenceLayerError,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import {
  IDEMPOTENCY_KEY_HEADER,
  IdempotencyKeyInUseError,
  IdempotencyKeyReusedError,
  ValidationError,
} from '../errors.js';
import { logger } from '../logger.js';

/** How long a key's answer is kept: 24 hours, as Stripe does. */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 60 * 60;

/** The longest key accepted (Stripe's limit); a UUID is 36 characters. */
export const MAX_KEY_LENGTH = 255;

/** The header a replayed answer carries (Stripe's name for it). */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** The longest a repeat waits for the first request's answer before it is a 409. */
export const MAX_WAIT_MS = 5_000;

/** Time a waiting repeat keeps for itself before its function's timeout. */
const WAIT_MARGIN_MS = 1_000;

/**
 * 1 to 255 printable ASCII characters (space inside only: HTTP drops it at
 * either end). The value is opaque: the draft's quoted form (`"8e03..."`) and
 * a bare one (`8e03...`) are both keys, each its own.
 */
const KEY_PATTERN = /^[!-~](?:[ -~]*[!-~])?$/;

/** The header as the API document states it, on every route that takes it. */
export const IDEMPOTENCY_KEY_PARAMETER = {
  name: IDEMPOTENCY_KEY_HEADER,
  in: 'header',
  required: false,
  description:
    'Makes the request safe to repeat: a repeat with the same key and the same request within 24 h gets the first answer ' +
    `(with \`${REPLAYED_HEADER}: true\`) without acting again; the same key with another request is a 422; ` +
    'a repeat while the first still runs waits for its answer, or is a 409 with `Retry-After`. ' +
    'Keys belong to the caller and the route. Send a new random key (a UUID) per action, the same one on its retries.',
  schema: {
    type: 'string',
    minLength: 1,
    maxLength: MAX_KEY_LENGTH,
    pattern: KEY_PATTERN.source,
    examples: ['8e03978e-40d5-43e8-bc93-6894a57f9324'],
  },
} as const;

const invalidKey = (message: string) =>
  new ValidationError([{ field: `headers.${IDEMPOTENCY_KEY_HEADER}`, message }]);

/**
 * The request's idempotency key, or undefined when it sends none; a
 * ValidationError (400 naming the header) when it is malformed or repeated.
 */
export function idempotencyKeyOf(
  event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>,
): string | undefined {
  const wanted = IDEMPOTENCY_KEY_HEADER.toLowerCase();
  const values = Object.entries(event.multiValueHeaders ?? {})
    .filter(([name]) => name.toLowerCase() === wanted)
    .flatMap(([, sent]) => sent ?? []);
  if (values.length > 1) throw invalidKey('must be sent once');
  const key =
    values[0] ?? Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === wanted)?.[1];
  if (key === undefined) return undefined;
  if (key.trim() === '') throw invalidKey('must not be empty');
  if (key.length > MAX_KEY_LENGTH) throw invalidKey(`must be at most ${MAX_KEY_LENGTH} characters`);
  if (!KEY_PATTERN.test(key))
    throw invalidKey('must be printable ASCII characters (a UUID is best), without control characters');
  return key;
}

/** JSON with every object's keys sorted, so that key order and spacing do not make two requests differ. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * What makes two requests on one route "the same request": their path
 * parameters, query and body (JSON compared by value; any other body as sent).
 * Keyed with the idempotency key, which the table keeps only hashed, so a
 * fingerprint read from the table tells nothing about a body (a signup's
 * password) to someone who does not hold the key.
 */
export function requestFingerprint(
  event: Pick<APIGatewayProxyEvent, 'pathParameters' | 'queryStringParameters' | 'body' | 'isBase64Encoded'>,
  key: string,
): string {
  const text =
    event.body === null || event.body === ''
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  let body: unknown = text;
  if (text !== undefined) {
    try {
      body = { json: JSON.parse(text) };
    } catch {
      body = { text };
    }
  }
  return createHmac('sha256', key)
    .update(canonical([event.pathParameters ?? {}, event.queryStringParameters ?? {}, body ?? null]))
    .digest('base64url');
}

/** Where a service keeps its keys' records: a Powertools persistence layer (its DynamoDB one in the functions). */
export type IdempotencyStore = BasePersistenceLayer;

/** One keyed request, as the HTTP layer sees it. */
export interface KeyedRequest {
  key: string;
  /** `METHOD /resource/{param}` of the route. */
  route: string;
  /** Whose key it is: the caller's user id, or `anonymous` on routes anyone may call. */
  caller: string;
  fingerprint: string;
}

/**
 * What Powertools hashes into a record's id (`id`: the route and the caller
 * with the key, itself hashed first, since its length is the client's choice)
 * and into its validation hash (`fingerprint`).
 */
interface KeyedPayload {
  id: string;
  fingerprint: string;
}

/** The prefix of every record id (Powertools' default, the function's name, would change with a redeploy). */
const KEY_PREFIX = 'http';

const recordId = ({ route, caller, key }: Pick<KeyedRequest, 'route' | 'caller' | 'key'>) =>
  `${route}#${caller}#${sha256(key)}`;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Act = () => Promise<APIGatewayProxyResult>;

/** A replayed answer says so (Powertools calls this hook only for answers read back from a record). */
const markReplayed = (response: JSONValue): JSONValue => {
  const answer = response as unknown as APIGatewayProxyResult;
  logger.info('idempotent replay');
  return { ...answer, headers: { ...answer.headers, [REPLAYED_HEADER.toLowerCase()]: 'true' } } as JSONValue;
};

/**
 * Runs `act` once per key of `store` with Powertools' `makeIdempotent` (the
 * function it returns serves every request): the first
 * request with a key acts and its answer is kept; repeats get that answer
 * (marked replayed), or a 422 when they are another request. A repeat that
 * finds the first still running waits for its answer, polling with backoff
 * up to {@link MAX_WAIT_MS} (and never into its own function's last second),
 * then is a 409 with `Retry-After`.
 */
export function actOnceWith(store: IdempotencyStore) {
  // Made once, at cold start: Powertools configures a persistence layer once.
  const run = makeIdempotent((_payload: KeyedPayload, _lambda: Context, act: Act) => act(), {
    persistenceStore: store,
    keyPrefix: KEY_PREFIX,
    config: new IdempotencyConfig({
      eventKeyJmesPath: 'id',
      payloadValidationJmesPath: 'fingerprint',
      throwOnNoIdempotencyKey: true,
      expiresAfterSeconds: IDEMPOTENCY_WINDOW_SECONDS,
      hashFunction: 'sha256',
      responseHook: markReplayed,
    }),
  });
  return (
    request: KeyedRequest,
    lambda: Context,
    act: Act,
    sleep: (ms: number) => Promise<void> = wait,
  ): Promise<APIGatewayProxyResult> => actOnce(run, request, lambda, act, sleep);
}

async function actOnce(
  run: (payload: KeyedPayload, lambda: Context, act: Act) => Promise<APIGatewayProxyResult>,
  request: KeyedRequest,
  lambda: Context,
  act: Act,
  sleep: (ms: number) => Promise<void>,
): Promise<APIGatewayProxyResult> {
  const payload: KeyedPayload = { id: recordId(request), fingerprint: request.fingerprint };
  const waitUntil = Date.now() + Math.min(MAX_WAIT_MS, lambda.getRemainingTimeInMillis() - WAIT_MARGIN_MS);
  // What the route did, kept here: Powertools replaces a route's failure or its answer with a
  // persistence error when it cannot free or complete the record afterwards.
  let outcome: { answer: APIGatewayProxyResult } | { failure: unknown } | undefined;
  const actAndNote: Act = async () => {
    try {
      const answer = await act();
      outcome = { answer };
      return answer;
    } catch (failure) {
      outcome = { failure };
      throw failure;
    }
  };
  for (let delay = 25; ; delay = Math.min(delay * 2, 200)) {
    try {
      return await run(payload, lambda, actAndNote);
    } catch (error) {
      if (error instanceof IdempotencyValidationError) throw new IdempotencyKeyReusedError();
      if (error instanceof IdempotencyPersistenceLayerError && outcome) {
        if ('failure' in outcome) {
          // The key stays locked until the function's timeout, after which a retry acts again.
          logger.error('could not free an idempotency key', { error });
          throw outcome.failure;
        }
        // The route has acted: its answer goes to the client all the same. Until the lock lapses a
        // repeat is a 409; after it, a repeat acts again.
        logger.error('could not keep the answer of an idempotency key', { error });
        return outcome.answer;
      }
      if (!(error instanceof IdempotencyAlreadyInProgressError)) throw error;
      if (Date.now() + delay > waitUntil) throw new IdempotencyKeyInUseError();
      await sleep(delay);
    }
  }
}
