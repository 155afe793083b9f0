import { type CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Code, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../functions/shared/metrics-catalog.js';
import { bundleArchive } from './bundles/build.js';
import { FUNCTION_BUNDLE_METADATA } from './bundles/registry.js';
import { functionLogGroupName } from './log-group-names.js';

/** Runtime of every function on AWS; the code stays compatible with Node 20 for the local stack. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_22_X;

export interface ServiceFunctionProps {
  /**
   * Service the function belongs to; becomes POWERTOOLS_SERVICE_NAME, the
   * log-feed `service` attribute and the `service` dimension of its metrics.
   */
  service: string;
  /** Which bundle the function runs: a function's name in its service declaration. */
  bundle: string;
  /** Its entry file, relative to `functions/`; needed only for a bundle not in functions/services.ts. */
  entry?: string;
  /** Defaults to 10 seconds. */
  timeout?: Duration;
  /** Defaults to 256 MB. */
  memorySize?: number;
  description?: string;
}

/**
 * A Lambda function with the project's defaults: Node.js 22, bundled by
 * esbuild with the AWS SDK included (pinned, and present on emulators that
 * ship none), source-mapped stack traces, its own log group with a retention
 * and a predictable name (`/microservices/<stack>/<service>/<function>`, ./log-group-names.ts), JSON logs,
 * metrics in the `Microservices` namespace.
 * Its role starts empty: it may write to its own log group and nothing else
 * (not the managed AWSLambdaBasicExecutionRole, which lets it write to every
 * log group of the account); every other right is granted beside its use.
 */
export class ServiceFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly logGroup: LogGroup;
  /** Its log group's name, as a plain string (`/microservices/<stack>/<service>/<function>`). */
  readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.logGroupName = functionLogGroupName(Stack.of(this).stackName, props.service, props.bundle);
    this.logGroup = new LogGroup(this, 'logs', {
      logGroupName: this.logGroupName,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(role);
    this.fn = new LambdaFunction(this, 'function', {
      role,
      code: Code.fromAsset(bundleArchive(props.bundle, props.entry)),
      handler: 'index.handler',
      runtime: FUNCTION_RUNTIME,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      description: props.description,
      logGroup: this.logGroup,
      // For the X-Ray console on AWS (the emulators have none); the stack's own traces are span lines (functions/shared/trace).
      tracing: Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.service,
        // Where its metrics go (functions/shared/metrics.ts); `service` is their dimension.
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
    });
    // Tells `npm run dev` which deployed function runs which bundle, so it can update its code in place.
    (this.fn.node.defaultChild as CfnResource).addMetadata(FUNCTION_BUNDLE_METADATA, props.bundle);
  }

  /** Sets an environment variable naming a resource; call it next to the grant that goes with it. */
  setEnv(name: string, value: string): void {
    this.fn.addEnvironment(name, value);
  }
}
