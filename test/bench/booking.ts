/**
 * RPC benchmark: round trips of `users.get` (a read) and of
 * `movies.reserveSeats` (an idempotent write: the hold is recorded per booking
 * id in the same conditional write; a repeat is answered from the record) over
 * SQS request/reply at 1 and 8 concurrent callers, beside a direct Lambda
 * invoke of the users function in the same run; booking requests per second at
 * 8 concurrent clients through the API beside `GET /users/me` (the authorizer
 * and one function, no RPC) at 8 clients in the same run, with the target that
 * a booking's p50 is at most one RPC round trip (reserveSeats at 8 callers)
 * plus 100 ms above it, and the seat invariant checked after the run; and a soak of mixed bookings and
 * cancels while the movies service's event source is toggled off and on every
 * 20 s, after which no seat may be lost or double-sold.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { bookingsService } from '../../functions/bookings/service.js';
import { moviesContract } from '../../functions/movies/contract.js';
import { moviesService } from '../../functions/movies/service.js';
import { rpcClient } from '../../functions/shared/rpc/client.js';
import { typedClient } from '../../functions/shared/rpc/contract.js';
import { sqsTransport } from '../../functions/shared/rpc/sqs-transport.js';
import { usersContract } from '../../functions/users/contract.js';
import { usersService } from '../../functions/users/service.js';
import type { Deployment } from '../../lib/stack-outputs.js';
import { stackResources } from '../../lib/stack-outputs.js';
import type { Person } from '../support/people.js';
import { queueConsumer } from '../support/queues.js';
import { seatLedger, settled } from '../support/seat-ledger.js';
import { benchPerson, newShowtime, post } from './people.js';
import { percentile } from './stats.js';

/** Soak length; the issue asks for 2 minutes (BENCH_SOAK_SECONDS shortens it for a quick look). */
const SOAK_MS = Number(process.env.BENCH_SOAK_SECONDS ?? 120) * 1000;
const TOGGLE_EVERY_MS = 20_000;
/** People who book in the bench and the soak: 200 one-seat bookings are 10 each. */
const BOOKERS = 20;

async function timed(clients: number, total: number, run: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await run(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), perSecond: total / seconds };
}

export async function bookingBench(deployment: Deployment, check: (target: string, ok: boolean) => void) {
  // Bookers enough that none passes the per-person limits (30 booking writes a minute, 20 seats
  // of a showtime): the bench measures the saga, not the limits.
  const [admin, user, ...bookers] = await Promise.all([
    benchPerson(deployment, { admin: true }),
    ...Array.from({ length: 1 + BOOKERS }, () => benchPerson(deployment)),
  ]);
  if (!admin || !user) throw new Error('bench people were not signed up');
  const { movieId, showtimeId } = await newShowtime(deployment, admin.accessToken, 'Bench', 10_000);
  const userId = user.id;

  const rpc = rpcClient({
    transport: sqsTransport,
    services: {
      users: stackResources(deployment.outputs).rpcQueue(usersContract),
      movies: stackResources(deployment.outputs).rpcQueue(moviesContract),
    },
    replyQueueName: `bench-rpc-reply-${randomUUID()}`,
    newId: randomUUID,
  });
  const lambda = new LambdaClient({ requestHandler: { requestTimeout: 30_000 } });
  const viaRpc = () => rpc.call('users', 'get', { id: userId }, { timeoutMs: 10_000, requestId: 'bench' });
  const movies = typedClient(rpc, moviesContract, { timeoutMs: 10_000, requestId: 'bench' });
  // A person per booking: each reserve is a new booking, and one person may hold only so many seats of a showtime.
  const hold = (bookingId: string) => ({
    bookingId,
    userId: `bench-${randomUUID()}`,
    movieId,
    showtimeId,
    seats: 1,
  });
  const reserveNew = () => movies.reserveSeats(hold(`bench-${randomUUID()}`));
  const repeated = hold(`bench-repeat-${randomUUID()}`);
  const reserveRepeat = () => movies.reserveSeats(repeated);
  const direct = async () => {
    const result = await lambda.send(
      new InvokeCommand({
        // The users HTTP function (GET /users/{id}): the same read as users.get, without the queues.
        FunctionName: stackResources(deployment.outputs).functionName(usersService, 'users'),
        Payload: JSON.stringify({
          httpMethod: 'GET',
          resource: '/users/{id}',
          path: `/users/${userId}`,
          pathParameters: { id: userId },
          requestContext: { requestId: 'bench', authorizer: { userId: admin.id, role: 'admin' } },
        }),
      }),
    );
    if (result.FunctionError) throw new Error(`direct invoke failed: ${result.FunctionError}`);
  };
  await timed(4, 40, viaRpc);
  await timed(4, 40, direct);

  await timed(4, 20, reserveNew);

  const row = (r: Awaited<ReturnType<typeof timed>>) =>
    `${r.p50.toFixed(1)} / ${r.p99.toFixed(1)} ms / ${r.perSecond.toFixed(0)}`.padEnd(30);
  console.log('\nRPC over SQS beside a direct Lambda invoke (p50 / p99 / calls per second)');
  console.log(
    `  callers | ${'users.get (read)'.padEnd(30)}| ${'reserveSeats (idempotent write)'.padEnd(30)}| ${'reserveSeats repeated'.padEnd(30)}| direct invoke of users.get`,
  );
  for (const [clients, total] of [
    [1, 100],
    [8, 400],
  ] as const) {
    const overRpc = await timed(clients, total, viaRpc);
    const reserving = await timed(clients, total, reserveNew);
    const repeating = await timed(clients, total, reserveRepeat);
    const overInvoke = await timed(clients, total, direct);
    console.log(
      `  ${String(clients).padEnd(7)} | ${row(overRpc)}| ${row(reserving)}| ${row(repeating)}| ${row(overInvoke)}`,
    );
  }

  const replies = await timed(8, 200, reserveNew);
  await bookingThroughput(deployment, admin, bookers, replies.p50, check);

  await soak(
    deployment,
    lambda,
    { users: bookers.map((b) => b.accessToken), admin: admin.accessToken },
    check,
  );
}

