import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downcaseService } from '../../functions/downcase/service.js';
import { SETTINGS_MAX_AGE_SECONDS } from '../../functions/shared/settings-reader.js';
import { api, clientConfig, lambda, logLines, resources, runScript, waitFor } from './support.js';

/** Runs `npm run config -- <args>` on the test deployment (its script, through tsx); resolves whatever its exit status. */
const config = (...args: string[]) => runScript('bin/config.ts', args, { AWS_ENDPOINT_URL: undefined });

const KEY = 'downcase/logLevel';
/** How long a change may take to reach every execution environment, plus the log lines' delivery. */
const PROPAGATION_MS = SETTINGS_MAX_AGE_SECONDS * 1000 + 15_000;

let logGroup = '';
let original = '';

/**
 * One downcase request and its log lines. A request without `param` is
 * answered 400 with its request id, which each of its log lines carries;
 * the access-log line (INFO) is written last, so once it is there, so are
 * the others.
 */
async function requestLines(): Promise<{ sentAt: number; levels: string[] }> {
  const sentAt = Date.now();
  const response = await api<{ requestId: string }>('downcase');
  expect(response.status).toBe(400);
  const { requestId } = response.body;
  const lines = await waitFor(
    `the access-log line of request ${requestId}`,
    async () => {
      const found = (await logLines(logGroup, requestId)).map(
        (line) => JSON.parse(line) as { level: string; message: string },
      );
      return found.some((line) => line.message === 'request') ? found : undefined;
    },
    // Lines reach CloudWatch Logs in seconds; on a machine running every e2e project at once, later.
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  return { sentAt, levels: lines.map((line) => line.level) };
}

describe('live configuration: npm run config', () => {
  beforeAll(async () => {
    const fn = await lambda.send(
      new GetFunctionConfigurationCommand({
        FunctionName: resources.functionName(downcaseService, 'downcase'),
      }),
    );
    logGroup = fn.LoggingConfig?.LogGroup ?? '';
    expect(logGroup).not.toBe('');
    const got = await config('get', KEY);
    expect(got.status).toBe(0);
    original = got.stdout.trim();
    expect(original).toBe('INFO');
  });

  // Other files run on this deployment after this one: the setting goes back to what it was.
  afterAll(async () => {
    const restored = await config('set', KEY, original);
    expect(restored.status).toBe(0);
  });

  it('lists every setting with its value and default', async () => {
    const listed = await config('list');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/^downcase\/logLevel\s+INFO\s+\(default INFO\)$/m);
    expect(listed.stdout).toMatch(/^rpc\/deadlineMs\s+5000\s+\(default 5000\)$/m);
  });

  it('set downcase/logLevel DEBUG makes downcase write DEBUG lines within 30 s, without a deploy; INFO stops them', async () => {
    expect((await requestLines()).levels).not.toContain('DEBUG');

    const set = await config('set', KEY, 'DEBUG');
    // Written once the command is done (its start takes seconds on a busy machine).
    const setAt = Date.now();
    expect(set.status).toBe(0);
    expect(set.stdout).toContain(`${KEY}: INFO -> DEBUG`);
    const debugged = await waitFor(
      'a DEBUG line from downcase',
      async () => {
        const request = await requestLines();
        return request.levels.includes('DEBUG') ? request : undefined;
      },
      { timeoutMs: PROPAGATION_MS, intervalMs: 1_000 },
    );
    // Within the settings' cache age, give or take one poll of the wait above (1 s and its request).
    expect(debugged.sentAt - setAt).toBeLessThanOrEqual(SETTINGS_MAX_AGE_SECONDS * 1000 + 2_000);

    expect((await config('set', KEY, 'INFO')).status).toBe(0);
    // Each execution environment reads again within 30 s: three clean requests in a row show it took.
    let clean = 0;
    await waitFor(
      'three requests in a row without DEBUG lines',
      async () => {
        clean = (await requestLines()).levels.includes('DEBUG') ? 0 : clean + 1;
        return clean >= 3 ? true : undefined;
      },
      { timeoutMs: PROPAGATION_MS, intervalMs: 500 },
    );
  });

  it('a bad value written around the command is refused by downcase: it keeps its level and logs an ERROR naming the key', async () => {
    const ssm = new SSMClient(clientConfig);
    await ssm.send(
      new PutParameterCommand({
        Name: `${resources.shared('settingsPrefix')}${KEY}`,
        Value: 'LOUD',
        Type: 'String',
        Overwrite: true,
      }),
    );
    try {
      const line = await waitFor(
        'the ERROR line naming downcase/logLevel',
        async () => {
          await api('downcase');
          return (await logLines(logGroup, `live setting ${KEY} refused`))[0];
        },
        { timeoutMs: PROPAGATION_MS, intervalMs: 1_000 },
      );
      expect(JSON.parse(line)).toMatchObject({ level: 'ERROR', setting: KEY, value: 'LOUD', kept: 'INFO' });
      // INFO lines only (the access log and the request's span line): the refused DEBUG was not applied.
      expect([...new Set((await requestLines()).levels)]).toEqual(['INFO']);
    } finally {
      expect((await config('set', KEY, 'INFO')).status).toBe(0);
    }
  });

  // The refusals change nothing, so they run at once: each is three runs of the command.
  it.concurrent.for([
    [KEY, 'LOUD', 'must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT'],
    ['rpc/deadlineMs', '60000', 'must be between 200 and 5000'],
    ['rpc/deadlineMs', 'soon', 'must be a whole number of milliseconds'],
  ] as const)(
    'refuses set %s %s (exit code 2) and changes nothing',
    async ([key, value, reason], { expect }) => {
      const before = (await config('get', key)).stdout;
      const refused = await config('set', key, value);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain(`${key}: "${value}" refused: ${reason}`);
      expect((await config('get', key)).stdout).toBe(before);
    },
  );

  it.concurrent('refuses a key no setting has (exit code 2)', async ({ expect }) => {
    const refused = await config('set', 'downcase/colour', 'blue');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('downcase/colour: no such setting');
  });
});
