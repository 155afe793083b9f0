import type * as z from 'zod/mini';
import type { bookingSchema } from '../../bookings/contract.js';
import { NotFoundError } from '../../shared/errors.js';
import type { Page } from '../../shared/pagination.js';
import type { user } from '../contract.js';
import type { DeletionStore, Profile } from './deletion.js';

export type { Profile } from './deletion.js';

/** A user: the domain type of the routes' and the contract's schema. */
export type User = z.infer<typeof user>;

/** A booking as the bookings service answers it over RPC. */
export type Booking = z.infer<typeof bookingSchema>;

/** What signup knows of a new person; the id is their identity's `sub`. */
export type NewProfile = Pick<User, 'id' | 'name' | 'email'>;

export interface UserStore extends DeletionStore {
  /** Inserts the user unless one with this id exists; returns the stored one either way. */
  insertIfAbsent(user: User): Promise<Profile>;
  /** Sets the name if the user exists and is not being deleted. */
  rename(id: string, name: string): Promise<Profile | undefined>;
  /** Profiles a page at a time behind a list cursor, marks included (the admin's list). */
  page(limit: number, cursor?: string): Promise<Page<Profile>>;
}

/** What users need from the bookings service (over RPC in production). */
export interface BookingsOfUsers {
  /** Throws NotFound for an unknown user. */
  listForUser(userId: string): Promise<Booking[]>;
}

/** A profile as the routes and the contract answer it: the deletion mark is the service's own business. */
const shown = ({ id, name, email, createdOn }: Profile): User => ({ id, name, email, createdOn });

/**
 * Profiles alone, as other services read and create them over RPC: a
 * profile's lookup and the idempotent creation of a new identity's profile.
 * A person being deleted is NotFound to every reader (their deletion also
 * closes their account to bookings: see `accountDeletion`).
 */
export function profiles(deps: { store: Pick<UserStore, 'get' | 'insertIfAbsent'>; now: () => Date }) {
  const { store } = deps;
  const get = async (id: string): Promise<User> => {
    const profile = await store.get(id);
    if (!profile) throw new NotFoundError(`user ${id} not found`);
    if (profile.deletingSince) throw new NotFoundError(`user ${id} is being deleted`);
    return shown(profile);
  };
  return {
    get,
    /** Creates the profile of a new identity; calling it again for the same id changes nothing. */
    ensureProfile: async (profile: NewProfile): Promise<User> =>
      shown(await store.insertIfAbsent({ ...profile, createdOn: deps.now().toISOString() })),
  };
}

/** The users service over HTTP: profiles, renaming, deleting a person, and their bookings. */
export function userService(deps: {
  store: UserStore;
  bookings: BookingsOfUsers;
  /** Begins a person's deletion (see `accountDeletion` in ./deletion.ts). */
  deletion: { start(userId: string, via: 'api'): Promise<unknown> };
  now: () => Date;
}) {
  const { store, bookings, deletion } = deps;
  const { get, ensureProfile } = profiles(deps);
  return {
    get,
    ensureProfile,
    /** Every profile, a page at a time (people being deleted too, until their data is gone). */
    async list(limit: number, cursor?: string): Promise<Page<User>> {
      const page = await store.page(limit, cursor);
      return { ...page, items: page.items.map(shown) };
    },

    async rename(id: string, name: string): Promise<User> {
      const user = await store.rename(id, name);
      if (!user) throw new NotFoundError(`user ${id} not found`);
      return shown(user);
    },

    /**
     * Deletes a person, bookings and all: the profile is marked and the
     * account removed now, their bookings, tasks and profile erased once
     * nothing of theirs can still be running. Asking again is harmless.
     */
    async remove(id: string): Promise<{ id: string; status: 'deleting' }> {
      await deletion.start(id, 'api');
      return { id, status: 'deleting' };
    },

    /** The bookings service answers NotFound for an unknown user itself. */
    async bookingsOf(id: string) {
      return { bookings: await bookings.listForUser(id) };
    },
  };
}
