/**
 * The token authorizer's cost: p50 of the same no-op function behind the
 * authorizer and without it, in the same run, with the authorizer's decision
 * cache on (the deployed TTL) and off (TTL 0, set on the live API and
 * redeployed to the stage, then restored).
 */
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  GetAuthorizersCommand,
  UpdateAuthorizerCommand,
} from '@aws-sdk/client-api-gateway';
import type { Deployment } from '../../lib/stack-outputs.js';
import { stackResources } from '../../lib/stack-outputs.js';
import { benchPerson } from './people.js';
import { httpLoad } from './stats.js';

export async function authorizerBench(deployment: Deployment, check: (target: string, ok: boolean) => void) {
  const resources = stackResources(deployment.outputs);
  const apiId = resources.shared('apiId');
  const apiStage = resources.shared('apiStage');
  const gateway = new APIGatewayClient({});
  const { items = [] } = await gateway.send(new GetAuthorizersCommand({ restApiId: apiId }));
  const authorizer = items[0];
  if (!authorizer?.id) throw new Error('the API has no authorizer');
  const setTtl = async (seconds: number) => {
    await gateway.send(
      new UpdateAuthorizerCommand({
        restApiId: apiId,
        authorizerId: authorizer.id,
        patchOperations: [{ op: 'replace', path: '/authorizerResultTtlInSeconds', value: String(seconds) }],
      }),
    );
    await gateway.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: apiStage }));
  };

  const person = await benchPerson(deployment);
  const headers = { authorization: `Bearer ${person.accessToken}` };
  const open = `${deployment.apiBaseUrl}bench/noop`;
  const signedIn = `${deployment.apiBaseUrl}bench/noop/signed-in`;
  const measure = async () => {
    await httpLoad(signedIn, 1, 20, headers);
    return {
      open: await httpLoad(open, 1, 200),
      signedIn: await httpLoad(signedIn, 1, 200, headers),
    };
  };

  const cached = await measure();
  const ttl = authorizer.authorizerResultTtlInSeconds ?? 0;
  await setTtl(0);
  let uncached: Awaited<ReturnType<typeof measure>>;
  try {
    uncached = await measure();
  } finally {
    await setTtl(ttl);
  }

  console.log(
    '\ntoken authorizer: the same no-op function, public and behind the authorizer (1 client, p50)',
  );
  console.log('  authorizer cache  | public      | signed in   | authorizer adds');
  for (const [label, run] of [
    [`on (${ttl} s)`, cached],
    ['off', uncached],
  ] as const) {
    console.log(
      `  ${label.padEnd(17)} | ${run.open.p50.toFixed(1).padStart(6)} ms | ${run.signedIn.p50.toFixed(1).padStart(6)} ms | ${(run.signedIn.p50 - run.open.p50).toFixed(1)} ms`,
    );
  }
  check(
    'authorizer: every signed-in bench request answered 200',
    cached.signedIn.errors === 0 && uncached.signedIn.errors === 0,
  );
}
