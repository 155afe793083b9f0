/**
 * The builders of files that a function serves and that are built from other
 * sources, by the name a function's declaration gives them (`generatedFiles`,
 * functions/shared/service.ts): a declaration can only name a builder, as
 * code under functions/ does not import build code.
 */
import * as path from 'node:path';
import type { GeneratedFilesName } from '../../functions/shared/service.js';
import { consoleAssetFiles } from '../console-assets.js';
import { PROJECT_ROOT } from '../project-root.js';
import type { PackageFile } from './packaging.js';
import { FUNCTION_DECLARATIONS, type FunctionBundle } from './registry.js';

/** How one set of generated files is made. */
export interface GeneratedFiles {
  /** The folder they are built from: `npm run dev` rebuilds the function when a file there changes. */
  sources: string;
  /** Builds them, in memory, as files at the root of the function's code package. */
  build: () => PackageFile[];
}

const BUILDERS: Readonly<Record<GeneratedFilesName, GeneratedFiles>> = {
  // The web console's browser app (app.js, app.css), served by the console function.
  'console-app': {
    sources: path.join(PROJECT_ROOT, 'functions', 'console', 'app'),
    build: consoleAssetFiles,
  },
};

/** The generated files a bundle's function declares, if any (none for a bundle not in the registry). */
export function generatedFilesOf(bundle: FunctionBundle): GeneratedFiles | undefined {
  const name = FUNCTION_DECLARATIONS[bundle]?.generatedFiles;
  return name === undefined ? undefined : BUILDERS[name];
}
