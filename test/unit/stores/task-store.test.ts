import { memoryTaskStore } from '../../support/memory-task-store.js';
import { describeTaskStore } from '../../support/store-suites/task-store.js';

describeTaskStore('in memory', async () => ({ store: memoryTaskStore() }));
