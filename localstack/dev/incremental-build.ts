/**
 * The function bundles as `npm run dev` rebuilds them: an incremental esbuild
 * context per set of bundles rebuilt together (one function's, or every
 * function's after a change to shared code), so an edit rebuilds only the
 * bundles that contain the changed file, and each set after the first time
 * incrementally. Same options and packaging as a synth's build, so a bundle
 * whose code did not change gets the same package (and hash) as deployed.
 */
import * as path from 'node:path';
import { type BuildContext, type BuildResult, context, type Message } from 'esbuild';
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

/**
 * The sets of bundles kept ready to rebuild incrementally: each holds what esbuild parsed for it,
 * so the least recently used set is released past this many.
 */
const CONTEXTS_KEPT = 8;

/** Prepares the builds (nothing is built yet: every bundle counts as affected). */
export async function startIncrementalBuild(log: Log): Promise<IncrementalBuild> {
  const options = bundleOptions();
  const entries = options.entryPoints as Record<string, string>;
  const bundles = Object.keys(entries).map((out) => out.split('/')[0] as FunctionBundle);
  /** One context per set of bundles built together, by the set's sorted names; most recently used last. */
  const contexts = new Map<string, Promise<BuildContext>>();
  /** The source files in each bundle as last built; absent after a failed build. */
  const inputs = new Map<FunctionBundle, Set<string>>();

  const contextOf = (wanted: readonly FunctionBundle[]): Promise<BuildContext> => {
    const key = [...wanted].sort().join(' ');
    const kept = contexts.get(key);
    contexts.delete(key);
    const ctx =
      kept ??
      context({
        ...options,
        entryPoints: Object.fromEntries(
          Object.entries(entries).filter(([out]) => wanted.includes(out.split('/')[0] as FunctionBundle)),
        ),
        absWorkingDir: PROJECT_ROOT,
        metafile: true,
        logLevel: 'silent', // errors are printed below, with a word on what happens next
      });
    contexts.set(key, ctx);
    for (const [oldest, released] of contexts) {
      if (contexts.size <= CONTEXTS_KEPT) break;
      contexts.delete(oldest);
      void released.then((c) => c.dispose());
    }
    return ctx;
  };

  /** Records the files each bundle of a build read, from its metafile's outputs. */
  const recordInputs = (result: BuildResult) => {
    const read = new Map<FunctionBundle, Set<string>>();
    for (const [output, { inputs: used }] of Object.entries(result.metafile?.outputs ?? {})) {
      const bundle = path.relative(options.outdir, path.resolve(PROJECT_ROOT, output)).split(path.sep)[0];
      const files = read.get(bundle as FunctionBundle) ?? new Set<string>();
      for (const file of Object.keys(used)) files.add(path.resolve(PROJECT_ROOT, file));
      read.set(bundle as FunctionBundle, files);
    }
    for (const [bundle, files] of read) inputs.set(bundle, files);
  };

  const printErrors = (error: unknown) => {
    const { errors } = error as { errors?: Message[] };
    for (const e of errors ?? [{ text: String(error), location: null } as Message]) {
      const where = e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : '';
      log(`[dev] ERROR ${where}${e.text}`);
      if (e.location) log(`[dev]     ${e.location.lineText.trim()}`);
    }
  };

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
      try {
        const result = await (await contextOf(wanted)).rebuild();
        recordInputs(result);
        return packagesOf(result.outputFiles ?? [], options.outdir);
      } catch (error) {
        for (const bundle of wanted) inputs.delete(bundle);
        printErrors(error);
        log('[dev] the build failed; the previous code keeps serving. Fix it and save again.');
        return undefined;
      }
    },
    dispose: async () => {
      await Promise.all([...contexts.values()].map(async (ctx) => (await ctx).dispose()));
    },
  };
}
