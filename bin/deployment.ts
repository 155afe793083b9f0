/**
 * Where the scripts in bin/ find the deployed stack: the local deployment file
 * that `npm start` writes (pointing the SDK at the local stack), or with
 * `--aws` the stack's outputs on AWS, read with your ordinary credentials.
 */
import { existsSync } from 'node:fs';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { readDeployment, STACK_NAME, type StackResources, stackResources } from '../lib/stack-outputs.js';
import { LOCAL_DEPLOYMENT_FILE, localAwsEnv } from '../localstack/deploy.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface DeploymentChoice {
  /** Use the stack on AWS rather than the local one. */
  aws?: boolean | undefined;
  /** A deployment file other than the one `npm start` writes (tests use their own). */
  deployment?: string | undefined;
}

/** The stack's resources; also points the AWS SDK at the local stack when the deployment is local. */
export async function resolveResources({
  aws = false,
  deployment,
}: DeploymentChoice): Promise<StackResources> {
  const file = deployment ?? (aws ? undefined : LOCAL_DEPLOYMENT_FILE);
  if (file && existsSync(file)) {
    const found = readDeployment(file);
    if (found.endpoint) Object.assign(process.env, localAwsEnv(found.endpoint));
    return stackResources(found.outputs);
  }
  if (!aws && !process.env.AWS_ENDPOINT_URL) {
    throw new Error(
      'No local deployment found: start one with `npm start`, or pass --aws for the stack on AWS.',
    );
  }
  const cloudformation = new CloudFormationClient({});
  const result = await cloudformation.send(new DescribeStacksCommand({ StackName: STACK_NAME }));
  const outputs = result.Stacks?.[0]?.Outputs ?? [];
  return stackResources(Object.fromEntries(outputs.map((o) => [o.OutputKey ?? '', o.OutputValue ?? ''])));
}
