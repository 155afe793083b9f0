import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Adds a stack output under `name` (see lib/stack-outputs.ts for every name). */
export function output(scope: Construct, name: string, value: string): void {
  new CfnOutput(Stack.of(scope), name, { value });
}
