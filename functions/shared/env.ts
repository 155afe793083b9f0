/**
 * The one way a function reads its configuration: each service's `env.ts`
 * names what its functions need, and each handler reads it once, at cold
 * start, through here. Every variable is checked against its schema (by
 * default a non-empty string), and a cold start with any missing or invalid
 * fails naming each one.
 */
import * as z from 'zod/mini';

const present = z.string().check(z.minLength(1));

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
  const names: string[] = [...new Set(Object.values(keyed))];
  const schema = z.object(Object.fromEntries(names.map((name) => [name, present])));
  const parsed = z.safeParse(schema, source);
  if (!parsed.success) {
    const missing = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
    throw new Error(`Missing required environment variable(s): ${missing.join(', ')}`);
  }
  const values = parsed.data as Record<string, string>;
  return Object.freeze(
    Object.fromEntries(Object.entries(keyed).map(([key, name]) => [key, values[name] as string])),
  );
}
