import { eventHandler } from '../shared/event-handler.js';
import { bookingsFor } from './compose.js';
import { sagaQueueConsumer } from './saga-queue.js';

/** The saga queue's consumer: delayed checks of pending bookings, and movies' replies to durable releases. */
export const handler = eventHandler(sagaQueueConsumer(bookingsFor), { tracesRecords: true });
