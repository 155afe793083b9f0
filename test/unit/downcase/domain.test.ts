import { describe, expect, it } from 'vitest';
import { DOWNCASE_EVENT, downcase } from '../../../functions/downcase/domain/downcase.js';
import type { FeedEventInput, FeedPublisher } from '../../../functions/shared/log-feed/event.js';

/** In-memory log feed: remembers what was published, or fails like an unreachable topic. */
function fakeFeed(fail = false): FeedPublisher & { published: FeedEventInput[] } {
  const published: FeedEventInput[] = [];
  return {
    published,
    publish: async (event) => {
      if (fail) throw new Error('topic unreachable');
      published.push(event);
    },
  };
}

describe('downcase', () => {
  it('answers with the input, the result and the original sentence', async () => {
    expect(await downcase('HeLLo', fakeFeed())).toEqual({
      input: 'HeLLo',
      result: 'hello',
      message: 'lower case of HeLLo is hello',
    });
  });

  it.each([
    ['ÀÉÎÕÜ', 'àéîõü'],
    ['ΣΑΣ', 'σας'],
    ['İstanbul', 'i̇stanbul'],
    ['ẞ straße', 'ß straße'],
    ['😀 ABC 中文', '😀 abc 中文'],
  ])('lower-cases %s without regard to locale', async (input, expected) => {
    expect((await downcase(input, fakeFeed())).result).toBe(expected);
  });

  it('publishes exactly the response to the log feed', async () => {
    const feed = fakeFeed();
    const response = await downcase('ABC', feed);
    expect(feed.published).toEqual([{ type: DOWNCASE_EVENT, data: response }]);
  });

  it('names the signed-in sender in the event, and only there', async () => {
    const feed = fakeFeed();
    const response = await downcase('ABC', feed, 'user-1');
    expect(response).toEqual({ input: 'ABC', result: 'abc', message: 'lower case of ABC is abc' });
    expect(feed.published).toEqual([{ type: DOWNCASE_EVENT, data: { ...response, userId: 'user-1' } }]);
  });

  it('fails rather than answering when the response cannot be published', async () => {
    await expect(downcase('ABC', fakeFeed(true))).rejects.toThrow('topic unreachable');
  });
});
