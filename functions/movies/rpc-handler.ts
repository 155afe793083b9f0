import { lambdaRpcServer } from '../shared/rpc/lambda.js';
import { moviesContract } from './contract.js';
import { SEATS_PER_PERSON, seatHolds } from './domain/movies.js';
import { seatsEnv } from './env.js';
import { dynamoSeatStore } from './seat-store.js';

const seats = seatHolds({
  store: dynamoSeatStore(seatsEnv()),
  now: Date.now,
  seatsPerPerson: SEATS_PER_PERSON,
});

/** The movies service's RPC methods: idempotent seat holds for the bookings service. */
export const handler = lambdaRpcServer(moviesContract, {
  reserveSeats: (hold) => seats.reserve(hold),
  releaseSeats: (hold) => seats.release(hold),
});
