/**
 * Bench baseline: the DynamoDB + SNS baseline plus the HTTP layer every HTTP
 * function shares and the project requires (middy, the Powertools logger and
 * metrics, zod/mini validation, the error mapping) serving one trivial route: what an
 * HTTP function that stores and publishes weighs before its own code.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { httpHandler } from '../../../functions/shared/http/middleware.js';
import { defineRoutes } from '../../../functions/shared/http/route.js';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sns = new SNSClient({});

const routes = defineRoutes({
  ping: {
    method: 'GET',
    path: '/ping',
    summary: 'Answers with what it was given',
    auth: 'none',
    query: z.object({ say: z.string().check(z.minLength(1)) }),
    response: z.object({ said: z.string(), ready: z.boolean() }),
  },
});

export const handler = httpHandler(routes, {
  ping: async ({ query }) => ({ said: query.say, ready: Boolean(documents && sns) }),
});
