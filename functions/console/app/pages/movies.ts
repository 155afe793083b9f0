/// <reference lib="dom" />
import {
  ActionProblem,
  BusyButton,
  ListBody,
  type PagedList,
  Pager,
  useAction,
  useNames,
  usePagedList,
} from '../components.js';
import type { Services } from '../context.js';
import { traceRoute } from '../trace-view.js';
import { Field, html, useState } from '../ui.js';

export interface Showtime {
  id: string;
  startsAt: string;
  seats: number;
  available: number;
}
export interface Movie {
  id: string;
  title: string;
  director?: string;
  rating: number;
  showtimes: Showtime[];
}
export type BookingStatus = 'pending' | 'confirmed' | 'cancelling' | 'cancelled' | 'releasing' | 'released';
export interface Booking {
  id: string;
  userId: string;
  movieId: string;
  showtimeId: string;
  seats: number;
  status: BookingStatus;
  createdOn: string;
}

export const when = (iso: string) =>
  new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

/** A rating as people read it: one decimal (8.5, 7.0). */
export const ratingText = (rating: number) => rating.toFixed(1);

/** True once a showtime has started: it can no longer be booked. */
export const hasStarted = (showtime: Pick<Showtime, 'startsAt'>, now = Date.now()) =>
  Date.parse(showtime.startsAt) <= now;

/** A booking's state in words, as its badge says it. */
export const STATUS_WORDS: Record<BookingStatus, string> = {
  pending: 'Booking…',
  confirmed: 'Confirmed',
  cancelling: 'Cancelling…',
  cancelled: 'Cancelled',
  releasing: 'Failed, seats going back',
  released: 'Failed, seats back',
};

export function StatusBadge({ status }: { status: BookingStatus }) {
  return html`<span class=${`badge status-${status}`} data-status=${status}>${STATUS_WORDS[status]}</span>`;
}

const MOVIES_PAGE = 10;
const BOOKINGS_PAGE = 10;

const seatsText = (n: number) => `${n} seat${n === 1 ? '' : 's'}`;

