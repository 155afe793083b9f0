/**
 * The one way a function reads its configuration: each service's `env.ts`
 * names what its functions need, and each handler reads it once, at cold
 * start, through here. Each variable must be a non-empty string (the only
 * kind of value the functions' environment holds: resource names and
 * constants), and a cold start with any missing fails naming each one. Plain
 * code rather than zod: five functions load no zod otherwise (+14 KB each).
 */
/**
 * Reads the named variables (each a non-empty string), failing fast naming
 * every missing one: by their names (`readEnv(['A', 'B']).A`), or under keys
 * of your own (`readEnv({ queueUrl: 'A' }).queueUrl`).
 */
export function readEnv<const Name extends string>(
  names: readonly Name[],
  source?: NodeJS.ProcessEnv,
): Readonly<Record<Name, string>>;
export function readEnv<const Keys extends Readonly<Record<string, string>>>(
  names: Keys,
  source?: NodeJS.ProcessEnv,
): Readonly<Record<keyof Keys, string>>;
export function readEnv(
  wanted: readonly string[] | Readonly<Record<string, string>>,
  source: NodeJS.ProcessEnv = process.env,
): Readonly<Record<string, string>> {
  const keyed: Readonly<Record<string, string>> = Array.isArray(wanted)
    ? Object.fromEntries(wanted.map((name: string) => [name, name]))
    : (wanted as Readonly<Record<string, string>>);
  const missing = [...new Set(Object.values(keyed))].filter((name) => !source[name]);
  if (missing.length > 0) throw new Error(`Missing required environment variable(s): ${missing.join(', ')}`);
  return Object.freeze(
    Object.fromEntries(Object.entries(keyed).map(([key, name]) => [key, source[name] as string])),
  );
}
