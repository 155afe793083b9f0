/**
 * Counts the AWS requests a function makes, for the cost section of `npm run
 * bench` (test/bench/cost.ts). Every SDK client of the functions is created
 * through {@link counted}; in a deployment made with `-c count=true` (the only
 * one whose functions have `COUNT_AWS_REQUESTS`) it adds two middlewares to the
 * client, and each request attempt then writes one JSON line to stdout:
 *
 *   {"awsRequest":{"service":"DynamoDB","operation":"GetItem","capacity":0.5,"readBytes":212,"items":1}}
 *
 * The bench reads these lines back from the functions' log groups. One line
 * per attempt rather than one per invocation: nothing has to run at the end of
 * every kind of handler, and an invocation that fails still leaves its lines.
 * Everywhere else {@link counted} returns the client untouched: no middleware,
 * no line, no change to any request.
 */
import type { HandlerExecutionContext, MiddlewareStack } from '@smithy/types';

/** The variable that turns counting on; set on every function of a bench deployment only. */
export const COUNT_AWS_REQUESTS = 'COUNT_AWS_REQUESTS';

/** The key of a counted request's log line. */
export const REQUEST_LINE_KEY = 'awsRequest';

/** What one request attempt's line says. */
export interface CountedRequest {
  /** `DynamoDB`, `SQS`, `SNS`, `CloudWatchLogs`, `SSM`, `CognitoIdentityProvider`... (the client's name). */
  service: string;
  /** The API action: `GetItem`, `SendMessage`, `Publish`... */
  operation: string;
  /** The error's name, when the request failed (a failed conditional write is still a request). */
  error?: string;
  /** DynamoDB: the capacity units the service reported (ReturnConsumedCapacity), summed over tables and indexes. */
  capacity?: number;
  /** DynamoDB reads: the size of the items returned, by DynamoDB's item size rules. */
  readBytes?: number;
  /** DynamoDB reads: items returned, and (Query, Scan) items read before the filter. */
  items?: number;
  scanned?: number;
  /** DynamoDB reads: a strongly consistent read (twice the units of an eventually consistent one). */
  consistent?: boolean;
}

/** DynamoDB actions that accept ReturnConsumedCapacity. */
const REPORTS_CAPACITY = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** Size of a number as DynamoDB stores it: about one byte per two significant digits, plus one. */
const numberSize = (text: string) => {
  const digits = text.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '');
  return Math.ceil(digits.replace(/0+$/, '').length / 2) + 1;
};

/** Size of one attribute value, by DynamoDB's item size rules (docs: "Item sizes and formats"). */
export function attributeSize(value: AttributeValue): number {
  const [type, inner] = Object.entries(value)[0] ?? [];
  switch (type) {
    case 'S':
      return utf8(inner as string);
    case 'N':
      return numberSize(inner as string);
    case 'B':
      return (inner as Uint8Array).byteLength;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (inner as string[]).reduce((sum, s) => sum + utf8(s), 0);
    case 'NS':
      return (inner as string[]).reduce((sum, n) => sum + numberSize(n), 0);
    case 'BS':
      return (inner as Uint8Array[]).reduce((sum, b) => sum + b.byteLength, 0);
    case 'L':
      return 3 + (inner as AttributeValue[]).reduce((sum, v) => sum + 1 + attributeSize(v), 0);
    case 'M':
      return (
        3 +
        Object.entries(inner as Item).reduce((sum, [name, v]) => sum + 1 + utf8(name) + attributeSize(v), 0)
      );
    default:
      return 0;
  }
}

/** Size of a value as the document client returns it (a string, number, Set, array, object...), by the same rules. */
export function nativeSize(value: unknown): number {
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(String(value));
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + nativeSize(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + nativeSize(v), 0);
  if (value !== null && typeof value === 'object')
    return 3 + Object.entries(value).reduce((sum, [name, v]) => sum + 1 + utf8(name) + nativeSize(v), 0);
  return 1; // boolean, null
}

/** Size of an item: its attribute names and values, as sent on the wire or as the document client returns it. */
export const itemSize = (item: Item, native = false): number =>
  Object.entries(item).reduce(
    (sum, [name, value]) => sum + utf8(name) + (native ? nativeSize(value) : attributeSize(value)),
    0,
  );

interface CapacityEntry {
  CapacityUnits?: number;
}

