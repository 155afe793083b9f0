import { ulid } from 'ulid';
import { lambdaRpcServer } from '../shared/rpc/lambda.js';
import { moviesContract } from './contract.js';
import { movieService } from './domain/movies.js';
import { dynamoMovieStore } from './dynamo-store.js';
import { moviesEnv } from './env.js';

const movies = movieService({ store: dynamoMovieStore(moviesEnv().table), newId: ulid });

/** The movies service's RPC methods: idempotent seat holds for the bookings service. */
export const handler = lambdaRpcServer(moviesContract, {
  reserveSeats: (hold) => movies.reserve(hold),
  releaseSeats: (hold) => movies.release(hold),
});
