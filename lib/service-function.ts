import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runtime of every function on AWS; the code stays compatible with Node 20 for the local stack. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_22_X;

export interface ServiceFunctionProps {
  /** Service the function belongs to; becomes POWERTOOLS_SERVICE_NAME and the log-feed `service` attribute. */
  service: string;
  /** Handler file, relative to `functions/`, exporting `handler`. */
  entry: string;
  /** Defaults to 10 seconds. */
  timeout?: Duration;
  /** Defaults to 256 MB. */
  memorySize?: number;
  description?: string;
  /** Files (paths relative to the project root) copied next to the bundle, readable from LAMBDA_TASK_ROOT. */
  files?: string[];
}

/**
 * A Lambda function with the project's defaults: Node.js 22, bundled by
 * esbuild with the AWS SDK included (pinned, and present on emulators that
 * ship none), source maps, its own log group with a retention, JSON logs.
 */
export class ServiceFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly service: string;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.service = props.service;
    this.logGroup = new LogGroup(this, 'logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.fn = new NodejsFunction(this, 'function', {
      entry: path.join(ROOT, 'functions', props.entry),
      handler: 'handler',
      runtime: FUNCTION_RUNTIME,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      description: props.description,
      logGroup: this.logGroup,
      projectRoot: ROOT,
      depsLockFilePath: path.join(ROOT, 'package-lock.json'),
      environment: {
        POWERTOOLS_SERVICE_NAME: props.service,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        externalModules: [],
        format: OutputFormat.CJS,
        target: 'node20',
        minify: true,
        keepNames: true,
        sourceMap: true,
        ...(props.files?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  (props.files ?? []).map((file) => `cp "${path.join(inputDir, file)}" "${outputDir}/"`),
              },
            }
          : {}),
      },
    });
  }

  /** Sets an environment variable naming a resource; call it next to the grant that goes with it. */
  setEnv(name: string, value: string): void {
    this.fn.addEnvironment(name, value);
  }
}
