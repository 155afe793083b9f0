/**
 * The catalogue of live settings: every runtime setting a function reads from
 * SSM Parameter Store (under the stack's prefix, `/Microservices/<key>`), with
 * its schema, its deployed default and what it does. Declared once, here: the
 * CDK app creates each parameter with its default (lib/live-settings.ts), the
 * functions parse what they read with the same schema
 * (functions/shared/live-settings.ts), and `npm run config` refuses a value
 * the schema refuses. Pure: no AWS imports.
 */
import * as z from 'zod/mini';
import { RPC_TIMEOUT_MS } from './rpc/client.js';
import './zod-locale.js';

/** Powertools Logger's levels, most verbose first. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;

/** A log level, in any case (`debug` is `DEBUG`). */
const logLevel = z.pipe(
  z.pipe(
    z.string(),
    z.transform((value: string) => value.trim().toUpperCase()),
  ),
  z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`),
);

/**
 * The shortest RPC deadline allowed: a local round trip takes ~100 ms
 * (the emulator's long poll), so less would make every call a timeout.
 */
export const RPC_DEADLINE_MIN_MS = 200;

/**
 * A whole number of milliseconds between {@link RPC_DEADLINE_MIN_MS} and
 * RPC_TIMEOUT_MS: the functions' timeouts (bookings': one call and its writes)
 * are sized for the longest deadline, so a longer one could not turn into a
 * 504 before Lambda stops the function.
 */
const rpcDeadline = z.pipe(
  z.pipe(
    z.string().check(z.regex(/^\s*\d+\s*$/, 'must be a whole number of milliseconds')),
    z.transform((value: string) => Number(value)),
  ),
  z
    .number()
    .check(
      z.gte(RPC_DEADLINE_MIN_MS, `must be between ${RPC_DEADLINE_MIN_MS} and ${RPC_TIMEOUT_MS}`),
      z.lte(RPC_TIMEOUT_MS, `must be between ${RPC_DEADLINE_MIN_MS} and ${RPC_TIMEOUT_MS}`),
    ),
);

/** One setting: how its value is parsed from the parameter's string, its default, and what it does. */
export interface SettingDefinition<T> {
  /** Parses the parameter's text; a value it refuses is refused by the command and ignored by the functions. */
  schema: z.ZodMiniType<T, string>;
  /** The value the CDK app deploys (as the parameter's text). */
  default: string;
  description: string;
}

/** Every kind of setting, by name. Per-service ones exist once per service: `<service>/<name>`. */
export const SETTINGS = {
  logLevel: {
    scope: 'service',
    schema: logLevel,
    default: 'INFO',
    description:
      "The service's log level (Powertools Logger): DEBUG adds the debug lines, ERROR keeps only errors",
  },
  deadlineMs: {
    scope: 'rpc',
    schema: rpcDeadline,
    default: String(RPC_TIMEOUT_MS),
    description: 'How long an RPC call waits for its reply before it fails with a timeout (504 at the API)',
  },
} as const satisfies Record<string, SettingDefinition<unknown> & { scope: 'service' | 'rpc' }>;

export type SettingName = keyof typeof SETTINGS;

/** The value type of a setting. */
export type SettingValue<N extends SettingName> = z.output<(typeof SETTINGS)[N]['schema']>;

/** The key of a service's own setting: `downcase/logLevel`. */
export const serviceSettingKey = (service: string, name: 'logLevel') => `${service}/${name}`;

/** The key of the RPC deadline, shared by every function that calls RPC. */
export const RPC_DEADLINE_KEY = 'rpc/deadlineMs';

/** What a key names: a setting of a service, or a shared one. */
export interface SettingRef {
  key: string;
  name: SettingName;
  /** The service it belongs to; absent for a shared setting. */
  service?: string;
}

/** Every setting key of a deployment with these services: each service's log level, and the RPC deadline. */
export function settingKeys(services: readonly string[], usesRpc: boolean): SettingRef[] {
  return [
    ...services.map((service) => ({
      key: serviceSettingKey(service, 'logLevel'),
      name: 'logLevel' as const,
      service,
    })),
    ...(usesRpc ? [{ key: RPC_DEADLINE_KEY, name: 'deadlineMs' as const }] : []),
  ];
}

/** What a key names, or undefined when it names no setting (`downcase/logLevel`, `rpc/deadlineMs`). */
export function settingOf(key: string): SettingRef | undefined {
  if (key === RPC_DEADLINE_KEY) return { key, name: 'deadlineMs' };
  const match = /^([a-z][a-z0-9-]*)\/logLevel$/.exec(key);
  return match ? { key, name: 'logLevel', service: match[1] as string } : undefined;
}

/** The parameter's name of a key under a stack's prefix (`/Microservices/` + `downcase/logLevel`). */
export const parameterName = (prefix: string, key: string) => `${prefix}${key}`;

/** The stack's prefix of its parameters: `/<stack>/`. */
export const settingsPrefix = (stackName: string) => `/${stackName}/`;

/** The outcome of reading one value: the parsed value, or why it is refused. */
export type Parsed<T> = { ok: true; value: T; text: string } | { ok: false; message: string };

/**
 * Parses a value of a setting with its schema; `text` is its canonical form
 * (what the command stores: `DEBUG` for `debug`, `3000` for ` 3000`).
 */
export function parseSetting<N extends SettingName>(name: N, raw: string): Parsed<SettingValue<N>> {
  const result = z.safeParse(SETTINGS[name].schema as z.ZodMiniType, raw);
  if (result.success) return { ok: true, value: result.data as SettingValue<N>, text: String(result.data) };
  return { ok: false, message: result.error.issues.map((issue) => issue.message).join('; ') };
}
