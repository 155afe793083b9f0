// The SDK's Node-20 deprecation notice would repeat in every run; the README says it once.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { TestProject } from 'vitest/node';
import type { Deployment } from '../../lib/stack-outputs.js';
import { deployLocal } from '../../localstack/deploy.js';
import { ensureMinistack, ensureSchemathesis, freePort, startMinistack } from '../../localstack/ministack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    deployment: Deployment;
    deploymentFile: string;
  }
}

/**
 * Starts a fresh MiniStack on a free port, deploys the app to it, and hands
 * the deployment to the tests; stops the stack when they are done. Deploy
 * output is shown only if something fails.
 */
export default async function setup(project: TestProject) {
  const started = Date.now();
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  // Installed first: a port picked before a minutes-long install could be taken meanwhile.
  // Schemathesis (the fuzz tier's) too, before any test file runs: the dev test's stack runs from the same venv.
  ensureMinistack(log);
  ensureSchemathesis(log);
  const stack = await startMinistack({ port: await freePort(), log });
  const dir = mkdtempSync(path.join(tmpdir(), 'e2e-deployment-'));
  const deploymentFile = path.join(dir, 'deployment.json');
  try {
    // The fault tests may crash the saga's functions between two writes: only this deployment allows it.
    const deployment = await deployLocal({
      endpoint: stack.endpoint,
      deploymentFile,
      context: { faults: 'true' },
      log,
    });
    project.provide('deployment', deployment);
    project.provide('deploymentFile', deploymentFile);
    console.log(`[e2e] deployed to ${stack.endpoint} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    console.error(lines.join('\n'));
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return async () => {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
