import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { ParameterTier, StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ENV } from '../functions/shared/env-names.js';
import {
  parameterName,
  RPC_DEADLINE_KEY,
  SETTINGS,
  serviceSettingKey,
  settingKeys,
  settingsPrefix,
} from '../functions/shared/settings.js';
import type { DeclaredService } from './declared-service.js';
import { output } from './outputs.js';
import type { ServiceFunction } from './service-function.js';
import { OUTPUT } from './stack-outputs.js';

export interface LiveSettingsProps {
  /** The deployed services: each gets its own settings (its log level). */
  services: readonly string[];
  /** The stack has RPC: the shared RPC deadline is made too. */
  rpc: boolean;
}

/**
 * The live settings of the stack (the catalogue in functions/shared/settings.ts):
 * one SSM parameter per setting under the stack's prefix (`/Microservices/downcase/logLevel`),
 * created with its deployed default. `npm run config` changes them; the
 * functions read them at run time. A redeploy leaves a changed value alone
 * unless its default changed (CloudFormation updates only what the template changes).
 */
export class LiveSettings extends Construct {
  /** `/<stack>/`, output as `SettingsPrefix` for `npm run config`. */
  readonly prefix: string;
  private readonly parameters = new Map<string, StringParameter>();

  constructor(scope: Construct, id: string, props: LiveSettingsProps) {
    super(scope, id);
    this.prefix = settingsPrefix(Stack.of(this).stackName);
    for (const ref of settingKeys(props.services, props.rpc)) {
      const setting = SETTINGS[ref.name];
      this.parameters.set(
        ref.key,
        new StringParameter(this, ref.key.replaceAll('/', '-'), {
          parameterName: parameterName(this.prefix, ref.key),
          stringValue: setting.default,
          description: setting.description,
          tier: ParameterTier.STANDARD,
        }),
      );
    }
    output(this, OUTPUT.settingsPrefix, this.prefix);
  }

  /**
   * Lets a function read its own service's settings, and the RPC deadline
   * when it calls RPC (GetParameter(s) on those parameters, nothing else),
   * and tells it the prefix.
   */
  allowRead(fn: ServiceFunction, service: string, callsRpc: boolean): void {
    const keys = [serviceSettingKey(service, 'logLevel'), ...(callsRpc ? [RPC_DEADLINE_KEY] : [])];
    const resources = keys.map((key) => {
      const parameter = this.parameters.get(key);
      if (!parameter) throw new Error(`no live setting ${key} was made`);
      return parameter.parameterArn;
    });
    fn.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['ssm:GetParameter', 'ssm:GetParameters'], resources }),
    );
    fn.setEnv(ENV.settingsPrefix, this.prefix);
  }

  /** Lets every function of the deployed services read its settings ({@link allowRead}). */
  allowReads(services: readonly DeclaredService[]): void {
    for (const service of services)
      for (const [bundle, fn] of Object.entries(service.functions))
        this.allowRead(
          fn,
          service.declaration.name,
          (service.declaration.functions[bundle]?.calls ?? []).length > 0,
        );
  }
}
