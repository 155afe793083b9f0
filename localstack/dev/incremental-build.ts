/**
 * The function bundles as `npm run dev` rebuilds them: one incremental esbuild
 * context per function, so an edit rebuilds only the bundles that contain the
 * changed file. Same options and packaging as a synth's build, so a bundle
 * whose code did not change gets the same package (and hash) as deployed.
 */
import * as path from 'node:path';
import { type BuildContext, context, type Message } from 'esbuild';
import { bundleOptions } from '../../lib/bundles/build-options.js';
import { generatedFilesOf } from '../../lib/bundles/generated-files.js';
import { type PackageFile, packagesOf } from '../../lib/bundles/packaging.js';
import type { FunctionBundle } from '../../lib/bundles/registry.js';
import { PROJECT_ROOT } from '../../lib/project-root.js';
import type { Log } from '../ministack.js';

export interface IncrementalBuild {
  /** Every declared function's bundle. */
  readonly bundles: readonly FunctionBundle[];
  /**
   * The bundles a change to `files` (absolute paths) may change: those whose
   * last build read one of them or whose generated files are built from one,
   * and those whose last build failed (the fix may be a new file).
   */
  affectedBy(files: readonly string[]): FunctionBundle[];
  /** Rebuilds the given bundles' packages; undefined, with the errors logged, when one does not build. */
  rebuild(bundles: readonly FunctionBundle[]): Promise<Map<FunctionBundle, PackageFile[]> | undefined>;
  /** Releases esbuild. */
  dispose(): Promise<void>;
}

/** Prepares one incremental build per function (nothing is built yet: every bundle counts as affected). */
export async function startIncrementalBuild(log: Log): Promise<IncrementalBuild> {
  const options = bundleOptions();
  const entries = options.entryPoints as Record<string, string>;
  const contexts = new Map<FunctionBundle, BuildContext>();
  for (const [out, entry] of Object.entries(entries)) {
    contexts.set(
      out.split('/')[0] as FunctionBundle,
      await context({
        ...options,
        entryPoints: { [out]: entry },
        absWorkingDir: PROJECT_ROOT,
        metafile: true,
        logLevel: 'silent', // errors are printed below, with a word on what happens next
      }),
    );
  }
  /** The source files in each bundle as last built; absent after a failed build. */
  const inputs = new Map<FunctionBundle, Set<string>>();

  const printErrors = (error: unknown) => {
    const { errors } = error as { errors?: Message[] };
    for (const e of errors ?? [{ text: String(error), location: null } as Message]) {
      const where = e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : '';
      log(`[dev] ERROR ${where}${e.text}`);
      if (e.location) log(`[dev]     ${e.location.lineText.trim()}`);
    }
  };

  const bundles = [...contexts.keys()];
  return {
    bundles,
    affectedBy: (files) =>
      bundles.filter((bundle) => {
        const used = inputs.get(bundle);
        const sources = generatedFilesOf(bundle)?.sources;
        return (
          !used || files.some((file) => used.has(file) || (sources && file.startsWith(sources + path.sep)))
        );
      }),
    rebuild: async (wanted) => {
      const results = await Promise.allSettled(
        wanted.map(async (bundle) => {
          const result = await (contexts.get(bundle) as BuildContext).rebuild();
          inputs.set(
            bundle,
            new Set(Object.keys(result.metafile?.inputs ?? {}).map((f) => path.resolve(PROJECT_ROOT, f))),
          );
          return packagesOf(result.outputFiles ?? [], options.outdir);
        }),
      );
      const packages = new Map<FunctionBundle, PackageFile[]>();
      let failed = false;
      results.forEach((result, i) => {
        if (result.status === 'fulfilled')
          for (const [name, files] of result.value) packages.set(name, files);
        else {
          failed = true;
          inputs.delete(wanted[i] as FunctionBundle);
          printErrors(result.reason);
        }
      });
      if (failed) log('[dev] the build failed; the previous code keeps serving. Fix it and save again.');
      return failed ? undefined : packages;
    },
    dispose: async () => {
      await Promise.all([...contexts.values()].map((ctx) => ctx.dispose()));
    },
  };
}
