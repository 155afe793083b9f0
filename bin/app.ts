#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { MicroservicesStack } from '../lib/microservices-stack.js';
import { STACK_NAME } from '../lib/stack-outputs.js';

const app = new App();
new MicroservicesStack(app, STACK_NAME, {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  benchRoutes: app.node.tryGetContext('bench') === 'true' || app.node.tryGetContext('bench') === true,
});
