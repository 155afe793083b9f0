import { lambdaRpcServer } from '../shared/rpc/lambda.js';
import { readTables } from '../shared/service.js';
import { usersContract } from './contract.js';
import { profiles } from './domain/users.js';
import { dynamoUserStore } from './dynamo-store.js';
import { usersService } from './service.js';

const users = profiles({ store: dynamoUserStore(readTables(usersService).users), now: () => new Date() });

/** The users service's RPC methods: a profile, and the idempotent creation of a new identity's profile. */
export const handler = lambdaRpcServer(usersContract, {
  get: ({ id }) => users.get(id),
  ensureProfile: (profile) => users.ensureProfile(profile),
});