/** The items a DynamoDB read returned, wherever its response puts them. */
function itemsRead(operation: string, output: Record<string, unknown>): Item[] {
  if (operation === 'GetItem') return output.Item ? [output.Item as Item] : [];
  if (operation === 'Query' || operation === 'Scan') return (output.Items as Item[] | undefined) ?? [];
  if (operation === 'BatchGetItem')
    return Object.values((output.Responses as Record<string, Item[]> | undefined) ?? {}).flat();
  if (operation === 'TransactGetItems')
    return ((output.Responses as Array<{ Item?: Item }> | undefined) ?? []).flatMap((r) =>
      r.Item ? [r.Item] : [],
    );
  return [];
}

/** What a DynamoDB response says about its cost. */
function dynamoFacts(
  operation: string,
  input: Record<string, unknown>,
  output: Record<string, unknown>,
  native: boolean,
) {
  const facts: Partial<CountedRequest> = {};
  const consumed = output.ConsumedCapacity as CapacityEntry | CapacityEntry[] | undefined;
  if (consumed !== undefined)
    facts.capacity = [consumed].flat().reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
  if (['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems'].includes(operation)) {
    const items = itemsRead(operation, output);
    facts.readBytes = items.reduce((sum, item) => sum + itemSize(item, native), 0);
    facts.items = items.length;
    if (typeof output.ScannedCount === 'number') facts.scanned = output.ScannedCount;
    if (input.ConsistentRead === true) facts.consistent = true;
  }
  return facts;
}

/** The client's and the command's names without their suffixes: `DynamoDB`, `GetItem`. */
const names = (context: HandlerExecutionContext) => ({
  service: String(context.clientName ?? 'unknown').replace(/Client$/, ''),
  operation: String(context.commandName ?? 'unknown').replace(/Command$/, ''),
});

/**
 * Whether the document client's marshalling ran for this call: it then hands
 * back plain values instead of attribute values. The document client marks
 * its calls with the `DDB_MAPPER` feature (the SDK's user-agent feature flags).
 */
const throughDocumentClient = (context: HandlerExecutionContext) =>
  (context as { __aws_sdk_context?: { features?: Record<string, unknown> } }).__aws_sdk_context?.features
    ?.DDB_MAPPER !== undefined;

/** Something with an SDK v3 middleware stack: every client (the DynamoDB document client shares its client's). */
interface WithMiddleware {
  // biome-ignore lint/suspicious/noExplicitAny: the stack's input and output types differ per client
  middlewareStack: MiddlewareStack<any, any>;
}

/**
 * Adds the counting middlewares to a client: one at `initialize` that asks
 * DynamoDB for its consumed capacity, and one after the retries (each
 * attempt is a request AWS charges) that writes the attempt's line with `write`.
 */
export function addRequestCounting<C extends WithMiddleware>(client: C, write: (line: string) => void): C {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const { service, operation } = names(context);
      const input = args.input as Record<string, unknown>;
      // A copy: the caller's command input stays as it was.
      if (service === 'DynamoDB' && REPORTS_CAPACITY.has(operation) && !input.ReturnConsumedCapacity)
        return next({ ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } });
      return next(args);
    },
    { step: 'initialize', name: 'requestCountingCapacity', priority: 'high' },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const { service, operation } = names(context);
      const line: CountedRequest = { service, operation };
      try {
        const result = await next(args);
        if (line.service === 'DynamoDB')
          Object.assign(
            line,
            dynamoFacts(
              operation,
              args.input as Record<string, unknown>,
              result.output as Record<string, unknown>,
              throughDocumentClient(context),
            ),
          );
        return result;
      } catch (error) {
        line.error = error instanceof Error ? error.name : 'Error';
        throw error;
      } finally {
        write(`${JSON.stringify({ [REQUEST_LINE_KEY]: line })}\n`);
      }
    },
    { step: 'finalizeRequest', name: 'requestCounting', priority: 'low' },
  );
  return client;
}

const counting = process.env[COUNT_AWS_REQUESTS] === 'true';
const toStdout = (line: string) => void process.stdout.write(line);

/**
 * The client, counting its requests in a bench deployment; as it is anywhere
 * else. Wrap every SDK client a function creates: `counted(new SQSClient({}))`.
 */
export const counted = <C extends WithMiddleware>(client: C): C =>
  counting ? addRequestCounting(client, toStdout) : client;
