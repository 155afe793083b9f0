/**
 * What the functions' log lines say an operation used: Lambda invocations and
 * billed GB-seconds (the REPORT line of each invocation), the AWS requests the
 * functions made (the lines of functions/shared/request-counting.ts, written
 * in a bench deployment only), DynamoDB's read and write units, and the bytes
 * CloudWatch Logs ingested. Pure: test/bench/cost.ts reads the lines, the unit
 * tests feed made-up ones.
 */
import { type CountedRequest, REQUEST_LINE_KEY } from '../../functions/shared/request-counting.js';
import type { Usage } from './prices.js';

/** One log event, as FilterLogEvents returns it. */
export interface LogLine {
  message: string;
  timestamp: number;
}

/** A log group's lines in a window, and what writes to it. */
export interface GroupLines {
  group: string;
  /** The function whose log group it is, if one is: its bundle, and whether SQS triggers it. */
  fn?: { bundle: string; sqsTriggered: boolean };
  lines: LogLine[];
}

/** Per function: invocations, billed milliseconds, memory. */
export interface FunctionTally {
  invocations: number;
  billedMs: number;
  memoryMb: number;
  gbSeconds: number;
}

export interface Tally {
  functions: Record<string, FunctionTally>;
  /** AWS requests made by the functions, by `Service.Operation`. */
  requests: Record<string, number>;
  dynamo: {
    /** Computed from the items' sizes (DynamoDB's rules); see {@link dynamoUnits}. */
    readUnits: number;
    /** As the emulator reported them: its writes follow item sizes, indexes and transactions. */
    writeUnits: number;
    /** The emulator's own figure for the reads (0.5 or 1 per request, whatever the size). */
    reportedReadUnits: number;
  };
  /** SQS requests Lambda's event source makes for an SQS-triggered function (estimated: see {@link tally}). */
  eventSourceSqsRequests: number;
  /** Bytes CloudWatch Logs ingests: each line but the counting lines, plus 26 bytes per event. */
  logBytes: number;
}

/** What CloudWatch Logs counts per event on top of its message (the PutLogEvents size rule). */
export const LOG_EVENT_OVERHEAD_BYTES = 26;

const REPORT =
  /^REPORT RequestId: \S+\s+Duration: [\d.]+ ms\s+Billed Duration: ([\d.]+) ms\s+Memory Size: (\d+) MB/;

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/**
 * The units one DynamoDB request costs on AWS. Reads are computed from the
 * items' sizes, as the emulator charges every read 0.5 or 1 unit whatever it
 * returned: 4 KB per strongly consistent unit, half a unit eventually
 * consistent; Query and Scan charge for what they read before the filter
 * (the bytes returned, scaled by scanned / returned); every item of a batch
 * or transaction rounds up on its own (a transaction costs twice). The
 * sizes are of what came back, so a projection makes a read look smaller
 * than AWS counts it. Writes are the emulator's figure; a failed write
 * (a condition that did not hold) still costs: 1 unit, 2 in a transaction.
 */
export function dynamoUnits(request: CountedRequest): { read: number; write: number } {
  const { operation } = request;
  if (READS.has(operation)) {
    const rate = request.consistent ? 1 : 0.5;
    const items = request.items ?? 0;
    const bytes = request.readBytes ?? 0;
    const blocks = (size: number) => Math.max(1, Math.ceil(size / 4096));
    if (operation === 'GetItem') return { read: rate * blocks(bytes), write: 0 };
    if (operation === 'BatchGetItem') return { read: 0.5 * Math.max(items, blocks(bytes)), write: 0 };
    if (operation === 'TransactGetItems') return { read: 2 * Math.max(items, blocks(bytes)), write: 0 };
    const scanned = request.scanned ?? items;
    const readBytes = items > 0 ? bytes * Math.max(1, scanned / items) : 0;
    return { read: rate * blocks(readBytes), write: 0 };
  }
  if (WRITES.has(operation))
    return { read: 0, write: request.capacity ?? (operation === 'TransactWriteItems' ? 2 : 1) };
  return { read: 0, write: 0 };
}

