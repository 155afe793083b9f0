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
 * This module runs that loop; its parts are in this folder.
 */
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../lib/project-root.js';
import type { Log } from '../ministack.js';
import { startCodeUpdates } from './code-update.js';
import { startIncrementalBuild } from './incremental-build.js';
import { infrastructureCheck, infrastructureFiles } from './infrastructure.js';
import { WATCHED, watchTree } from './watch.js';

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
  const bundles = await startIncrementalBuild(log);
  const code = await startCodeUpdates(endpoint, log);
  let infrastructure = await infrastructureFiles();

  // The stack was just deployed from this same code, built the same way: it is the baseline.
  const first = await bundles.rebuild(bundles.bundles);
  if (first) code.remember(first);

  const updateCode = async (files: readonly string[]): Promise<void> => {
    const started = Date.now();
    const affected = bundles.affectedBy(files);
    if (affected.length === 0) return;
    const packages = await bundles.rebuild(affected);
    if (packages) await code.update(packages, started);
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
    await code.refresh();
    infrastructure = await infrastructureFiles();
    const packages = await bundles.rebuild(bundles.bundles);
    if (packages) code.remember(packages);
    log(`[dev] deployed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };

  // One change at a time; what arrives meanwhile is handled right after.
  const pending = new Set<string>();
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const functionsDir = path.join(PROJECT_ROOT, 'functions') + path.sep;
  /** Queued when a synth found the infrastructure changed. */
  const DEPLOY = '(infrastructure changed)';
  // Off the queue: code edits keep flowing while a synth runs.
  const checkInfrastructure = infrastructureCheck({
    synthTemplate,
    deployedTemplate,
    log,
    onChanged: () => {
      pending.add(DEPLOY);
      running ??= drain();
    },
  });
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
      await bundles.dispose();
      code.close();
    },
  };
}
