/**
 * Bench baseline: a handler that only creates a DynamoDB document client and
 * an SNS client, bundled like every function: what an HTTP function that
 * stores and publishes cannot weigh less than.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sns = new SNSClient({});

export const handler = async () => ({ statusCode: 200, body: String(Boolean(documents && sns)) });
