import { lambdaRpcServer } from '../shared/rpc/lambda.js';
import { usersContract } from './contract.js';
import { profiles } from './domain/users.js';
import { dynamoUserStore } from './dynamo-store.js';
import { profilesEnv } from './env.js';

const users = profiles({ store: dynamoUserStore(profilesEnv().table), now: () => new Date() });

/** The users service's RPC methods: a profile, and the idempotent creation of a new identity's profile. */
export const handler = lambdaRpcServer(usersContract, {
  get: ({ id }) => users.get(id),
  ensureProfile: (profile) => users.ensureProfile(profile),
});
