/**
 * Whether a change calls for a deploy: which project files the CDK app reads
 * (a change to one may change the infrastructure), and whether a synthesised
 * template differs from the deployed one in more than function code.
 */
import * as path from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../../lib/project-root.js';
import type { Log } from '../ministack.js';

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

export interface InfrastructureCheckOptions {
  /** Synthesises the app as it now is (no deploy) and returns its template. */
  synthTemplate: () => Promise<unknown>;
  /** The template last deployed. */
  deployedTemplate: () => unknown;
  /** Called when a synth found the infrastructure changed. */
  onChanged: () => void;
  log: Log;
}

/**
 * A check to run after a change to a functions/ file the CDK app reads (a
 * route table, or a schema it imports), once its code is already serving: it
 * synthesises and compares with the deployed template, in the background.
 * One synth at a time: a check asked for meanwhile runs once it ends.
 */
export function infrastructureCheck({
  synthTemplate,
  deployedTemplate,
  onChanged,
  log,
}: InfrastructureCheckOptions): () => void {
  let synthesising = false;
  let synthAgain = false;
  return () => {
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
            onChanged();
          }
        } while (synthAgain);
      } catch (error) {
        log(`[dev] ERROR synth failed:\n${error instanceof Error ? error.message : String(error)}`);
      } finally {
        synthesising = false;
      }
    })();
  };
}
