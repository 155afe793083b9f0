/// <reference lib="dom" />
import { ApiError } from '../api.js';
import type { Services } from '../context.js';
import { Field, html, messageOf, Notice, useEffect, useState } from '../ui.js';
import { type Booking, type Movie, when } from './movies.js';

interface User {
  id: string;
  name?: string;
  email: string;
}

/** Admins only: movies and showtimes, users and their bookings, and the things search finds. */
export function AdminPage({ services }: { services: Services }) {
  return html`<section aria-labelledby="admin-title">
    <h1 id="admin-title">Admin</h1>
    <${AdminMovies} services=${services} />
    <${AdminUsers} services=${services} />
    <${AdminThings} services=${services} />
  </section>`;
}

function AdminMovies({ services }: { services: Services }) {
  const { api } = services;
  const [movies, setMovies] = useState<Movie[]>([]);
  const [title, setTitle] = useState('');
  const [director, setDirector] = useState('');
  const [rating, setRating] = useState('7');
  const [startsAt, setStartsAt] = useState('');
  const [seats, setSeats] = useState('50');
  const [error, setError] = useState<ApiError | undefined>();
  const [problem, setProblem] = useState<string | undefined>();

  const load = async () => setMovies((await api.get<{ items: Movie[] }>('movies?limit=100')).items);
  useEffect(() => void load().catch((e) => setProblem(messageOf(e))), []);

  async function add(event: Event) {
    event.preventDefault();
    setError(undefined);
    setProblem(undefined);
    try {
      await api.send('POST', 'movies', {
        title,
        ...(director.trim() ? { director } : {}),
        rating: Number(rating),
        showtimes: [{ startsAt: startsAt ? new Date(startsAt).toISOString() : '', seats: Number(seats) }],
      });
      setTitle('');
      setDirector('');
      await load();
    } catch (failure) {
      if (failure instanceof ApiError) setError(failure);
      else setProblem(messageOf(failure));
    }
  }

  async function remove(movie: Movie) {
    try {
      await api.send('DELETE', `movies/${movie.id}`);
      await load();
    } catch (failure) {
      setProblem(`Could not delete ${movie.title}: ${messageOf(failure)}`);
    }
  }

  const fieldError = (name: string) => error?.fieldMessage(name);
  return html`<section aria-labelledby="admin-movies">
    <h2 id="admin-movies">Movies and showtimes</h2>
    <form onSubmit=${add}>
      <${Field} id="movie-title" label="Title" value=${title} onInput=${setTitle} error=${fieldError('title')} required />
      <${Field} id="movie-director" label="Director" value=${director} onInput=${setDirector} error=${fieldError('director')} />
      <${Field} id="movie-rating" label="Rating (0 to 10)" type="number" value=${rating} onInput=${setRating}
        error=${fieldError('rating')} />
      <${Field} id="showtime-start" label="Showtime" type="datetime-local" value=${startsAt} onInput=${setStartsAt}
        error=${fieldError('showtimes.0.startsAt') ?? fieldError('showtimes')} required />
      <${Field} id="showtime-seats" label="Seats" type="number" value=${seats} onInput=${setSeats}
        error=${fieldError('showtimes.0.seats')} />
      <${Notice} error text=${error && error.fields.length === 0 ? error.message : problem} />
      <button type="submit">Add movie</button>
    </form>
    <ul class="admin-list" aria-label="Movies">
      ${movies.map(
        (m) => html`<li key=${m.id}>
          ${m.title} (${m.showtimes.map((s) => `${when(s.startsAt)}: ${s.available}/${s.seats}`).join('; ')})
          <button type="button" onClick=${() => remove(m)} aria-label=${`Delete ${m.title}`}>Delete</button>
        </li>`,
      )}
    </ul>
  </section>`;
}

