import { z } from 'zod';
import { type Booking, booking } from '../../bookings/domain/bookings.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { Page } from '../../shared/pagination.js';

/** A user as the routes answer it: the response schema and the domain type in one. */
export const user = z.object({ id: z.string(), name: z.string(), email: z.string(), createdOn: z.string() });
export type User = z.infer<typeof user>;

/** A user's bookings, as the bookings service tells them. */
export const userBookings = z.object({ bookings: z.array(booking) });

export type UserFields = Pick<User, 'name' | 'email'>;

export interface UserStore {
  insert(user: User): Promise<void>;
  get(id: string): Promise<User | undefined>;
  list(limit: number, cursor?: string): Promise<Page<User>>;
  /** Replaces name and email if the user exists. */
  replace(id: string, fields: UserFields): Promise<User | undefined>;
  remove(id: string): Promise<boolean>;
}

/** What users need from the bookings service (over RPC in production). */
export interface BookingsOfUsers {
  listForUser(userId: string): Promise<Booking[]>;
  countForUser(userId: string): Promise<number>;
}

export function userService(deps: {
  store: UserStore;
  bookings: BookingsOfUsers;
  newId: () => string;
  now: () => Date;
}) {
  const { store, bookings } = deps;
  const get = async (id: string) => {
    const user = await store.get(id);
    if (!user) throw new NotFoundError(`user ${id} not found`);
    return user;
  };
  return {
    get,
    list: (limit: number, cursor?: string) => store.list(limit, cursor),
    async create(fields: UserFields): Promise<User> {
      const user = { id: deps.newId(), ...fields, createdOn: deps.now().toISOString() };
      await store.insert(user);
      return user;
    },
    async replace(id: string, fields: UserFields): Promise<User> {
      const user = await store.replace(id, fields);
      if (!user) throw new NotFoundError(`user ${id} not found`);
      return user;
    },
    async remove(id: string): Promise<void> {
      await get(id);
      const count = await bookings.countForUser(id);
      if (count > 0) throw new ConflictError(`user ${id} has ${count} booking(s); delete them first`);
      if (!(await store.remove(id))) throw new NotFoundError(`user ${id} not found`);
    },
    async bookingsOf(id: string) {
      await get(id);
      return { bookings: await bookings.listForUser(id) };
    },
  };
}
