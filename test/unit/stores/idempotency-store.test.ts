import { memoryIdempotencyStore } from '../../support/memory-idempotency-store.js';
import { describeIdempotencyStore } from '../../support/store-suites/idempotency-store.js';

describeIdempotencyStore('in memory', async () => ({ store: memoryIdempotencyStore().store }));