function AdminUsers({ services }: { services: Services }) {
  const { api } = services;
  const [users, setUsers] = useState<User[]>([]);
  const [bookings, setBookings] = useState<Record<string, Booking[]>>({});
  const [problem, setProblem] = useState<string | undefined>();

  useEffect(() => {
    api
      .get<{ items: User[] }>('users?limit=100')
      .then((page) => setUsers(page.items))
      .catch((e) => setProblem(messageOf(e)));
  }, []);

  async function show(user: User) {
    try {
      const answer = await api.get<{ bookings: Booking[] }>(`users/${user.id}/bookings`);
      setBookings({ ...bookings, [user.id]: answer.bookings });
    } catch (e) {
      setProblem(messageOf(e));
    }
  }

  return html`<section aria-labelledby="admin-users">
    <h2 id="admin-users">Users and their bookings</h2>
    <${Notice} error text=${problem} />
    <ul class="admin-list" aria-label="Users">
      ${users.map(
        (u) => html`<li key=${u.id}>
          ${u.name ?? u.email} <small>${u.email}</small>
          <button type="button" onClick=${() => show(u)} aria-label=${`Show bookings of ${u.email}`}>Bookings</button>
          ${
            bookings[u.id]
              ? html`<ul>${(bookings[u.id] ?? []).map((b) => html`<li key=${b.id}>${b.seats} seats, showtime ${b.showtimeId}</li>`)}
                  ${(bookings[u.id] ?? []).length === 0 ? html`<li>none</li>` : null}</ul>`
              : null
          }
        </li>`,
      )}
    </ul>
  </section>`;
}

interface Outcome {
  name: string;
  id?: string;
  reason?: string;
}

function AdminThings({ services }: { services: Services }) {
  const { api } = services;
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const [problem, setProblem] = useState<string | undefined>();

  async function upload(event: Event) {
    setProblem(undefined);
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    let collection: {
      type?: string;
      features?: Array<{ properties?: { name?: unknown }; geometry?: unknown }>;
    };
    try {
      collection = JSON.parse(await file.text());
    } catch {
      setProblem(`${file.name} is not JSON`);
      return;
    }
    if (collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
      setProblem(`${file.name} is not a GeoJSON FeatureCollection`);
      return;
    }
    const results: Outcome[] = [];
    for (const [index, feature] of collection.features.entries()) {
      const name =
        typeof feature.properties?.name === 'string' ? feature.properties.name : `feature ${index + 1}`;
      try {
        const { id } = await api.send<{ id: string }>('POST', 'things', { name, geometry: feature.geometry });
        results.push({ name, id });
      } catch (failure) {
        const reason =
          failure instanceof ApiError && failure.fields.length > 0
            ? failure.fields.map((f) => `${f.field} ${f.message}`).join('; ')
            : messageOf(failure);
        results.push({ name, reason });
      }
    }
    setOutcomes(results);
  }

  async function remove(outcome: Outcome) {
    try {
      await api.send('DELETE', `things/${outcome.id}`);
      setOutcomes(outcomes.filter((o) => o !== outcome));
    } catch (failure) {
      setProblem(messageOf(failure));
    }
  }

  return html`<section aria-labelledby="admin-things">
    <h2 id="admin-things">Things for search</h2>
    <label for="things-file">Add things from a GeoJSON FeatureCollection file</label>
    <input id="things-file" type="file" accept=".json,.geojson,application/geo+json,application/json" onChange=${upload} />
    <${Notice} error text=${problem} />
    <ul class="admin-list" aria-label="Uploaded things">
      ${outcomes.map(
        (o) => html`<li key=${`${o.name}-${o.id ?? o.reason}`} class=${o.id ? 'added' : 'rejected'}>
          ${o.name}: ${o.id ? 'added' : `rejected: ${o.reason}`}
          ${o.id ? html`<button type="button" onClick=${() => remove(o)} aria-label=${`Delete ${o.name}`}>Delete</button>` : null}
        </li>`,
      )}
    </ul>
  </section>`;
}
