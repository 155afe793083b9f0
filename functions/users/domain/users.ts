import type * as z from 'zod/mini';
import type { bookingSchema } from '../../bookings/contract.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { Page } from '../../shared/pagination.js';
import type { user } from '../contract.js';

/** A user: the domain type of the routes' and the contract's schema. */
export type User = z.infer<typeof user>;

/** A booking as the bookings service answers it over RPC. */
export type Booking = z.infer<typeof bookingSchema>;

/** What signup knows of a new person; the id is their identity's `sub`. */
export type NewProfile = Pick<User, 'id' | 'name' | 'email'>;

export interface UserStore {
  /** Inserts the user unless one with this id exists; returns the stored one either way. */
  insertIfAbsent(user: User): Promise<User>;
  get(id: string): Promise<User | undefined>;
  list(limit: number, cursor?: string): Promise<Page<User>>;
  /** Sets the name if the user exists. */
  rename(id: string, name: string): Promise<User | undefined>;
  remove(id: string): Promise<boolean>;
}

/** What users need from the bookings service (over RPC in production). */
export interface BookingsOfUsers {
  /** Throws NotFound for an unknown user. */
  listForUser(userId: string): Promise<Booking[]>;
  countForUser(userId: string): Promise<number>;
}

/** The accounts behind profiles (Cognito in production). */
export interface Accounts {
  /** Removes the account; one already gone is not an error. */
  remove(userId: string): Promise<void>;
}

/**
 * Profiles alone, as other services read and create them over RPC: a
 * profile's lookup and the idempotent creation of a new identity's profile.
 */
export function profiles(deps: { store: UserStore; now: () => Date }) {
  const { store } = deps;
  const get = async (id: string): Promise<User> => {
    const user = await store.get(id);
    if (!user) throw new NotFoundError(`user ${id} not found`);
    return user;
  };
  return {
    get,
    /** Creates the profile of a new identity; calling it again for the same id changes nothing. */
    ensureProfile: (profile: NewProfile): Promise<User> =>
      store.insertIfAbsent({ ...profile, createdOn: deps.now().toISOString() }),
  };
}

/** The users service over HTTP: profiles, renaming, deleting a person, and their bookings. */
export function userService(deps: {
  store: UserStore;
  bookings: BookingsOfUsers;
  accounts: Accounts;
  now: () => Date;
}) {
  const { store, bookings, accounts } = deps;
  const { get, ensureProfile } = profiles(deps);
  return {
    get,
    ensureProfile,
    list: (limit: number, cursor?: string) => store.list(limit, cursor),

    async rename(id: string, name: string): Promise<User> {
      const user = await store.rename(id, name);
      if (!user) throw new NotFoundError(`user ${id} not found`);
      return user;
    },

    /**
     * Deletes a person without bookings: the account first, so that a failure
     * half-way leaves a profile nobody can sign in to (deleting again finishes
     * the job) rather than an account whose next login recreates the profile.
     */
    async remove(id: string): Promise<void> {
      await get(id);
      const count = await bookings.countForUser(id);
      if (count > 0) throw new ConflictError(`user ${id} has ${count} booking(s); cancel them first`);
      await accounts.remove(id);
      if (!(await store.remove(id))) throw new NotFoundError(`user ${id} not found`);
    },

    /** The bookings service answers NotFound for an unknown user itself. */
    async bookingsOf(id: string) {
      return { bookings: await bookings.listForUser(id) };
    },
  };
}
