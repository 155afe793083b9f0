import { ulid } from 'ulid';
import { lambdaRpcServer } from '../shared/rpc/lambda.js';
import { readTables } from '../shared/service.js';
import { moviesContract } from './contract.js';
import { movieService } from './domain/movies.js';
import { dynamoMovieStore } from './dynamo-store.js';
import { moviesService } from './service.js';

const movies = movieService({ store: dynamoMovieStore(readTables(moviesService).movies), newId: ulid });

/** The movies service's RPC methods: idempotent seat holds for the bookings service. */
export const handler = lambdaRpcServer(moviesContract, {
  reserveSeats: (hold) => movies.reserve(hold),
  releaseSeats: (hold) => movies.release(hold),
});
