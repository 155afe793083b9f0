import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { counted } from '../shared/request-counting.js';
import type { Probes } from './domain/health.js';

const dynamo = counted(new DynamoDBClient({}));
const sqs = counted(new SQSClient({}));

/** Table states in which it serves reads and writes. */
const SERVING = new Set(['ACTIVE', 'UPDATING']);

/** The checks' reach into AWS: DescribeTable and GetQueueAttributes, the only actions the health functions hold. */
export const awsProbes: Probes = {
  async table(tableName, signal) {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }), {
      abortSignal: signal,
    });
    if (!SERVING.has(Table?.TableStatus ?? ''))
      throw new Error(`table is ${Table?.TableStatus ?? 'unknown'}`);
  },
  async queue(queueUrl, signal) {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'RedrivePolicy'],
      }),
      { abortSignal: signal },
    );
    const redrive = Attributes?.RedrivePolicy
      ? (JSON.parse(Attributes.RedrivePolicy) as { deadLetterTargetArn?: string })
      : {};
    return {
      messages: Number(Attributes?.ApproximateNumberOfMessages ?? 0),
      ...(redrive.deadLetterTargetArn ? { deadLetterQueueArn: redrive.deadLetterTargetArn } : {}),
    };
  },
};
