import * as z from 'zod/mini';
import type { FeedPublisher } from '../../shared/log-feed/event.js';

/** The answer to a downcase request: the route's response schema and the domain type in one. */
export const downcaseResult = z.object({
  input: z.string(),
  result: z.string(),
  message: z.string().check(z.describe('The sentence of the original service: `lower case of X is x`.')),
});
export type DowncaseResult = z.infer<typeof downcaseResult>;

/** Event type of the message published for every downcase response. */
export const DOWNCASE_EVENT = 'downcase.response';

/**
 * Lower-cases `input` with JavaScript's locale-independent Unicode rules
 * (so `İ` and `Σ` behave the same on every machine) and publishes the
 * response to the log feed before returning it: a caller that got an answer
 * knows the feed has it. The event names the signed-in `sender` (`userId`)
 * when there is one: the live feed shows it to them and to admins, and an
 * anonymous request's text to admins only.
 */
export async function downcase(input: string, feed: FeedPublisher, sender?: string): Promise<DowncaseResult> {
  const result = input.toLowerCase();
  const response = { input, result, message: `lower case of ${input} is ${result}` };
  await feed.publish({
    type: DOWNCASE_EVENT,
    data: sender === undefined ? response : { ...response, userId: sender },
  });
  return response;
}
