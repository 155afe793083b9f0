import { z } from 'zod';
import type { FeedPublisher } from '../../shared/log-feed/event.js';

/** The answer to a downcase request: the route's response schema and the domain type in one. */
export const downcaseResult = z.object({
  input: z.string(),
  result: z.string(),
  message: z.string().describe('The sentence of the original service: `lower case of X is x`.'),
});
export type DowncaseResult = z.infer<typeof downcaseResult>;

/** Event type of the message published for every downcase response. */
export const DOWNCASE_EVENT = 'downcase.response';

/**
 * Lower-cases `input` with JavaScript's locale-independent Unicode rules
 * (so `İ` and `Σ` behave the same on every machine) and publishes the
 * response to the log feed before returning it: a caller that got an answer
 * knows the feed has it.
 */
export async function downcase(input: string, feed: FeedPublisher): Promise<DowncaseResult> {
  const result = input.toLowerCase();
  const response = { input, result, message: `lower case of ${input} is ${result}` };
  await feed.publish({ type: DOWNCASE_EVENT, data: response });
  return response;
}
