#!/usr/bin/env node
/**
 * `npm run config`: the stack's live settings in SSM Parameter Store, read
 * and changed without a deploy. Functions see a change within 30 s (their
 * cache of the values).
 *
 *   npm run config -- list                        # every setting, its value and its default
 *   npm run config -- get downcase/logLevel
 *   npm run config -- set downcase/logLevel DEBUG [--aws] [--deployment file]
 *
 * A key the catalogue does not have, or a value its schema refuses
 * (functions/shared/settings.ts), is refused before anything is sent: exit
 * code 2, with the reason. Targets the local stack started by `npm start`
 * (or AWS_ENDPOINT_URL), or with --aws the stack deployed to AWS.
 */
import { parseArgs } from 'node:util';
import {
  GetParameterCommand,
  GetParametersByPathCommand,
  type Parameter,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { parseSetting, SETTINGS, settingOf } from '../functions/shared/settings.js';
import { SETTINGS_MAX_AGE_SECONDS } from '../functions/shared/settings-reader.js';
import { type ConfigCommand, ConfigUsageError, parseConfigCommand } from './config-command.js';
import { resolveResources } from './deployment.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    aws: { type: 'boolean', default: false },
    deployment: { type: 'string' },
  },
});

const fail = (message: string, code: number): never => {
  process.stderr.write(`[config] ${message}\n`);
  process.exit(code);
};

/** Every parameter under the prefix, by key. */
async function listAll(ssm: SSMClient, prefix: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let NextToken: string | undefined;
  do {
    const page = await ssm.send(
      new GetParametersByPathCommand({ Path: prefix, Recursive: true, NextToken, MaxResults: 10 }),
    );
    for (const p of page.Parameters ?? ([] as Parameter[]))
      if (p.Name && p.Value !== undefined) found.set(p.Name.slice(prefix.length), p.Value);
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

/** The current text of a key, or a clear refusal when this deployment has no such setting. */
async function current(ssm: SSMClient, prefix: string, key: string): Promise<string> {
  try {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: `${prefix}${key}` }));
    return Parameter?.Value ?? '';
  } catch (error) {
    if (error instanceof ParameterNotFound)
      return fail(`${key}: this deployment has no such setting (\`npm run config -- list\` shows them)`, 2);
    throw error;
  }
}

async function run(command: ConfigCommand): Promise<void> {
  const prefix = (await resolveResources(args)).shared('settingsPrefix');
  const ssm = new SSMClient({});
  if (command.action === 'list') {
    const rows = [...(await listAll(ssm, prefix))].sort(([a], [b]) => a.localeCompare(b));
    const width = Math.max(...rows.map(([key]) => key.length), 3);
    for (const [key, value] of rows) {
      const ref = settingOf(key);
      const note = !ref
        ? '(not a known setting)'
        : parseSetting(ref.name, value).ok
          ? `(default ${SETTINGS[ref.name].default})`
          : `(INVALID: functions keep their last good value; default ${SETTINGS[ref.name].default})`;
      process.stdout.write(`${key.padEnd(width)}  ${value.padEnd(8)}  ${note}\n`);
    }
    return;
  }
  const before = await current(ssm, prefix, command.key);
  if (command.action === 'get') {
    process.stdout.write(`${before}\n`);
    return;
  }
  await ssm.send(
    new PutParameterCommand({
      Name: `${prefix}${command.key}`,
      Value: command.value,
      Type: 'String',
      Overwrite: true,
    }),
  );
  process.stdout.write(
    `${command.key}: ${before} -> ${command.value} (functions use it within ${SETTINGS_MAX_AGE_SECONDS} s)\n`,
  );
}

try {
  await run(parseConfigCommand(positionals));
} catch (error) {
  if (error instanceof ConfigUsageError) fail(error.message, 2);
  fail(`error: ${error instanceof Error ? error.message : String(error)}`, 1);
}
