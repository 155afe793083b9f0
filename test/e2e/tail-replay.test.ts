import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { logFeedService } from '../../functions/log-feed/service.js';
import { api, logLines, resources, startTail, waitFor } from './support.js';

describe('npm run tail -- --since', () => {
  it('prints the feed’s messages of the last minutes first, then follows live, each message once', async () => {
    const before = `before${randomUUID().slice(0, 8)}`;
    expect((await api(`downcase?param=${before}`)).status).toBe(200);
    // The feed line `tail` prints, as the subscriber writes it (its group holds its own log lines too).
    const feedLine = new RegExp(`^\\S+Z downcase downcase\\.response \\S+ .*"input":"${before}"`, 'm');
    // Published before tail starts: it can only come from the replay.
    await waitFor('the message in the subscriber’s log group', async () => {
      const lines = await logLines(resources.logGroup(logFeedService, 'subscriber'), before);
      return lines.some((line) => feedLine.test(line)) ? lines : undefined;
    });

    // Two minutes hold the message, and fewer of the other tests' lines than the default ten.
    const tail = startTail(['--service', 'downcase', '--since', '2m']);
    const stdout = tail.stdout;
    try {
      // The replay's header goes to stderr before its lines go to stdout: two pipes, read as they come.
      await waitFor(
        'tail to replay the message',
        async () => (tail.stderr().includes('then live') && feedLine.test(stdout()) ? true : undefined),
        { timeoutMs: 60_000 },
      );

      const after = `after${randomUUID().slice(0, 8)}`;
      expect((await api(`downcase?param=${after}`)).status).toBe(200);
      await waitFor('tail to print the live message', async () =>
        stdout().includes(after) ? true : undefined,
      );
      // One line for the message (it names the tag in its input, result and message).
      expect(
        stdout()
          .split('\n')
          .filter((line) => line.includes(before)),
      ).toHaveLength(1);
      expect(stdout().indexOf(before)).toBeLessThan(stdout().indexOf(after));
    } finally {
      tail.process.kill('SIGTERM');
    }
    expect(await tail.exited).toBe(0);
  });
});
