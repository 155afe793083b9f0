import type { moviesContract } from '../movies/contract.js';
import type { TypedClient } from '../shared/rpc/contract.js';
import type { Hold, SeatsOfBookings } from './domain/bookings.js';

/**
 * The movies service's seats as the booking saga uses them: reserve and
 * release over RPC (the typed client of the movies contract), and durable
 * releases through `releaseLater` (a command on the movies queue, its reply
 * on the saga queue). Pure wiring, so unit tests run it over a fake transport.
 */
export const seatsOverRpc = (
  movies: TypedClient<typeof moviesContract>,
  releaseLater: (hold: Hold) => Promise<void>,
): SeatsOfBookings => ({
  reserve: async (hold) => void (await movies.reserveSeats(hold)),
  release: async (hold) => void (await movies.releaseSeats(hold)),
  releaseLater,
});