/**
 * Bookings through the API at 8 clients before a booking took one round trip (it asked users.get,
 * then movies, over two RPC round trips): 18.8 requests/s, p50 390 ms, as issue 24 recorded them from
 * this bench. That code is gone, so the figure is the recorded one; the target is twice it.
 */
const BEFORE_ONE_ROUND_TRIP_PER_SECOND = 18.8;

/** Bookings the throughput run makes through the API, after a warm-up of {@link WARM_UP} (each one seat). */
const BOOKINGS = 200;
const WARM_UP = 16;

/**
 * Bookings through the API at 8 clients on a showtime of their own, beside
 * `GET /users/me` at 8 clients in the same run (the same people, tokens and
 * authorizer): the booking's p50 may be at most one RPC round trip
 * (`rpcRoundTripMs`, reserveSeats at 8 callers, measured just before) plus
 * 100 ms above it. Then the showtime's seats must add up:
 * `available + held = capacity`, `held` being the seats of the bookings made.
 */
async function bookingThroughput(
  deployment: Deployment,
  admin: Person,
  bookers: readonly Person[],
  rpcRoundTripMs: number,
  check: (target: string, ok: boolean) => void,
) {
  const api = deployment.apiBaseUrl;
  const capacity = BOOKINGS + WARM_UP + 100;
  const { movieId, showtimeId } = await newShowtime(
    deployment,
    admin.accessToken,
    'Bench bookings',
    capacity,
  );
  const tokenOf = (i: number) => (bookers[i % bookers.length] as Person).accessToken;
  let made = 0;
  let failed = 0;
  const book = async (i: number) => {
    const response = await post(`${api}bookings`, { movieId, showtimeId, seats: 1 }, tokenOf(i));
    if (response.status === 201) made += 1;
    else failed += 1;
  };
  const me = async (i: number) => {
    const response = await fetch(`${api}users/me`, { headers: { authorization: `Bearer ${tokenOf(i)}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET /users/me answered ${response.status}`);
  };
  // Warm every function on both paths (and the authorizer's cache for every token) before measuring.
  await timed(8, WARM_UP, book);
  await timed(8, 40, me);
  failed = 0;
  const profile = await timed(8, BOOKINGS, me);
  const bookings = await timed(8, BOOKINGS, book);

  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const tables = {
    movies: stackResources(deployment.outputs).table(moviesService, 'movies'),
    bookings: stackResources(deployment.outputs).table(bookingsService, 'bookings'),
  };
  const ledger = await seatLedger(dynamo, tables, movieId, showtimeId);
  const limit = profile.p50 + rpcRoundTripMs + 100;
  console.log(
    `\nbookings through the API at 8 clients: ${bookings.perSecond.toFixed(1)} req/s, p50 ${bookings.p50.toFixed(0)} ms, p99 ${bookings.p99.toFixed(0)} ms`,
  );
  console.log(
    `GET /users/me at 8 clients, same run:  ${profile.perSecond.toFixed(1)} req/s, p50 ${profile.p50.toFixed(0)} ms, p99 ${profile.p99.toFixed(0)} ms; one RPC round trip (reserveSeats, 8 callers) p50 ${rpcRoundTripMs.toFixed(0)} ms`,
  );
  console.log(
    `  seats after the run: capacity ${ledger.capacity} = available ${ledger.available} + held ${ledger.held}; bookings by state ${JSON.stringify(ledger.statuses)}`,
  );
  console.log(
    `  before a booking took one round trip (two RPC round trips, issue 24's figure): ${BEFORE_ONE_ROUND_TRIP_PER_SECOND} req/s`,
  );
  check(`bookings: every one of ${BOOKINGS} benchmark bookings succeeded`, failed === 0);
  check(
    `bookings: ${bookings.perSecond.toFixed(1)} req/s at 8 clients >= twice the ${BEFORE_ONE_ROUND_TRIP_PER_SECOND} req/s before = ${(2 * BEFORE_ONE_ROUND_TRIP_PER_SECOND).toFixed(1)} req/s`,
    bookings.perSecond >= 2 * BEFORE_ONE_ROUND_TRIP_PER_SECOND,
  );
  check(
    `bookings: p50 ${bookings.p50.toFixed(0)} ms <= GET /users/me p50 ${profile.p50.toFixed(0)} ms + one RPC round trip ${rpcRoundTripMs.toFixed(0)} ms + 100 ms = ${limit.toFixed(0)} ms`,
    bookings.p50 <= limit,
  );
  check(
    'bookings: seats add up after the run (available + held = capacity, held = seats booked, none in flight)',
    settled(ledger) && ledger.held === made,
  );
}

/**
 * Mixed bookings and cancels from 8 clients for {@link SOAK_MS}, with the
 * movies event source off for 20 s, on for 20 s, and so on; then waits for the
 * saga to settle and compares the showtime's seats with its bookings.
 */
async function soak(
  deployment: Deployment,
  lambda: LambdaClient,
  tokens: { users: string[]; admin: string },
  check: (target: string, ok: boolean) => void,
) {
  const api = deployment.apiBaseUrl;
  const capacity = 300;
  const { movieId, showtimeId } = await newShowtime(deployment, tokens.admin, 'Soak', capacity);
  const { set: setMovies } = await queueConsumer(
    lambda,
    stackResources(deployment.outputs).functionName(moviesService, 'movies-rpc'),
    'moviesrpc',
  );

  const statuses: Record<string, number> = {};
  const count = (what: string, status: number) => {
    statuses[`${what} ${status}`] = (statuses[`${what} ${status}`] ?? 0) + 1;
  };
  /** Confirmed bookings with their owner's token (another person's booking is a 404). */
  const confirmed: Array<{ id: string; token: string }> = [];
  let turn = 0;
  const endsAt = Date.now() + SOAK_MS;
  let toggles = 0;
  const toggler = (async () => {
    let enabled = true;
    while (Date.now() + TOGGLE_EVERY_MS < endsAt) {
      await new Promise((resolve) => setTimeout(resolve, TOGGLE_EVERY_MS));
      enabled = !enabled;
      toggles += 1;
      await setMovies(enabled);
    }
    await setMovies(true);
  })();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (Date.now() < endsAt) {
        if (confirmed.length > 0 && Math.random() < 0.35) {
          const [{ id, token }] = confirmed.splice(Math.floor(Math.random() * confirmed.length), 1) as [
            (typeof confirmed)[0],
          ];
          const response = await fetch(`${api}bookings/${id}`, {
            method: 'DELETE',
            headers: { authorization: `Bearer ${token}` },
          });
          await response.arrayBuffer();
          count('cancel', response.status);
        } else {
          const seats = 1 + Math.floor(Math.random() * 2);
          const token = tokens.users[turn++ % tokens.users.length] as string;
          const response = await post(`${api}bookings`, { movieId, showtimeId, seats }, token);
          count('book', response.status);
          if (response.status === 201) confirmed.push({ id: String(response.body.id), token });
        }
      }
    }),
  );
  await toggler;
  await setMovies(true);

  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const tables = {
    movies: stackResources(deployment.outputs).table(moviesService, 'movies'),
    bookings: stackResources(deployment.outputs).table(bookingsService, 'bookings'),
  };
  const started = Date.now();
  let ledger = await seatLedger(dynamo, tables, movieId, showtimeId);
  while (!settled(ledger) && Date.now() - started < 120_000) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    ledger = await seatLedger(dynamo, tables, movieId, showtimeId);
  }
  const settleMs = Date.now() - started;
  const lost = Math.max(0, capacity - ledger.available - ledger.held);
  const doubleSold = Math.max(0, ledger.available + ledger.held - capacity);
  console.log(
    `\nsoak: ${SOAK_MS / 1000} s of bookings and cancels from 8 clients, movies' event source toggled ${toggles} times`,
  );
  console.log(
    `  answers: ${JSON.stringify(statuses)}; bookings by state: ${JSON.stringify(ledger.statuses)}`,
  );
  console.log(
    `  settled ${(settleMs / 1000).toFixed(1)} s after the last request: capacity ${capacity} = available ${ledger.available} + held ${ledger.held}; seats lost ${lost}, double-sold ${doubleSold}`,
  );
  check('soak: the saga settled within 60 s of the last request', settled(ledger) && settleMs < 60_000);
  check('soak: no seat lost', lost === 0);
  check('soak: no seat double-sold', doubleSold === 0);
}
