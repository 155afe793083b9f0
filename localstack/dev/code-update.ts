/**
 * New code on the running stack without a deploy: which deployed functions
 * run each bundle (read from the deployed template), which bundles' packages
 * differ from what those functions run, and Lambda UpdateFunctionCode for them.
 */
import {
  CloudFormationClient,
  GetTemplateCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { LambdaClient, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { isOnThisMachine, type PackageFile, packageHash, zipPackage } from '../../lib/bundles/packaging.js';
import { FUNCTION_BUNDLE_METADATA, type FunctionBundle } from '../../lib/bundles/registry.js';
import { STACK_NAME } from '../../lib/stack-outputs.js';
import { localClientConfig } from '../deploy.js';
import type { Log } from '../ministack.js';

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

export interface CodeUpdates {
  /** Reads again which functions run each bundle (after a deploy). */
  refresh(): Promise<void>;
  /** Records the packages as what their functions run (just deployed from the same code). */
  remember(packages: ReadonlyMap<FunctionBundle, readonly PackageFile[]>): void;
  /**
   * Uploads each package that differs from what its functions run, to all of
   * them, and says what it did; `started` (epoch ms) is when the change was
   * seen, for the timings.
   */
  update(packages: ReadonlyMap<FunctionBundle, readonly PackageFile[]>, started: number): Promise<void>;
  close(): void;
}

/** Code updates to the stack at `endpoint`, starting from the functions deployed there now. */
export async function startCodeUpdates(endpoint: string, log: Log): Promise<CodeUpdates> {
  const lambda = new LambdaClient(localClientConfig(endpoint));
  let functions = await deployedFunctions(endpoint);
  /** The hash of the package each bundle's functions run. */
  const deployed = new Map<FunctionBundle, string>();
  const remember: CodeUpdates['remember'] = (packages) => {
    for (const [bundle, files] of packages) deployed.set(bundle, packageHash(files));
  };
  return {
    refresh: async () => {
      functions = await deployedFunctions(endpoint);
    },
    remember,
    update: async (packages, started) => {
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
      remember(new Map(changed));
      const names = changed.map(([bundle]) => bundle);
      const count = names.reduce((n, bundle) => n + (functions.get(bundle)?.length ?? 0), 0);
      log(
        `[dev] updated ${names.join(', ')} (${count} function${count === 1 ? '' : 's'}) in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
          `(build ${((built - started) / 1000).toFixed(1)} s, upload ${((Date.now() - built) / 1000).toFixed(1)} s)`,
      );
    },
    close: () => lambda.destroy(),
  };
}
