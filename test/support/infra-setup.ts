/**
 * Each infra test file's temporary files (every synth's cloud assembly, about
 * 11 MB of staged code packages; the clones of the bundle tests) in a folder
 * of its own, removed when the file is done: the system's temporary folder
 * would otherwise keep a gigabyte of them from every `npm test`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';

const own = mkdtempSync(path.join(tmpdir(), 'infra-test-'));
const previous = process.env.TMPDIR;
// os.tmpdir() reads TMPDIR on each call: the CDK's App and the scripts the tests run use it.
process.env.TMPDIR = own;

afterAll(() => {
  if (previous === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previous;
  rmSync(own, { recursive: true, force: true });
});
