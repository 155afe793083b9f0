/**
 * What `npm run config` was asked, checked before anything is sent: the
 * action, and for `set` a key of the catalogue with a value its schema
 * accepts (functions/shared/settings.ts). Pure, for the unit tests.
 */
import { parseSetting, SETTINGS, settingOf } from '../functions/shared/settings.js';

export const CONFIG_USAGE = 'usage: npm run config -- list | get <key> | set <key> <value> [--aws]';

/** What to do; `set` carries the value in its canonical form (`DEBUG` for `debug`). */
export type ConfigCommand =
  | { action: 'list' }
  | { action: 'get'; key: string }
  | { action: 'set'; key: string; value: string };

/** A command line refused before anything is read or written (exit code 2). */
export class ConfigUsageError extends Error {}

/** Checks the positional arguments of `npm run config`; throws ConfigUsageError saying what is wrong. */
export function parseConfigCommand(positionals: readonly string[]): ConfigCommand {
  const [action, key, value, ...extra] = positionals;
  if (action === 'list' && key === undefined) return { action };
  if (action === 'get' && key !== undefined && value === undefined) return { action, key: knownKey(key) };
  if (action === 'set' && key !== undefined && value !== undefined && extra.length === 0) {
    const ref = settingOf(knownKey(key));
    const parsed = parseSetting(ref?.name ?? 'logLevel', value);
    if (!parsed.ok) throw new ConfigUsageError(`${key}: "${value}" refused: ${parsed.message}`);
    return { action, key, value: parsed.text };
  }
  throw new ConfigUsageError(CONFIG_USAGE);
}

/** The key itself when the catalogue has such a setting. */
function knownKey(key: string): string {
  if (settingOf(key)) return key;
  throw new ConfigUsageError(
    `${key}: no such setting (settings: ${Object.entries(SETTINGS)
      .map(([name, s]) => (s.scope === 'service' ? `<service>/${name}` : `rpc/${name}`))
      .join(', ')}; \`npm run config -- list\` shows them all)`,
  );
}
