import { describe, expect, it } from 'vitest';
import { ConfigUsageError, parseConfigCommand } from '../../../bin/config-command.js';
import { RPC_TIMEOUT_MS } from '../../../functions/shared/rpc/client.js';
import {
  parseSetting,
  RPC_DEADLINE_KEY,
  SETTINGS,
  settingKeys,
  settingOf,
} from '../../../functions/shared/settings.js';
import { liveSettings, type SettingsSource } from '../../../functions/shared/settings-reader.js';

describe('the settings catalogue', () => {
  it.each([
    ['DEBUG', 'DEBUG'],
    ['debug', 'DEBUG'],
    [' warn ', 'WARN'],
    ['SILENT', 'SILENT'],
  ])('reads the log level %j as %s', (raw, level) => {
    expect(parseSetting('logLevel', raw)).toEqual({ ok: true, value: level, text: level });
  });

  it.each(['LOUD', '', 'DEBUG INFO'])('refuses the log level %j, naming the levels', (raw) => {
    expect(parseSetting('logLevel', raw)).toEqual({
      ok: false,
      message: 'must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT',
    });
  });

  it.each([
    ['200', 200],
    ['3000', 3000],
    [String(RPC_TIMEOUT_MS), RPC_TIMEOUT_MS],
  ])('reads the RPC deadline %j as %i ms', (raw, ms) => {
    expect(parseSetting('deadlineMs', raw)).toEqual({ ok: true, value: ms, text: String(ms) });
  });

  it.each([
    ['199', 'must be between 200 and 5000'],
    ['5001', 'must be between 200 and 5000'],
    ['2.5', 'must be a whole number of milliseconds'],
    ['-1', 'must be a whole number of milliseconds'],
    ['5s', 'must be a whole number of milliseconds'],
    ['', 'must be a whole number of milliseconds'],
  ])('refuses the RPC deadline %j: %s', (raw, message) => {
    expect(parseSetting('deadlineMs', raw)).toEqual({ ok: false, message });
  });

  it('has defaults its own schemas accept, the deadline being the one the function timeouts are sized for', () => {
    for (const [name, setting] of Object.entries(SETTINGS))
      expect(parseSetting(name as keyof typeof SETTINGS, setting.default).ok).toBe(true);
    expect(SETTINGS.deadlineMs.default).toBe(String(RPC_TIMEOUT_MS));
    expect(SETTINGS.logLevel.default).toBe('INFO');
  });

  it("names each service's log level and the shared RPC deadline", () => {
    expect(settingKeys(['downcase', 'live-feed'], true).map((ref) => ref.key)).toEqual([
      'downcase/logLevel',
      'live-feed/logLevel',
      'rpc/deadlineMs',
    ]);
    expect(settingKeys(['downcase'], false).map((ref) => ref.key)).toEqual(['downcase/logLevel']);
    expect(settingOf('live-feed/logLevel')).toEqual({
      key: 'live-feed/logLevel',
      name: 'logLevel',
      service: 'live-feed',
    });
    expect(settingOf(RPC_DEADLINE_KEY)).toEqual({ key: RPC_DEADLINE_KEY, name: 'deadlineMs' });
    for (const key of ['downcase/colour', 'logLevel', '/downcase/logLevel', 'rpc/logLevel/x'])
      expect(settingOf(key)).toBeUndefined();
  });
});

/** A parameter store in memory, counting reads; `failing` makes the next reads throw. */
function fakeStore(values: Record<string, string> = {}) {
  const store = { values, reads: 0, failing: false };
  const source: SettingsSource = {
    read: async (names) => {
      store.reads += 1;
      if (store.failing) throw new Error('ThrottlingException');
      return Object.fromEntries(names.filter((n) => n in store.values).map((n) => [n, store.values[n]]));
    },
  };
  return { store, source };
}

function recordingLog() {
  const lines: Array<{ level: 'error' | 'warn'; message: string; extra: Record<string, unknown> }> = [];
  return {
    lines,
    log: {
      error: (message: string, extra: Record<string, unknown>) =>
        lines.push({ level: 'error', message, extra }),
      warn: (message: string, extra: Record<string, unknown>) =>
        lines.push({ level: 'warn', message, extra }),
    },
  };
}

const PREFIX = '/Microservices/';

