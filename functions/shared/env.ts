/**
 * Reads required environment variables once, at cold start, and fails fast
 * naming every missing one. Each function set calls this in its own `env.ts`.
 */
export function readEnv<const Name extends string>(
  names: readonly Name[],
  source: NodeJS.ProcessEnv = process.env,
): Readonly<Record<Name, string>> {
  const missing = names.filter((name) => !source[name]);
  if (missing.length > 0) {
    throw new Error(`Missing required environment variable(s): ${missing.join(', ')}`);
  }
  return Object.freeze(Object.fromEntries(names.map((name) => [name, source[name]]))) as Record<Name, string>;
}
