#!/usr/bin/env node
import { prebuildBundles } from '../lib/bundles/build.js';

// The function bundles build in esbuild's own process while the CDK loads; the stack then finds them built.
const bundles = prebuildBundles();
const [{ App }, { MicroservicesStack }, { STACK_NAME }] = await Promise.all([
  import('aws-cdk-lib'),
  import('../lib/microservices-stack.js'),
  import('../lib/stack-outputs.js'),
]);
await bundles;

const app = new App();
const flag = (name: string) => [true, 'true'].includes(app.node.tryGetContext(name));
new MicroservicesStack(app, STACK_NAME, {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  benchRoutes: flag('bench'),
  faults: flag('faults'),
  // Only the bench's cost and scale sections deploy with `-c count=true`: every function then logs
  // the AWS requests it makes, a line each, which the other sections would measure too.
  countRequests: flag('count'),
  // The web ACL is for AWS: an emulator endpoint (npm start, the tests) cannot deploy or enforce one.
  webAcl: process.env.AWS_ENDPOINT_URL === undefined,
});
