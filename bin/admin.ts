#!/usr/bin/env node
/**
 * `npm run admin`: grants or revokes the admin role (the user pool's `admin`
 * group). There is no way to become admin through the API; this needs
 * credentials for the user pool (the local stack's dummy ones, or yours on AWS).
 *
 *   npm run admin -- add <email> [--aws]
 *   npm run admin -- remove <email> [--aws]
 *
 * A change reaches requests once the API's cached authorizer decision for the
 * person's token expires (15 s).
 */
import { parseArgs } from 'node:util';
import {
  AdminAddUserToGroupCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';

import { ADMIN_GROUP } from '../functions/shared/identity/roles.js';
import { resolveResources } from './deployment.js';

const USAGE = 'usage: npm run admin -- add|remove <email> [--aws]';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { aws: { type: 'boolean', default: false }, deployment: { type: 'string' } },
  });
  const [action, email] = positionals;
  if ((action !== 'add' && action !== 'remove') || !email || positionals.length !== 2) throw new Error(USAGE);
  const userPoolId = (await resolveResources(values)).shared('userPoolId');
  const cognito = new CognitoIdentityProviderClient({});
  const input = { UserPoolId: userPoolId, Username: email.trim().toLowerCase(), GroupName: ADMIN_GROUP };
  try {
    await cognito.send(
      action === 'add' ? new AdminAddUserToGroupCommand(input) : new AdminRemoveUserFromGroupCommand(input),
    );
  } catch (error) {
    if (error instanceof UserNotFoundException) throw new Error(`no user signed up with ${input.Username}`);
    throw error;
  }
  process.stdout.write(
    action === 'add' ? `${input.Username} is now an admin\n` : `${input.Username} is no longer an admin\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`[admin] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof Error && error.message === USAGE ? 2 : 1);
});
