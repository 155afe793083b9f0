/// <reference lib="dom" />
import { ApiError } from '../api.js';
import type { Services } from '../context.js';
import { html, messageOf, Notice, useEffect, useState } from '../ui.js';

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
export interface Booking {
  id: string;
  userId: string;
  movieId: string;
  showtimeId: string;
  seats: number;
  createdOn: string;
}

export const when = (iso: string) =>
  new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

/** Movies with their showtimes and seats left; book 1..n seats; my bookings; cancel. */
export function MoviesPage({ services }: { services: Services }) {
  const { api } = services;
  const [movies, setMovies] = useState<Movie[]>([]);
  const [bookings, setBookings] = useState<Booking[]>([]);
  const [seats, setSeats] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  async function load() {
    try {
      const [m, b] = await Promise.all([
        api.get<{ items: Movie[] }>('movies?limit=100'),
        api.get<{ items: Booking[] }>('bookings?limit=100'),
      ]);
      setMovies(m.items);
      setBookings(b.items);
    } catch (error) {
      setProblem(messageOf(error));
    }
  }
  useEffect(() => void load(), []);

  async function book(movie: Movie, showtime: Showtime) {
    setProblem(undefined);
    setNotice(undefined);
    const count = Number(seats[showtime.id] ?? '1');
    try {
      await api.send('POST', 'bookings', { movieId: movie.id, showtimeId: showtime.id, seats: count });
      setNotice(`Booked ${count} seat${count === 1 ? '' : 's'} for ${movie.title}.`);
      await load();
    } catch (error) {
      setProblem(
        error instanceof ApiError ? (error.fieldMessage('seats') ?? error.message) : messageOf(error),
      );
    }
  }

  async function cancel(booking: Booking) {
    setProblem(undefined);
    setNotice(undefined);
    try {
      await api.send('DELETE', `bookings/${booking.id}`);
      setNotice('Booking cancelled.');
      await load();
    } catch (error) {
      setProblem(messageOf(error));
    }
  }

  const titleOf = (id: string) => movies.find((m) => m.id === id)?.title ?? id;
  const showtimeOf = (b: Booking) =>
    movies.find((m) => m.id === b.movieId)?.showtimes.find((s) => s.id === b.showtimeId);
  return html`<section aria-labelledby="movies-title">
    <h1 id="movies-title">Movies</h1>
    <${Notice} error text=${problem} />
    <${Notice} text=${notice} />
    ${movies.length === 0 ? html`<p>No movies yet.</p>` : null}
    <ul class="movies">
      ${movies.map(
        (movie) => html`<li key=${movie.id} data-movie=${movie.title}>
          <h2>${movie.title}</h2>
          <p>${movie.director ? `by ${movie.director} · ` : ''}rated ${movie.rating}/10</p>
          <ul class="showtimes">
            ${movie.showtimes.map(
              (s) => html`<li key=${s.id} data-showtime=${s.id}>
                <span>${when(s.startsAt)}</span>
                <span class="seats-left"><span data-available>${s.available}</span> of ${s.seats} seats left</span>
                <label for=${`seats-${s.id}`}>Seats</label>
                <input id=${`seats-${s.id}`} type="number" min="1" max=${Math.max(1, Math.min(20, s.available))}
                  value=${seats[s.id] ?? '1'} class="seats-input"
                  onInput=${(e: Event) => setSeats({ ...seats, [s.id]: (e.target as HTMLInputElement).value })} />
                <button type="button" disabled=${s.available === 0} onClick=${() => book(movie, s)}
                  aria-label=${`Book seats for ${movie.title} at ${when(s.startsAt)}`}>Book</button>
              </li>`,
            )}
          </ul>
        </li>`,
      )}
    </ul>
    <h2>My bookings</h2>
    ${bookings.length === 0 ? html`<p>No bookings.</p>` : null}
    <ul class="bookings" aria-label="My bookings">
      ${bookings.map((b) => {
        const showtime = showtimeOf(b);
        return html`<li key=${b.id} data-booking=${b.id}>
          ${titleOf(b.movieId)}${showtime ? `, ${when(showtime.startsAt)}` : ''}: ${b.seats} seat${b.seats === 1 ? '' : 's'}
          <button type="button" onClick=${() => cancel(b)} aria-label=${`Cancel booking of ${b.seats} seats for ${titleOf(b.movieId)}`}>
            Cancel
          </button>
        </li>`;
      })}
    </ul>
  </section>`;
}
