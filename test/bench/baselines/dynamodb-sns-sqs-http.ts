/**
 * Bench baseline: the HTTP-layer baseline plus an SQS client, the transport of
 * every RPC call (users and bookings call other services through it): what an
 * HTTP function that stores, publishes and calls another service weighs before
 * its own code.
 */
import { SQSClient } from '@aws-sdk/client-sqs';

export { handler } from './dynamodb-sns-http.js';
export const rpcTransport = new SQSClient({});
