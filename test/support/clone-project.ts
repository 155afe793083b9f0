import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../lib/project-root.js';

const SOURCES = [
  'bin',
  'functions',
  'lib',
  'localstack',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'cdk.json',
];

/**
 * A working copy of the project at `into`, for tests that edit code or build
 * it elsewhere without touching this checkout: the sources copied,
 * node_modules hard-linked (no bytes copied) and the local stack's virtualenv
 * linked. `from` copies another clone's sources, so both hold exactly the same code.
 */
export function cloneProject(into: string, from = PROJECT_ROOT): void {
  mkdirSync(into, { recursive: true });
  for (const part of SOURCES) {
    cpSync(path.join(from, part), path.join(into, part), {
      recursive: true,
      filter: (source) => !/[/\\]localstack[/\\]\.(venv|state)$/.test(source),
    });
  }
  execFileSync('cp', ['-al', path.join(PROJECT_ROOT, 'node_modules'), path.join(into, 'node_modules')]);
  const venv = path.join(PROJECT_ROOT, 'localstack', '.venv');
  if (existsSync(venv)) symlinkSync(venv, path.join(into, 'localstack', '.venv'));
}