/** The counted request a line carries, if it is a counting line. */
export function countedRequest(message: string): CountedRequest | undefined {
  if (!message.startsWith(`{"${REQUEST_LINE_KEY}"`)) return undefined;
  try {
    return (JSON.parse(message) as Record<string, CountedRequest>)[REQUEST_LINE_KEY];
  } catch {
    return undefined;
  }
}

/**
 * Adds up the lines of some log groups. Lambda's SQS event source polls
 * and deletes on the function's behalf, which no line shows: each invocation
 * of an SQS-triggered function is taken as one ReceiveMessage and one
 * DeleteMessageBatch (its idle long polls are a fixed cost per queue, not
 * per operation).
 */
export function tally(groups: readonly GroupLines[]): Tally {
  const result: Tally = {
    functions: {},
    requests: {},
    dynamo: { readUnits: 0, writeUnits: 0, reportedReadUnits: 0 },
    eventSourceSqsRequests: 0,
    logBytes: 0,
  };
  for (const { group, fn, lines } of groups) {
    for (const { message } of lines) {
      const request = countedRequest(message);
      if (request) {
        const key = `${request.service}.${request.operation}`;
        result.requests[key] = (result.requests[key] ?? 0) + 1;
        if (request.service === 'DynamoDB') {
          const units = dynamoUnits(request);
          result.dynamo.readUnits += units.read;
          result.dynamo.writeUnits += units.write;
          if (READS.has(request.operation)) result.dynamo.reportedReadUnits += request.capacity ?? 0;
        }
        continue;
      }
      result.logBytes += Buffer.byteLength(message, 'utf8') + LOG_EVENT_OVERHEAD_BYTES;
      const report = REPORT.exec(message);
      if (report) {
        const name = fn?.bundle ?? group;
        const billedMs = Math.ceil(Number(report[1]));
        const memoryMb = Number(report[2]);
        const entry = result.functions[name] ?? { invocations: 0, billedMs: 0, memoryMb, gbSeconds: 0 };
        result.functions[name] = entry;
        entry.invocations += 1;
        entry.billedMs += billedMs;
        entry.gbSeconds += (billedMs / 1000) * (memoryMb / 1024);
        if (fn?.sqsTriggered) result.eventSourceSqsRequests += 2;
      }
    }
  }
  return result;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const requestsOf = (tallied: Tally, service: string) =>
  sum(
    Object.entries(tallied.requests)
      .filter(([key]) => key.startsWith(`${service}.`))
      .map(([, count]) => count),
  );

/** One operation's average use, from the tally of `operations` of them, each one API request (or none). */
export function usagePerOperation(tallied: Tally, operations: number, apiRequestsEach: number): Usage {
  const functions = Object.values(tallied.functions);
  return {
    apiRequests: apiRequestsEach,
    webSocketMessages: (tallied.requests['ApiGatewayManagementApi.PostToConnection'] ?? 0) / operations,
    lambdaInvocations: sum(functions.map((f) => f.invocations)) / operations,
    lambdaGbSeconds: sum(functions.map((f) => f.gbSeconds)) / operations,
    dynamoReadUnits: tallied.dynamo.readUnits / operations,
    dynamoWriteUnits: tallied.dynamo.writeUnits / operations,
    sqsRequests: (requestsOf(tallied, 'SQS') + tallied.eventSourceSqsRequests) / operations,
    snsRequests: requestsOf(tallied, 'SNS') / operations,
    logBytes: tallied.logBytes / operations,
  };
}

/** The requests of a tally by service, per operation: `{ DynamoDB: 3, SQS: 2.5 }`. */
export function requestsByService(tallied: Tally, operations: number): Record<string, number> {
  const byService: Record<string, number> = {};
  for (const [key, count] of Object.entries(tallied.requests)) {
    const service = key.slice(0, key.indexOf('.'));
    byService[service] = (byService[service] ?? 0) + count / operations;
  }
  return byService;
}