/** The caller's own bookings first (with their state), then movies to book, a page of each at a time. */
export function MoviesPage({ services }: { services: Services }) {
  const { api } = services;
  const titles = useNames((id) => api.get<Movie>(`movies/${id}`));
  const bookings = usePagedList<Booking>((cursor) =>
    api.get(`bookings?limit=${BOOKINGS_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  );
  // The title searched for (applied on Find), and what is typed in the search box.
  const [title, setTitle] = useState('');
  const [typed, setTyped] = useState('');
  const movies = usePagedList<Movie>(
    async (cursor) => {
      const page = await api.get<{ items: Movie[]; cursor?: string }>(
        `movies?limit=${MOVIES_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}${
          title ? `&title=${encodeURIComponent(title)}` : ''
        }`,
      );
      titles.put(page.items.map((m) => [m.id, m]));
      return page;
    },
    [title],
  );

  return html`<section aria-labelledby="movies-title">
    <h1 id="movies-title">Movies</h1>
    <section aria-labelledby="my-bookings">
      <h2 id="my-bookings">My bookings</h2>
      <${ListBody} list=${bookings} what="your bookings" empty="You have no bookings yet. Book seats below."
        rows=${(items: Booking[]) => html`<table class="data bookings" aria-labelledby="my-bookings">
          <thead><tr><th scope="col">Movie</th><th scope="col">Showtime</th><th scope="col">Seats</th>
            <th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>${items.map(
            (
              b,
            ) => html`<${BookingRow} key=${b.id} booking=${b} movie=${titles.get(b.movieId)} services=${services}
              bookings=${bookings} movies=${movies} />`,
          )}</tbody>
        </table>`} />
      <${Pager} list=${bookings} label="Booking pages" />
    </section>
    <section aria-labelledby="movies-list">
      <h2 id="movies-list">Now showing</h2>
      <form class="inline" role="search" aria-label="Movies" onSubmit=${(event: Event) => {
        event.preventDefault();
        setTitle(typed.trim());
      }}>
        <${Field} id="movie-search" label="Title starts with" type="search" value=${typed} onInput=${setTyped} />
        <button type="submit">Find</button>
        ${
          title
            ? html`<button type="button" onClick=${() => {
                setTyped('');
                setTitle('');
              }}>Show all</button>`
            : null
        }
      </form>
      <${ListBody} list=${movies} what="movies"
        empty=${title ? `No movie title contains "${title}" on this page.` : 'No movies yet. An admin adds them on the Admin page.'}
        rows=${(items: Movie[]) => html`<ul class="movies">
          ${items.map(
            (movie) => html`<li key=${movie.id} data-movie=${movie.title}>
              <h3>${movie.title}</h3>
              <p>${movie.director ? `by ${movie.director} · ` : ''}rated ${ratingText(movie.rating)}/10</p>
              ${
                movie.showtimes.length === 0
                  ? html`<p>No showtimes yet.</p>`
                  : html`<ul class="showtimes">
                      ${movie.showtimes.map(
                        (
                          s,
                        ) => html`<${ShowtimeRow} key=${s.id} movie=${movie} showtime=${s} services=${services}
                          bookings=${bookings} movies=${movies} />`,
                      )}
                    </ul>`
              }
            </li>`,
          )}
        </ul>`} />
      <${Pager} list=${movies} label="Movie pages" />
    </section>
  </section>`;
}

/** One showtime: seats left, a seat count and Book (acting once), its outcome shown beside it. */
function ShowtimeRow(props: {
  movie: Movie;
  showtime: Showtime;
  services: Services;
  bookings: PagedList<Booking>;
  movies: PagedList<Movie>;
}) {
  const { movie, showtime: s, services } = props;
  const [seats, setSeats] = useState('1');
  const [done, setDone] = useState<string | undefined>();
  const book = useAction(async (key: string, count: number) => {
    setDone(undefined);
    await props.movies.change(() =>
      props.bookings.change(() =>
        services.api.send('POST', 'bookings', { movieId: movie.id, showtimeId: s.id, seats: count }, key),
      ),
    );
    setDone(`Booked ${seatsText(count)}.`);
  });
  const started = hasStarted(s);
  const label = `${movie.title} at ${when(s.startsAt)}`;
  return html`<li data-showtime=${s.id} class=${started ? 'started' : ''}>
    <span>${when(s.startsAt)}</span>
    <span class="seats-left"><span data-available>${s.available}</span> of ${s.seats} seats left</span>
    ${
      started
        ? html`<span class="badge">Started: no longer bookable</span>`
        : html`<label for=${`seats-${s.id}`}>Seats</label>
          <input id=${`seats-${s.id}`} type="number" min="1" max=${Math.max(1, Math.min(20, s.available))}
            value=${seats} class="seats-input" disabled=${book.busy}
            onInput=${(e: Event) => setSeats((e.target as HTMLInputElement).value)} />
          <${BusyButton} busy=${book.busy} disabled=${s.available === 0} label="Book" busyLabel="Booking…"
            ariaLabel=${`Book seats for ${label}`} onClick=${() => book.start(Number(seats))} />`
    }
    ${done ? html`<span class="outcome" role="status">${done}</span>` : null}
    <${ActionProblem} action=${book} doing=${`book ${seatsText(Number(seats))} for ${label}`} />
  </li>`;
}

/** A booking: (whose,) what, when, how many, its state, and Cancel (asked first) while it holds seats. */
export function BookingRow(props: {
  booking: Booking;
  movie: Movie | null | undefined;
  services: Services;
  bookings: PagedList<Booking>;
  /** The movies shown beside it, read again once the seats are back. */
  movies?: PagedList<Movie>;
  /** Whose booking it is, on an admin's list of everyone's. */
  who?: string;
}) {
  const { booking: b, movie } = props;
  const [asking, setAsking] = useState(false);
  const cancel = useAction(async (key: string) => {
    const send = () =>
      props.bookings.change(() => props.services.api.send('DELETE', `bookings/${b.id}`, undefined, key));
    await (props.movies ? props.movies.change(send) : send());
  });
  const title = movie ? movie.title : movie === null ? 'A movie no longer shown' : '…';
  const showtime = movie?.showtimes.find((s) => s.id === b.showtimeId);
  const what = `booking of ${seatsText(b.seats)} for ${title}`;
  const cancellable = b.status === 'confirmed' || b.status === 'pending';
  return html`<tr data-booking=${b.id}>
    ${props.who === undefined ? null : html`<td>${props.who}</td>`}
    <td>${title}</td>
    <td>${showtime ? when(showtime.startsAt) : ''}</td>
    <td>${b.seats}</td>
    <td><${StatusBadge} status=${b.status} /></td>
    <td>
      ${
        !cancellable
          ? null
          : cancel.busy
            ? html`<${BusyButton} busy label="Cancel" busyLabel="Cancelling…" />`
            : asking
              ? html`<span class="confirm" role="group" aria-label=${`Confirm cancelling the ${what}`}>
                  <button type="button" class="danger" aria-label=${`Yes, cancel the ${what}`}
                    onClick=${() => {
                      setAsking(false);
                      void cancel.start();
                    }}>Yes, cancel</button>
                  <button type="button" aria-label=${`Keep the ${what}`} onClick=${() => setAsking(false)}>Keep</button>
                </span>`
              : html`<button type="button" aria-label=${`Cancel ${what}`} onClick=${() => setAsking(true)}>Cancel</button>`
      }
      <${ActionProblem} action=${cancel} doing=${`cancel the ${what}`} />
      ${
        // On an admin's list of everyone's bookings: the booking's trace (operator data).
        props.who === undefined
          ? null
          : html`<a href=${`#/${traceRoute(b.id)}`} aria-label=${`Trace of the ${what}`}>Trace</a>`
      }
    </td>
  </tr>`;
}
