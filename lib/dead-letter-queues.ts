import { Stack } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { DeadLetterQueueRef } from '../functions/shared/dashboard/layout.js';

/**
 * Every dead-letter queue under `root`: each queue another queue of the
 * stack redrives to, however it was made (declared queues, RPC request
 * queues, the log feed's), labelled by where it sits in the stack.
 */
export function deadLetterQueuesOf(root: Construct): DeadLetterQueueRef[] {
  const stackPath = Stack.of(root).node.path;
  const seen = new Set<Queue>();
  for (const construct of root.node.findAll()) {
    const dlq = construct instanceof Queue ? construct.deadLetterQueue?.queue : undefined;
    if (dlq instanceof Queue) seen.add(dlq);
  }
  return [...seen].map((queue) => ({
    label: deadLetterQueueLabel(queue, stackPath),
    queueName: queue.queueName,
  }));
}

/** A dead-letter queue's name for people: its construct id without `-dlq`, after its service's name (`bookings-saga-queue`). */
function deadLetterQueueLabel(queue: Queue, stackPath: string): string {
  const [owner = '', ...rest] = queue.node.path.slice(stackPath.length + 1).split('/');
  const id = (rest.at(-1) ?? owner).replace(/-dlq$/, '');
  const service = owner.replace(/-service$/, '');
  return id.startsWith(service) ? id : `${service}-${id}`;
}
