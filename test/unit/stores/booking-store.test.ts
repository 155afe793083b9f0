import { memoryBookingStore } from '../../support/memory-booking-store.js';
import { describeBookingStore } from '../../support/store-suites/booking-store.js';

describeBookingStore('in memory', async () => ({ store: memoryBookingStore().store }));