describe('live settings: the last good value', () => {
  it('starts at the deployed default, and applies a good value read (calling back once per change)', async () => {
    const { store, source } = fakeStore({ '/Microservices/downcase/logLevel': 'INFO' });
    const { lines, log } = recordingLog();
    const settings = liveSettings({ prefix: PREFIX, source, log });
    const changes: string[] = [];
    const level = settings.watch<'logLevel'>('downcase/logLevel', (value) => changes.push(value));
    const deadline = settings.watch<'deadlineMs'>('rpc/deadlineMs');
    expect([level(), deadline()]).toEqual(['INFO', 5000]);

    await settings.refresh();
    expect(changes).toEqual([]);
    store.values['/Microservices/downcase/logLevel'] = 'debug';
    store.values['/Microservices/rpc/deadlineMs'] = '1500';
    await settings.refresh();
    await settings.refresh();
    expect([level(), deadline()]).toEqual(['DEBUG', 1500]);
    expect(changes).toEqual(['DEBUG']);
    expect(lines).toEqual([]);
  });

  it('keeps the last good value of a key read with a bad one, and logs one ERROR naming the key', async () => {
    const { store, source } = fakeStore({ '/Microservices/downcase/logLevel': 'WARN' });
    const { lines, log } = recordingLog();
    const settings = liveSettings({ prefix: PREFIX, source, log });
    const changes: string[] = [];
    const level = settings.watch<'logLevel'>('downcase/logLevel', (value) => changes.push(value));
    await settings.refresh();

    store.values['/Microservices/downcase/logLevel'] = 'LOUD';
    await settings.refresh();
    await settings.refresh();
    expect(level()).toBe('WARN');
    expect(changes).toEqual(['WARN']);
    expect(lines).toEqual([
      {
        level: 'error',
        message:
          'live setting downcase/logLevel refused: must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT; keeping WARN',
        extra: { setting: 'downcase/logLevel', value: 'LOUD', kept: 'WARN' },
      },
    ]);

    store.values['/Microservices/downcase/logLevel'] = 'ERROR';
    await settings.refresh();
    expect(level()).toBe('ERROR');
  });

  it('keeps the deployed default when the first value read is bad', async () => {
    const { source } = fakeStore({ '/Microservices/rpc/deadlineMs': '60000' });
    const { lines, log } = recordingLog();
    const settings = liveSettings({ prefix: PREFIX, source, log });
    const deadline = settings.watch<'deadlineMs'>('rpc/deadlineMs');
    await settings.refresh();
    expect(deadline()).toBe(5000);
    expect(lines.map((l) => [l.level, l.extra.setting])).toEqual([['error', 'rpc/deadlineMs']]);
  });

  it('keeps the current values when a parameter is missing or the store cannot be read, and waits before trying again', async () => {
    let now = 0;
    const { store, source } = fakeStore({ '/Microservices/downcase/logLevel': 'DEBUG' });
    const { lines, log } = recordingLog();
    const settings = liveSettings({ prefix: PREFIX, source, log, retryAfterMs: 30_000, now: () => now });
    const level = settings.watch<'logLevel'>('downcase/logLevel');
    await settings.refresh();
    delete store.values['/Microservices/downcase/logLevel'];
    await settings.refresh();
    expect(level()).toBe('DEBUG');

    store.failing = true;
    await settings.refresh();
    expect(level()).toBe('DEBUG');
    expect(lines.map((l) => l.level)).toEqual(['warn']);
    const readsWhenFailed = store.reads;
    now = 29_999;
    await settings.refresh();
    expect(store.reads).toBe(readsWhenFailed);
    store.failing = false;
    store.values['/Microservices/downcase/logLevel'] = 'ERROR';
    now = 30_000;
    await settings.refresh();
    expect(level()).toBe('ERROR');
  });

  it('reads every watched key in one read, shared by concurrent invocations', async () => {
    const { store, source } = fakeStore();
    const settings = liveSettings({ prefix: PREFIX, source, log: recordingLog().log });
    settings.watch('downcase/logLevel');
    settings.watch('rpc/deadlineMs');
    settings.watch('downcase/logLevel');
    await Promise.all([settings.refresh(), settings.refresh(), settings.refresh()]);
    expect(store.reads).toBe(1);
  });

  it('refuses to watch a key that names no setting', () => {
    const settings = liveSettings({ prefix: PREFIX, source: fakeStore().source, log: recordingLog().log });
    expect(() => settings.watch('downcase/colour')).toThrow('no live setting is named downcase/colour');
  });
});

describe('npm run config: what it is asked', () => {
  it('takes list, get <key> and set <key> <value>, storing the canonical value', () => {
    expect(parseConfigCommand(['list'])).toEqual({ action: 'list' });
    expect(parseConfigCommand(['get', 'downcase/logLevel'])).toEqual({
      action: 'get',
      key: 'downcase/logLevel',
    });
    expect(parseConfigCommand(['set', 'downcase/logLevel', 'debug'])).toEqual({
      action: 'set',
      key: 'downcase/logLevel',
      value: 'DEBUG',
    });
    expect(parseConfigCommand(['set', 'rpc/deadlineMs', '2500'])).toEqual({
      action: 'set',
      key: 'rpc/deadlineMs',
      value: '2500',
    });
  });

  it.each([
    [
      ['set', 'downcase/logLevel', 'LOUD'],
      'downcase/logLevel: "LOUD" refused: must be one of TRACE, DEBUG, INFO',
    ],
    [['set', 'rpc/deadlineMs', '10000'], 'rpc/deadlineMs: "10000" refused: must be between 200 and 5000'],
    [['set', 'downcase/colour', 'blue'], 'downcase/colour: no such setting'],
    [['get', 'nope'], 'nope: no such setting'],
    [[], 'usage: npm run config -- list | get <key> | set <key> <value> [--aws]'],
    [['set', 'downcase/logLevel'], 'usage:'],
    [['list', 'extra'], 'usage:'],
    [['set', 'downcase/logLevel', 'DEBUG', 'INFO'], 'usage:'],
    [['delete', 'downcase/logLevel'], 'usage:'],
  ])('refuses %j before sending anything: %s', (argv, message) => {
    expect(() => parseConfigCommand(argv)).toThrow(ConfigUsageError);
    expect(() => parseConfigCommand(argv)).toThrow(message);
  });
});
