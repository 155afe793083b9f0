/**
 * The items the scale section (test/bench/scale.ts) loads, generated in the
 * shape the services' stores write them: a booking as the bookings store puts
 * it (a settled one: no `inFlight` attribute), a profile as the users store
 * puts it, a task with its `createdKey`, a movie with its showtimes as a map,
 * and a thing as `thingItems` (the search store's own builder) makes its rows.
 * Deterministic (one seeded generator per kind), so every run loads the same
 * data. Pure: no AWS; test/unit/bench/scale-items.test.ts compares each with
 * what the store itself writes.
 */

import { ulid } from 'ulid';
import type { Booking, BookingStatus } from '../../functions/bookings/domain/bookings.js';
import type { Movie } from '../../functions/movies/domain/movies.js';
import { movieItem } from '../../functions/movies/dynamo-store.js';
import { bboxOf, coverCells } from '../../functions/search/domain/cells.js';
import type { StoredThing } from '../../functions/search/domain/search.js';
import { thingItems } from '../../functions/search/dynamo-store.js';
import type { Geometry } from '../../functions/search/schema.js';
import type { Task } from '../../functions/tasks/domain/tasks.js';
import type { Profile } from '../../functions/users/domain/users.js';
import { countedRequest } from './cost-usage.js';

/** Deterministic random numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A star-shaped polygon of 6..12 vertices, at most `largestRadius` degrees
 * (and at least 0.0025) from its center, anywhere between 70S and 70N; with
 * its bounding box and its center (a point inside it).
 */
export function starPolygon(
  random: () => number,
  largestRadius: number,
): { geometry: Geometry; bbox: ReturnType<typeof bboxOf>; center: [lat: number, lng: number] } {
  const between = (low: number, high: number) => low + random() * (high - low);
  const lat = between(-70, 70);
  const lng = between(-179, 179);
  const size = between(0.005, largestRadius);
  const vertices = 6 + Math.floor(random() * 7);
  const ring = Array.from({ length: vertices }, (_, v) => {
    const angle = (2 * Math.PI * v) / vertices;
    const radius = size * between(0.5, 1);
    return [lng + radius * Math.cos(angle), lat + radius * Math.sin(angle)] as [number, number];
  });
  ring.push(ring[0] as [number, number]);
  const geometry: Geometry = { type: 'Polygon', coordinates: [ring] };
  return { geometry, bbox: bboxOf(geometry), center: [lat, lng] };
}

/** When the generated history starts: bookings, profiles and tasks are spread over the year before. */
export const HISTORY_END = Date.parse('2026-12-01T00:00:00Z');
const YEAR_MS = 365 * 24 * 3600 * 1000;

/** The id of generated person `i`: shaped as a Cognito `sub` (a UUID), distinct per `i`. */
export const scaleUserId = (i: number) => `5ca1e000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
/** The id of generated movie `i` and of its one showtime. */
export const scaleMovieId = (i: number) => `01SCALEMOVIE${i.toString(36).toUpperCase().padStart(14, '0')}`;
export const scaleShowtimeId = (i: number) => `01SCALESHOWS${i.toString(36).toUpperCase().padStart(14, '0')}`;

/** Profile `i` as the users store puts it (`insertIfAbsent`). */
export function scaleProfile(i: number): Profile {
  const random = mulberry32(1_000_003 * (i + 1));
  return {
    id: scaleUserId(i),
    name: `Scale Person ${i}`,
    email: `scale-${i}@example.com`,
    createdOn: new Date(HISTORY_END - Math.floor(random() * YEAR_MS)).toISOString(),
  };
}

/** Task `i` of person `userIndex`, and its item as the tasks store puts it (with `createdKey`). */
export function scaleTask(i: number, userId: string): Task & { createdKey: string } {
  const random = mulberry32(2_000_003 * (i + 1));
  const at = HISTORY_END - Math.floor(random() * YEAR_MS);
  const task: Task = {
    id: ulid(at, random),
    userId,
    name: `scale task ${i}`,
    createdOn: new Date(at).toISOString(),
    done: random() < 0.5,
  };
  return { ...task, createdKey: `${task.createdOn}#${task.id}` };
}

