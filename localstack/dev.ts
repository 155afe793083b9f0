/**
 * `npm run dev`: after the stack is up, watches the code and keeps the running
 * stack on it.
 *   - A change under functions/ that only the functions use: esbuild rebuilds
 *     (incrementally), and only the functions whose bundle changed get the new
 *     code through Lambda UpdateFunctionCode. No CloudFormation deploy.
 *   - A change under bin/ or lib/: a full deploy. A change to a functions/
 *     file the CDK app also imports (a route table, a schema): the code update
 *     first, then a synth, and a deploy only if the template changed beyond code.
 *   - A build error is printed and the previous code keeps serving.
 */
import { existsSync, type FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import * as path from 'node:path';
import {
  CloudFormationClient,
  GetTemplateCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { LambdaClient, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { type BuildContext, build, context, type Message } from 'esbuild';
import {
  bundleOptions,
  FUNCTION_BUNDLE_METADATA,
  type FunctionBundle,
  GENERATED_FILES,
  isOnThisMachine,
  type PackageFile,
  PROJECT_ROOT,
  packageHash,
  packagesOf,
  zipPackage,
} from '../lib/function-bundles.js';
import { STACK_NAME } from '../lib/stack-outputs.js';
import { localClientConfig } from './deploy.js';
import type { Log } from './ministack.js';

/** Folders whose changes `npm run dev` follows. */
const WATCHED = ['functions', 'lib', 'bin'] as const;

/**
 * The project files the CDK app itself reads (bin/, lib/, and whatever they
 * import from functions/, e.g. route tables): a change to one of them may
 * change the infrastructure, so it calls for a deploy rather than a code update.
 */
export async function infrastructureFiles(): Promise<Set<string>> {
  const result = await build({
    entryPoints: [path.join(PROJECT_ROOT, 'bin', 'app.ts')],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return new Set(Object.keys(result.metafile.inputs).map((file) => path.resolve(PROJECT_ROOT, file)));
}

/** Which deployed functions (physical names) run each bundle, read from the deployed template. */
export async function deployedFunctions(endpoint: string): Promise<Map<FunctionBundle, string[]>> {
  const cloudformation = new CloudFormationClient(localClientConfig(endpoint));
  try {
    const { TemplateBody = '{}' } = await cloudformation.send(
      new GetTemplateCommand({ StackName: STACK_NAME }),
    );
    const template = JSON.parse(TemplateBody) as {
      Resources?: Record<string, { Type: string; Metadata?: Record<string, unknown> }>;
    };
    const resources: StackResourceSummary[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cloudformation.send(
        new ListStackResourcesCommand({ StackName: STACK_NAME, NextToken }),
      );
      resources.push(...(page.StackResourceSummaries ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    const physical = new Map(resources.map((r) => [r.LogicalResourceId, r.PhysicalResourceId]));
    const functions = new Map<FunctionBundle, string[]>();
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const bundle = resource.Metadata?.[FUNCTION_BUNDLE_METADATA];
      const name = physical.get(logicalId);
      if (resource.Type !== 'AWS::Lambda::Function' || typeof bundle !== 'string' || !name) continue;
      functions.set(bundle as FunctionBundle, [...(functions.get(bundle as FunctionBundle) ?? []), name]);
    }
    return functions;
  } finally {
    cloudformation.destroy();
  }
}

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

/**
 * A template with what a code update changes taken out (function code
 * locations, asset metadata): two templates equal under it differ in code only.
 */
export function infrastructureOf(template: unknown): string {
  const { Resources = {} } = template as { Resources?: Record<string, Record<string, unknown>> };
  const resources = Object.fromEntries(
    Object.entries(Resources).map(([id, { Metadata: _, ...resource }]) => {
      if (resource.Type !== 'AWS::Lambda::Function') return [id, resource];
      const { Code: __, ...properties } = resource.Properties as Record<string, unknown>;
      return [id, { ...resource, Properties: properties }];
    }),
  );
  return JSON.stringify({ ...(template as object), Resources: resources });
}

export interface DevOptions {
  endpoint: string;
  /** Deploys the whole app again (synth + CloudFormation); called when the infrastructure changed. */
  redeploy: () => Promise<void>;
  /** The template last deployed. */
  deployedTemplate: () => unknown;
  /** Synthesises the app as it now is (no deploy) and returns its template. */
  synthTemplate: () => Promise<unknown>;
  log?: Log;
}

export interface DevWatcher {
  /** Stops watching and releases esbuild. */
  close(): Promise<void>;
}

/** Starts watching; resolves once the first build is done and changes are being followed. */
export async function watchAndUpdate({
  endpoint,
  redeploy,
  deployedTemplate,
  synthTemplate,
  log = console.log,
}: DevOptions): Promise<DevWatcher> {
  const lambda = new LambdaClient(localClientConfig(endpoint));
  const options = bundleOptions();
  const entries = options.entryPoints as Record<string, string>;
  // One incremental context per function: an edit rebuilds only the bundles that contain the file.
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
  let functions = await deployedFunctions(endpoint);
  let infrastructure = await infrastructureFiles();
  const deployed = new Map<FunctionBundle, string>();

  const printErrors = (error: unknown) => {
    const { errors } = error as { errors?: Message[] };
    for (const e of errors ?? [{ text: String(error), location: null } as Message]) {
      const where = e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : '';
      log(`[dev] ERROR ${where}${e.text}`);
      if (e.location) log(`[dev]     ${e.location.lineText.trim()}`);
    }
  };

  /** Rebuilds the given bundles; undefined (and the errors printed) when one does not build. */
  const rebuild = async (bundles: readonly FunctionBundle[]) => {
    const results = await Promise.allSettled(
      bundles.map(async (bundle) => {
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
      if (result.status === 'fulfilled') for (const [name, files] of result.value) packages.set(name, files);
      else {
        failed = true;
        inputs.delete(bundles[i] as FunctionBundle);
        printErrors(result.reason);
      }
    });
    if (failed) log('[dev] the build failed; the previous code keeps serving. Fix it and save again.');
    return failed ? undefined : packages;
  };

  const remember = (packages: Map<FunctionBundle, PackageFile[]>) => {
    for (const [bundle, files] of packages) deployed.set(bundle, packageHash(files));
  };

  // The stack was just deployed from this same code, built the same way: it is the baseline.
  const all = [...contexts.keys()];
  const first = await rebuild(all);
  if (first) remember(first);

  const updateCode = async (files: readonly string[]): Promise<void> => {
    const started = Date.now();
    // Bundles holding a changed file, and any whose last build failed (the fix may be a new file).
    const affected = all.filter((bundle) => {
      const used = inputs.get(bundle);
      const sources = GENERATED_FILES[bundle]?.sources;
      return (
        !used || files.some((file) => used.has(file) || (sources && file.startsWith(sources + path.sep)))
      );
    });
    if (affected.length === 0) return;
    const packages = await rebuild(affected);
    if (!packages) return;
    const changed = [...packages].filter(([bundle, files]) => deployed.get(bundle) !== packageHash(files));
    if (changed.length === 0) {
      log('[dev] no function bundle changed');
      return;
    }
    const built = Date.now();
    await Promise.all(
      changed.flatMap(([bundle, files]) => {
        const ZipFile = zipPackage(files, !isOnThisMachine(endpoint));
        return (functions.get(bundle) ?? []).map((FunctionName) =>
          lambda.send(new UpdateFunctionCodeCommand({ FunctionName, ZipFile })),
        );
      }),
    );
    for (const [bundle, files] of changed) deployed.set(bundle, packageHash(files));
    const names = changed.map(([bundle]) => bundle);
    const count = names.reduce((n, bundle) => n + (functions.get(bundle)?.length ?? 0), 0);
    log(
      `[dev] updated ${names.join(', ')} (${count} function${count === 1 ? '' : 's'}) in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
        `(build ${((built - started) / 1000).toFixed(1)} s, upload ${((Date.now() - built) / 1000).toFixed(1)} s)`,
    );
  };

  const deployAll = async (): Promise<void> => {
    const started = Date.now();
    log('[dev] infrastructure changed: deploying ...');
    try {
      await redeploy();
    } catch (error) {
      log(
        `[dev] ERROR the deploy failed; the stack keeps what it had.\n${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    functions = await deployedFunctions(endpoint);
    infrastructure = await infrastructureFiles();
    const packages = await rebuild(all);
    if (packages) remember(packages);
    log(`[dev] deployed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };

  // One change at a time; what arrives meanwhile is handled right after.
  const pending = new Set<string>();
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const functionsDir = path.join(PROJECT_ROOT, 'functions') + path.sep;
  /** Queued when a synth found the infrastructure changed. */
  const DEPLOY = '(infrastructure changed)';
  /**
   * After a change to a functions/ file the CDK app reads (a route table, or a
   * schema it imports): the code is already serving; synthesise and deploy
   * only if the template differs in more than code.
   */
  // One synth at a time, off the queue: code edits keep flowing while it runs.
  let synthesising = false;
  let synthAgain = false;
  const checkInfrastructure = (): void => {
    if (synthesising) {
      synthAgain = true;
      return;
    }
    synthesising = true;
    void (async () => {
      try {
        do {
          synthAgain = false;
          log('[dev] the CDK app reads a changed file: synthesising to compare ...');
          const synthesised = await synthTemplate();
          if (infrastructureOf(synthesised) === infrastructureOf(deployedTemplate())) {
            log('[dev] infrastructure unchanged: no deploy needed');
          } else {
            pending.add(DEPLOY);
            running ??= drain();
          }
        } while (synthAgain);
      } catch (error) {
        log(`[dev] ERROR synth failed:\n${error instanceof Error ? error.message : String(error)}`);
      } finally {
        synthesising = false;
      }
    })();
  };
  const drain = async () => {
    try {
      while (pending.size > 0) {
        const files = [...pending];
        pending.clear();
        if (files.some((file) => !file.startsWith(functionsDir))) await deployAll();
        else {
          await updateCode(files);
          if (files.some((file) => infrastructure.has(file))) checkInfrastructure();
        }
      }
    } catch (error) {
      // An upload or a lookup the emulator refused: say so and keep watching (the next save tries again).
      log(`[dev] ERROR ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      running = undefined;
    }
  };
  const onChange = (file: string) => {
    if (!/\.(ts|js|mjs|cjs|json)$/.test(file)) return; // editor swap files and the like
    pending.add(file);
    clearTimeout(timer);
    // Editors often write a file in more than one step: wait for the burst to end.
    timer = setTimeout(() => {
      running ??= drain();
    }, 30);
  };

  const watchers = WATCHED.map((dir) => watchTree(path.join(PROJECT_ROOT, dir), onChange));
  log(`[dev] watching ${WATCHED.map((d) => `${d}/`).join(', ')} for changes (Ctrl-C stops)`);

  return {
    close: async () => {
      for (const close of watchers) close();
      clearTimeout(timer);
      await running;
      await Promise.all([...contexts.values()].map((ctx) => ctx.dispose()));
      lambda.destroy();
    },
  };
}
