/** The file-system side of `npm run dev`: which folders it follows, and how a folder tree is watched. */
import { existsSync, type FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import * as path from 'node:path';

/** Folders (relative to the project) whose changes `npm run dev` follows. */
export const WATCHED = ['functions', 'lib', 'bin'] as const;

/**
 * Calls `onFile` with the path of every file created, changed or replaced
 * under `root`. Watches each directory rather than each file: editors (and
 * `sed -i`) save by writing a new file over the old one, which a watch on the
 * old file would miss. (Node 20's recursive fs.watch on Linux watches files.)
 */
export function watchTree(root: string, onFile: (file: string) => void): () => void {
  const watchers = new Map<string, FSWatcher>();
  const add = (dir: string) => {
    if (watchers.has(dir)) return;
    const watcher = watch(dir, (_event, name) => {
      if (!name) return;
      const full = path.join(dir, name.toString());
      if (existsSync(full) && statSync(full).isDirectory()) add(full);
      else onFile(full);
    });
    watcher.on('error', () => {
      watcher.close(); // the directory was removed
      watchers.delete(dir);
    });
    watchers.set(dir, watcher);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'node_modules') add(path.join(dir, entry.name));
    }
  };
  add(root);
  return () => {
    for (const watcher of watchers.values()) watcher.close();
  };
}
