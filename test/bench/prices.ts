/**
 * AWS's published on-demand prices in us-east-1 (US East, N. Virginia), the
 * only prices the bench's cost section uses (test/bench/cost.ts). First tier
 * of each price, free tiers left out: the figures are the price of an
 * operation in an account that already pays for its use.
 *
 * Recorded 2026-12-04 from AWS's pricing pages below (the figures agree with
 * the summaries of them dated 2025-2026 found that day). Re-read the pages
 * before relying on a figure: prices change, and they differ by region.
 */
export const PRICES = {
  recorded: '2026-12-04',
  region: 'us-east-1',
  /** REST API requests (this stack's API is a REST API), first 333 million a month. */
  apiGatewayRestPerMillion: 3.5,
  /** WebSocket API messages (the live feed's deliveries, 32 KB each), first billion a month. */
  apiGatewayWebSocketMessagePerMillion: 1.0,
  /** Lambda requests (invocations), any trigger. */
  lambdaRequestPerMillion: 0.2,
  /** Lambda duration on x86 (the stack's functions' architecture), first 6 billion GB-seconds a month. */
  lambdaPerGbSecond: 0.0000166667,
  /** DynamoDB on-demand: per million write request units (1 KB each; 2 for a transactional write). */
  dynamoWritePerMillion: 0.625,
  /** DynamoDB on-demand: per million read request units (4 KB strongly consistent, or 8 KB eventually consistent). */
  dynamoReadPerMillion: 0.125,
  /** SQS standard queue requests (each 64 KB of payload is one request), first 100 billion a month. */
  sqsPerMillion: 0.4,
  /** SNS standard topic publishes (a PublishBatch is one request per 64 KB); deliveries to SQS and Lambda cost nothing. */
  snsPublishPerMillion: 0.5,
  /** CloudWatch Logs ingestion, Standard class (Lambda's logs: the first tier of its vended-log prices). */
  logsIngestionPerGb: 0.5,
} as const;

/** Where each price was read. */
export const PRICE_SOURCES = [
  'https://aws.amazon.com/api-gateway/pricing/',
  'https://aws.amazon.com/lambda/pricing/',
  'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  'https://aws.amazon.com/sqs/pricing/',
  'https://aws.amazon.com/sns/pricing/',
  'https://aws.amazon.com/cloudwatch/pricing/',
] as const;

/**
 * What the bench counts but prices at nothing per request, and why: these
 * are charged some other way, or not at all at this use.
 */
export const NOT_PRICED_PER_REQUEST = {
  CognitoIdentityProvider:
    'Cognito charges per monthly active user, not per request (https://aws.amazon.com/cognito/pricing/)',
  SSM: 'Parameter Store standard parameters at standard throughput: no charge (https://aws.amazon.com/systems-manager/pricing/)',
  CloudWatchLogs: 'PutLogEvents has no request price; the bytes it ingests are priced as log ingestion',
  EventBridge: 'scheduled rule events cost nothing; the Lambda invocation they start is priced',
} as const;

/** What one operation uses, on average. */
export interface Usage {
  apiRequests: number;
  webSocketMessages: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  dynamoReadUnits: number;
  dynamoWriteUnits: number;
  sqsRequests: number;
  snsRequests: number;
  logBytes: number;
}

/** The price of a million operations that each use `usage`, in dollars, by what is paid for. */
export function dollarsPerMillion(usage: Usage, prices: typeof PRICES = PRICES) {
  const GB = 1024 ** 3;
  const parts = {
    apiGateway:
      usage.apiRequests * prices.apiGatewayRestPerMillion +
      usage.webSocketMessages * prices.apiGatewayWebSocketMessagePerMillion,
    lambda:
      usage.lambdaInvocations * prices.lambdaRequestPerMillion +
      usage.lambdaGbSeconds * 1_000_000 * prices.lambdaPerGbSecond,
    dynamoDb:
      usage.dynamoReadUnits * prices.dynamoReadPerMillion +
      usage.dynamoWriteUnits * prices.dynamoWritePerMillion,
    sqs: usage.sqsRequests * prices.sqsPerMillion,
    sns: usage.snsRequests * prices.snsPublishPerMillion,
    logs: ((usage.logBytes * 1_000_000) / GB) * prices.logsIngestionPerGb,
  };
  return { ...parts, total: Object.values(parts).reduce((sum, value) => sum + value, 0) };
}
