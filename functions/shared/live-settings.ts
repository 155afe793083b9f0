/**
 * This execution environment's live settings, read from SSM Parameter Store
 * with Powertools Parameters (cached {@link SETTINGS_MAX_AGE_SECONDS}) at the
 * start of each invocation, so `npm run config -- set <key> <value>` takes
 * effect without a deploy. Every function reads its service's log level
 * (applied to the logger at once); a function that calls RPC also reads the
 * RPC deadline (watched by functions/shared/rpc/lambda.ts).
 *
 * The HTTP middleware and the RPC server refresh them for every function
 * built with them; a handler of another kind is wrapped in {@link withLiveSettings}.
 * Without SETTINGS_PREFIX (outside a deployment: unit tests) nothing is read
 * and every setting keeps its deployed default.
 */
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { MiddlewareObj } from '@middy/core';
import { ENV } from './env-names.js';
import { logger } from './logger.js';
import { counted } from './request-counting.js';
import { serviceSettingKey } from './settings.js';
import { liveSettings, SETTINGS_MAX_AGE_SECONDS, type SettingsSource } from './settings-reader.js';

let ssm: SSMProvider | undefined;

/** Reads parameters by name in one GetParameters call per 10, through Powertools' cache. */
const ssmSource: SettingsSource = {
  async read(names) {
    // Made on first use, with a client of its own so that the bench can count its requests.
    ssm ??= new SSMProvider({ awsSdkV3Client: counted(new SSMClient({})) });
    const { _errors: _missing, ...found } = await ssm.getParametersByName<string>(
      Object.fromEntries(names.map((name) => [name, {}])),
      { maxAge: SETTINGS_MAX_AGE_SECONDS, throwOnError: false },
    );
    return found as Record<string, string>;
  },
};

const prefix = process.env[ENV.settingsPrefix];

const disabled: SettingsSource = { read: async () => ({}) };

/** The settings of this execution environment. */
export const settings = liveSettings({
  prefix: prefix ?? '/',
  source: prefix ? ssmSource : disabled,
  log: logger,
});

const service = process.env.POWERTOOLS_SERVICE_NAME;
const logLevel = service ? settings.watch<'logLevel'>(serviceSettingKey(service, 'logLevel')) : undefined;

/**
 * Reads the settings (at most once per 30 s, through the cache; never
 * throws) and applies the log level. Applied at every invocation, not only
 * when it changes: Powertools' `injectLambdaContext` puts the logger back at
 * its initial level at each warm start (its debug sampling), so in the HTTP
 * chain this runs after it.
 */
export async function refreshSettings(): Promise<void> {
  if (!prefix) return;
  await settings.refresh();
  if (logLevel) logger.setLogLevel(logLevel());
}

// Read during the cold start, once every module has watched its keys, so the first invocation rarely waits.
if (prefix) setImmediate(() => void refreshSettings());

/** Middy middleware: the settings are refreshed before the handler runs (after the logger's context). */
export const liveSettingsMiddleware = (): MiddlewareObj => ({
  before: async () => {
    await refreshSettings();
  },
});

/** Wraps a handler so the settings are refreshed before each event. */
export function withLiveSettings<A extends unknown[], R>(handler: (...args: A) => Promise<R>) {
  return async (...args: A): Promise<R> => {
    await refreshSettings();
    return handler(...args);
  };
}