/**
 * Movie `i` (one showtime of 200 seats) and its item as the movies store puts
 * it (its lower-cased title to search by, showtimes by id, with `startsAtMs`).
 */
export function scaleMovie(i: number): { movie: Movie; item: Record<string, unknown> } {
  const random = mulberry32(3_000_003 * (i + 1));
  const startsAt = new Date(HISTORY_END + Math.floor(random() * YEAR_MS)).toISOString();
  const movie: Movie = {
    id: scaleMovieId(i),
    title: `Scale Movie ${i}`,
    rating: 1 + Math.floor(random() * 5),
    showtimes: [{ id: scaleShowtimeId(i), startsAt, seats: 200, available: 200 }],
  };
  return { movie, item: movieItem(movie) };
}

/** The settled states a booking of the loaded history is in, with their shares. */
const SETTLED: ReadonlyArray<[BookingStatus, number]> = [
  ['confirmed', 0.8],
  ['cancelled', 0.17],
  ['released', 0.03],
];

/**
 * Booking `i`, settled (a booking is in flight only for the seconds its saga
 * runs: the section adds those itself, through the store), by one of `users`
 * people, of one of `movies` movies. Stored as the store stores it
 * (`bookingItem`): no `inFlight` attribute, as it is settled.
 */
export function scaleBooking(i: number, users: number, movies: number): Booking {
  const random = mulberry32(4_000_003 * (i + 1));
  const created = HISTORY_END - Math.floor(random() * YEAR_MS);
  const movie = Math.floor(random() * movies);
  let pick = random();
  let status: BookingStatus = 'confirmed';
  for (const [state, share] of SETTLED) {
    if (pick < share) {
      status = state;
      break;
    }
    pick -= share;
  }
  return {
    id: ulid(created, random),
    userId: scaleUserId(Math.floor(random() * users)),
    movieId: scaleMovieId(movie),
    showtimeId: scaleShowtimeId(movie),
    seats: 1 + Math.floor(random() * 4),
    status,
    createdOn: new Date(created).toISOString(),
    updatedOn: new Date(created + Math.floor(random() * 60_000)).toISOString(),
  };
}

/** The syllables of generated names (the search and scale sections). */
export const SYLLABLES = [
  'ka',
  'to',
  'mi',
  're',
  'va',
  'lu',
  'son',
  'bel',
  'dor',
  'an',
  'ix',
  'que',
  'ré',
  'ø',
  'zu',
];

/**
 * Thing `i`: a small star-shaped polygon (6..12 vertices, 0.005..0.05
 * degrees across) anywhere between 70S and 70N, named with two words of 2 or
 * 3 syllables ("Dorka Mirébel"), and its center (a point inside it).
 */
export function scaleThing(i: number): { thing: StoredThing; center: [lat: number, lng: number] } {
  const random = mulberry32(5_000_003 * (i + 1));
  const { geometry, bbox, center } = starPolygon(random, 0.05);
  const word = () =>
    Array.from(
      { length: 2 + Math.floor(random() * 2) },
      () => SYLLABLES[Math.floor(random() * SYLLABLES.length)],
    ).join('');
  const name = [word(), word()].map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
  const created = HISTORY_END - Math.floor(random() * YEAR_MS);
  return {
    thing: { id: ulid(created, random), name, geometry, bbox, cells: coverCells(geometry, bbox) },
    center,
  };
}

/** The rows thing `i` is stored as, by table (things, cells, names): the search store's own builder. */
export function scaleThingRows(i: number) {
  const { thing } = scaleThing(i);
  const items = thingItems(thing);
  return {
    things: [items.thing],
    cells: items.entries,
    names: [...items.names.inline, ...items.names.overflow],
  };
}

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

/**
 * The DynamoDB items some functions' log lines say they read: a Query or Scan
 * what it scanned (before its filter; what DynamoDB charges for), a Get, a
 * BatchGet or a TransactGet what it returned. Other lines are ignored.
 */
export function itemsRead(messages: readonly string[]): number {
  let read = 0;
  for (const message of messages) {
    const request = countedRequest(message);
    if (request?.service !== 'DynamoDB' || !READS.has(request.operation)) continue;
    read += request.scanned ?? request.items ?? 0;
  }
  return read;
}
