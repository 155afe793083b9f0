import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Reads the files a function serves as they are (Swagger UI, the console),
 * each from `dir` once, on first request, then from memory.
 */
export function staticFiles(dir: string): (name: string) => string {
  const files = new Map<string, string>();
  return (name) => {
    let text = files.get(name);
    if (text === undefined) {
      text = readFileSync(path.join(dir, name), 'utf8');
      files.set(name, text);
    }
    return text;
  };
}
