import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the infra files keep the stack's synthesized templates for this run (see stack-template.ts). */
    stackTemplates: string;
  }
}

/** A folder for this run's synthesized templates, shared by the infra files and removed at the end. */
export default function setup(project: TestProject): () => void {
  const folder = mkdtempSync(path.join(tmpdir(), 'stack-templates-'));
  project.provide('stackTemplates', folder);
  return () => rmSync(folder, { recursive: true, force: true });
}
