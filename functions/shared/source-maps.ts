/**
 * Stack traces in original file names and lines, paid for only when a stack
 * is formatted. esbuild injects this module into every function bundle (see
 * lib/bundles/build-options.ts). Node's `--enable-source-maps` would do the same
 * but parses each bundle's map at load time, on every cold start (+10-13 ms
 * for a 1 MB map here); this reads `index.js.map` the first time an error's
 * stack is read, with Node's own source-map decoder.
 */
import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapping } from 'node:module';

const maps = new Map<string, SourceMap | undefined>();

function mapOf(file: string): SourceMap | undefined {
  if (!maps.has(file)) {
    let map: SourceMap | undefined;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = undefined; // no map beside this file (Node's own modules, the runtime's)
    }
    maps.set(file, map);
  }
  return maps.get(file);
}

/** `at fn (functions/tasks/handler.ts:12:5)` for a frame in a mapped bundle; V8's own text otherwise. */
function frame(site: NodeJS.CallSite): string {
  const file = site.getFileName();
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  const found = file && line && column ? mapOf(file)?.findEntry(line - 1, column - 1) : undefined;
  // An empty object when the position has no mapping.
  const entry = found && 'originalSource' in found ? (found as SourceMapping) : undefined;
  if (!entry?.originalSource) return `    at ${site}`;
  // Sources are relative to the bundle's folder in the build tree: keep the part from the project root.
  const source = entry.originalSource.replace(/^(\.\.\/)+/, '');
  const where = `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  const name = site.getFunctionName();
  return name ? `    at ${name} (${where})` : `    at ${where}`;
}

Error.prepareStackTrace = (error: Error, sites: NodeJS.CallSite[]) =>
  [Error.prototype.toString.call(error), ...sites.map(frame)].join('\n');
