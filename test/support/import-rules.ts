import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/**
 * The import rules of `functions/`: services meet only through contracts.
 *
 * - `functions/shared/` is the bottom layer: it imports nothing from a service
 *   folder, nor the registry (`functions/services.ts`, which imports them all).
 * - A file of service `a` imports, from another service `b`, only
 *   `functions/b/contract.ts`; the registry only if `a` is one of its readers.
 * - A contract brings in nothing but its own service's files and shared code,
 *   so importing one never pulls in a third service, and no import cycle can
 *   run through a contract.
 * - No import cycle among the files at all.
 *
 * Two services may call each other over RPC (users and bookings do): each
 * imports the other's contract, a leaf, never the other service's code.
 */

/** Source files by path relative to the project root (posix separators), e.g. `functions/users/handler.ts`. */
export type SourceFiles = ReadonlyMap<string, string>;

export interface ImportRulesOptions {
  /** Services whose files may import the registry (the API document reads every declaration). */
  registryReaders: readonly string[];
}

export interface ImportReport {
  /** One line per broken rule, naming the importing file and the specifier. */
  violations: string[];
  /** Every import of one service's file from another service's file, as resolved paths. */
  crossService: Array<{ from: string; to: string }>;
}

const ROOT = 'functions';
const SHARED = 'shared';
const SOURCE = /\.(?:ts|tsx|mts|cts)$/;

/** Reads every TypeScript source under `functions/` of the project at `projectRoot`. */
export function readSources(projectRoot: string): SourceFiles {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(projectRoot, dir), { withFileTypes: true })) {
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (SOURCE.test(entry.name))
        files.set(relative, readFileSync(path.join(projectRoot, relative), 'utf8'));
    }
  };
  walk(ROOT);
  return files;
}

/**
 * The module specifiers a source imports: static imports and re-exports (type-only
 * ones too), `import()` calls and `import('...')` types, `require()` calls.
 * `opaque` lists the lines of dynamic imports whose specifier is not a string
 * literal, which no rule can check.
 */
export function specifiersOf(fileName: string, source: string): { specifiers: string[]; opaque: number[] } {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  const opaque: number[] = [];
  const literal = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node)) specifiers.push(node.text);
    else opaque.push(file.getLineAndCharacterOfPosition((node ?? file).getStart(file)).line + 1);
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      literal(node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      literal(node.moduleReference.expression);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    ) {
      literal(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      literal(node.argument.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { specifiers, opaque };
}

/** The file a relative specifier names, as TypeScript's NodeNext resolution finds it (`./x.js` is `./x.ts`). */
function resolve(files: SourceFiles, from: string, specifier: string): string {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const candidates = [
    target,
    target.replace(/\.js$/, '.ts'),
    target.replace(/\.jsx$/, '.tsx'),
    target.replace(/\.mjs$/, '.mts'),
    target.replace(/\.cjs$/, '.cts'),
    `${target}.ts`,
    `${target}/index.ts`,
  ];
  return candidates.find((candidate) => files.has(candidate)) ?? target;
}

type Place =
  | { kind: 'shared' }
  | { kind: 'registry' }
  | { kind: 'service'; service: string }
  | { kind: 'outside' };

/** Where a path sits: shared code, a service's folder, the registry (files directly under functions/), or outside. */
function placeOf(file: string): Place {
  const parts = file.split('/');
  if (parts[0] !== ROOT || parts.length < 2) return { kind: 'outside' };
  if (parts.length === 2) return { kind: 'registry' };
  const folder = parts[1] as string;
  return folder === SHARED ? { kind: 'shared' } : { kind: 'service', service: folder };
}

const contractOf = (service: string) => `${ROOT}/${service}/contract.ts`;

/** Checks every file of `files` against the rules above. */
export function checkImports(files: SourceFiles, options: ImportRulesOptions): ImportReport {
  const violations: string[] = [];
  const crossService: ImportReport['crossService'] = [];
  const graph = new Map<string, string[]>();

  for (const [file, source] of files) {
    const from = placeOf(file);
    const { specifiers, opaque } = specifiersOf(file, source);
    for (const line of opaque) {
      violations.push(`${file}:${line} imports a computed specifier, which cannot be checked`);
    }
    const targets: string[] = [];
    graph.set(file, targets);
    for (const specifier of specifiers) {
      if (!specifier.startsWith('./') && !specifier.startsWith('../')) continue;
      const target = resolve(files, file, specifier);
      targets.push(target);
      const to = placeOf(target);
      const broke = (rule: string) => violations.push(`${file} imports ${specifier}: ${rule}`);
      if (from.kind === 'shared' && (to.kind === 'service' || to.kind === 'registry')) {
        broke('shared code imports no service and not the registry');
      } else if (from.kind === 'service' && to.kind === 'service' && to.service !== from.service) {
        crossService.push({ from: file, to: target });
        if (target !== contractOf(to.service)) {
          broke(`of another service only ${contractOf(to.service)} may be imported`);
        }
      } else if (from.kind === 'service' && to.kind === 'registry') {
        if (!options.registryReaders.includes(from.service)) {
          broke(`only ${options.registryReaders.join(', ')} may read the registry`);
        }
      }
    }
  }

  for (const file of graph.keys()) {
    const place = placeOf(file);
    if (place.kind !== 'service' || file !== contractOf(place.service)) continue;
    for (const reached of reachable(graph, file)) {
      const at = placeOf(reached);
      if (at.kind === 'shared' || (at.kind === 'service' && at.service === place.service)) continue;
      violations.push(
        `${file} brings in ${reached}: a contract depends only on its own service and shared code`,
      );
    }
  }

  for (const cycle of cyclesOf(graph)) violations.push(`import cycle among ${cycle.join(', ')}`);

  return { violations, crossService };
}

/** Every file reachable from `start` by imports (not `start` itself unless a cycle leads back). */
function reachable(graph: ReadonlyMap<string, readonly string[]>, start: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph.get(start) ?? [])];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(graph.get(next) ?? []));
  }
  return seen;
}

/** The import cycles of the graph: each strongly connected group of files that import one another (Tarjan). */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const connect = (file: string) => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        connect(target);
        low.set(file, Math.min(low.get(file) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file) as number, index.get(target) as number));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      group.unshift(member);
    } while (member !== file);
    if (group.length > 1 || graph.get(file)?.includes(file)) cycles.push(group);
  };
  for (const file of graph.keys()) if (!index.has(file)) connect(file);
  return cycles;
}
