/// <reference lib="dom" />
import { ApiError, newIdempotencyKey } from '../api.js';
import {
  ActionProblem,
  BusyButton,
  ConfirmDelete,
  fieldError,
  ListBody,
  type PagedList,
  Pager,
  useAction,
  useNames,
  usePagedList,
} from '../components.js';
import type { Services } from '../context.js';
import { fieldsInWords, inWords } from '../problems.js';
import { Field, html, useState } from '../ui.js';
import {
  type Booking,
  BookingRow,
  type BookingStatus,
  type Movie,
  ratingText,
  STATUS_WORDS,
  when,
} from './movies.js';

interface User {
  id: string;
  name?: string;
  email: string;
}

const PAGE = 10;
const pageQuery = (cursor: string | undefined) =>
  `limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

/** Admins only: movies and showtimes, everyone's bookings, users, and the things search finds. */
export function AdminPage({ services }: { services: Services }) {
  return html`<section aria-labelledby="admin-title">
    <h1 id="admin-title">Admin</h1>
    <${AdminMovies} services=${services} />
    <${AdminBookings} services=${services} />
    <${AdminUsers} services=${services} />
    <${AdminThings} services=${services} />
  </section>`;
}

/** A showtime row of the movie form: a local date-time and a seat count. */
interface ShowtimeDraft {
  startsAt: string;
  seats: string;
}

const emptyShowtime = (): ShowtimeDraft => ({ startsAt: '', seats: '50' });

const toShowtimes = (drafts: ShowtimeDraft[]) =>
  drafts.map((d) => ({
    startsAt: d.startsAt ? new Date(d.startsAt).toISOString() : '',
    seats: Number(d.seats),
  }));

/** The movie being written: new (no id) or one being edited. */
interface Draft {
  id?: string;
  title: string;
  director: string;
  rating: string;
  /** New showtimes to add (every showtime of a new movie). */
  showtimes: ShowtimeDraft[];
}

const blank = (): Draft => ({ title: '', director: '', rating: '7.0', showtimes: [emptyShowtime()] });

function AdminMovies({ services }: { services: Services }) {
  const { api } = services;
  const movies = usePagedList<Movie>((cursor) => api.get(`movies?${pageQuery(cursor)}`));
  const [draft, setDraft] = useState<Draft>(blank());
  const [saved, setSaved] = useState<string | undefined>();
  const editing = draft.id ? movies.items.find((m) => m.id === draft.id) : undefined;

  const save = useAction(async (key: string, d: Draft) => {
    setSaved(undefined);
    const details = {
      title: d.title,
      ...(d.director.trim() ? { director: d.director } : {}),
      rating: Number(d.rating),
    };
    await movies.change(async () => {
      if (!d.id) {
        await api.send('POST', 'movies', { ...details, showtimes: toShowtimes(d.showtimes) }, key);
      } else {
        await api.send('PUT', `movies/${d.id}`, details, key);
        const added = d.showtimes.filter((s) => s.startsAt);
        // A second key of the same action, derived from its own so Retry repeats both requests as they were.
        if (added.length > 0)
          await api.send(
            'POST',
            `movies/${d.id}/showtimes`,
            { showtimes: toShowtimes(added) },
            `${key}-showtimes`,
          );
      }
    });
    setSaved(d.id ? `Saved ${d.title}.` : `Added ${d.title}.`);
    setDraft(blank());
  });

  const removeShowtime = useAction(async (key: string, movie: Movie, showtimeId: string) => {
    await movies.change(() =>
      api.send('DELETE', `movies/${movie.id}/showtimes/${showtimeId}`, undefined, key),
    );
  });

  const setShowtime = (i: number, patch: Partial<ShowtimeDraft>) =>
    setDraft({ ...draft, showtimes: draft.showtimes.map((s, j) => (i === j ? { ...s, ...patch } : s)) });
  const error = save.error;
  const showtimeError = (i: number, field: string) => fieldError(error, `showtimes.${i}.${field}`);
  // Field issues each show beside their field; the rest (and any that has no field here) as a problem.
  const shownFields = ['title', 'director', 'rating', 'showtimes'];
  const unplaced =
    error instanceof ApiError && error.fields.some((f) => !shownFields.some((n) => f.field.includes(n)));

  return html`<section aria-labelledby="admin-movies">
    <h2 id="admin-movies">Movies and showtimes</h2>
    <form class="movie-form" onSubmit=${(e: Event) => {
      e.preventDefault();
      void save.start(draft);
    }}>
      <h3>${draft.id ? `Edit ${editing?.title ?? 'movie'}` : 'New movie'}</h3>
      <${Field} id="movie-title" label="Title" value=${draft.title} onInput=${(v: string) => setDraft({ ...draft, title: v })}
        error=${fieldError(error, 'title')} required />
      <${Field} id="movie-director" label="Director" value=${draft.director}
        onInput=${(v: string) => setDraft({ ...draft, director: v })} error=${fieldError(error, 'director')} />
      <${Field} id="movie-rating" label="Rating (0 to 10, one decimal)" type="number" step="0.1" min="0" max="10"
        value=${draft.rating} onInput=${(v: string) => setDraft({ ...draft, rating: v })} error=${fieldError(error, 'rating')} />
      ${
        editing
          ? html`<p>Showtimes now:</p>
            <ul class="admin-list" aria-label=${`Showtimes of ${editing.title}`}>
              ${editing.showtimes.map(
                (s) => html`<li key=${s.id}>${when(s.startsAt)}: ${s.available} of ${s.seats} seats left
                  <${ConfirmDelete} busy=${removeShowtime.busy} what=${`the showtime at ${when(s.startsAt)}`} label="Remove"
                    onConfirm=${() => removeShowtime.start(editing, s.id)} /></li>`,
              )}
            </ul>
            <${ActionProblem} action=${removeShowtime} doing="remove the showtime" />`
          : null
      }
      <fieldset class="showtime-drafts">
        <legend>${draft.id ? 'Showtimes to add' : 'Showtimes'}</legend>
        ${draft.showtimes.map(
          (s, i) => html`<div class="showtime-draft" key=${i}>
            <${Field} id=${`showtime-start-${i}`} label=${`Showtime ${i + 1} starts`} type="datetime-local" value=${s.startsAt}
              onInput=${(v: string) => setShowtime(i, { startsAt: v })} error=${showtimeError(i, 'startsAt')} />
            <${Field} id=${`showtime-seats-${i}`} label=${`Showtime ${i + 1} seats`} type="number" value=${s.seats}
              onInput=${(v: string) => setShowtime(i, { seats: v })} error=${showtimeError(i, 'seats')} />
            ${
              draft.showtimes.length > 1
                ? html`<button type="button" aria-label=${`Remove showtime ${i + 1}`}
                    onClick=${() => setDraft({ ...draft, showtimes: draft.showtimes.filter((_, j) => j !== i) })}>Remove</button>`
                : null
            }
          </div>`,
        )}
        ${fieldError(error, 'showtimes') ? html`<p class="field-error">${fieldError(error, 'showtimes')}</p>` : null}
        <button type="button" onClick=${() => setDraft({ ...draft, showtimes: [...draft.showtimes, emptyShowtime()] })}>
          Add another showtime</button>
      </fieldset>
      ${
        error instanceof ApiError && error.fields.length > 0 && !unplaced
          ? null
          : html`<${ActionProblem} action=${save} doing=${draft.id ? 'save the movie' : 'add the movie'} />`
      }
      <${BusyButton} type="submit" busy=${save.busy} label=${draft.id ? 'Save movie' : 'Add movie'}
        busyLabel=${draft.id ? 'Saving…' : 'Adding…'} />
      ${draft.id ? html`<button type="button" onClick=${() => setDraft(blank())}>Stop editing</button>` : null}
      ${saved ? html`<p class="outcome" role="status">${saved}</p>` : null}
    </form>
    <${ListBody} list=${movies} what="movies" empty="No movies yet. Add the first one above."
      rows=${(items: Movie[]) => html`<table class="data" aria-label="Movies">
        <thead><tr><th scope="col">Title</th><th scope="col">Rating</th><th scope="col">Showtimes</th>
          <th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>${items.map(
          (m) => html`<${MovieRow} key=${m.id} movie=${m} services=${services} movies=${movies}
            onEdit=${() =>
              setDraft({
                id: m.id,
                title: m.title,
                director: m.director ?? '',
                rating: ratingText(m.rating),
                showtimes: [emptyShowtime()],
              })} />`,
        )}</tbody>
      </table>`} />
    <${Pager} list=${movies} label="Movie pages" />
  </section>`;
}

function MovieRow(props: { movie: Movie; services: Services; movies: PagedList<Movie>; onEdit: () => void }) {
  const { movie: m } = props;
  const remove = useAction((key: string) =>
    props.movies.change(() => props.services.api.send('DELETE', `movies/${m.id}`, undefined, key)),
  );
  return html`<tr data-movie=${m.title}>
    <td>${m.title}</td>
    <td>${ratingText(m.rating)}</td>
    <td>${m.showtimes.map((s) => `${when(s.startsAt)}: ${s.available}/${s.seats}`).join('; ') || 'none'}</td>
    <td>
      <button type="button" aria-label=${`Edit ${m.title}`} onClick=${props.onEdit}>Edit</button>
      <${ConfirmDelete} busy=${remove.busy} what=${m.title} onConfirm=${() => remove.start()} />
      <${ActionProblem} action=${remove} doing=${`delete ${m.title}`} />
    </td>
  </tr>`;
}

const STATUSES = Object.keys(STATUS_WORDS) as BookingStatus[];

/** Everyone's bookings with their state, filtered by state, a page at a time. */
function AdminBookings({ services }: { services: Services }) {
  const { api } = services;
  const [status, setStatus] = useState<BookingStatus | ''>('');
  const titles = useNames((id) => api.get<Movie>(`movies/${id}`));
  const people = useNames((id) => api.get<User>(`users/${id}`));
  const bookings = usePagedList<Booking>(
    (cursor) => api.get(`bookings/all?${pageQuery(cursor)}${status ? `&status=${status}` : ''}`),
    [status],
  );
  return html`<section aria-labelledby="admin-bookings">
    <h2 id="admin-bookings">All bookings</h2>
    <div class="field inline-field">
      <label for="booking-status">Status</label>
      <select id="booking-status" value=${status}
        onChange=${(e: Event) => setStatus((e.target as HTMLSelectElement).value as BookingStatus | '')}>
        <option value="">Any</option>
        ${STATUSES.map((s) => html`<option key=${s} value=${s}>${STATUS_WORDS[s]}</option>`)}
      </select>
    </div>
    <${ListBody} list=${bookings} what="bookings"
      empty=${
        !status
          ? 'Nobody has booked yet.'
          : bookings.hasOlder
            ? `No ${STATUS_WORDS[status].toLowerCase()} bookings among those read so far: Older reads further.`
            : `No bookings are ${STATUS_WORDS[status].toLowerCase()}.`
      }
      rows=${(items: Booking[]) => html`<table class="data" aria-label="All bookings">
        <thead><tr><th scope="col">Who</th><th scope="col">Movie</th><th scope="col">Showtime</th>
          <th scope="col">Seats</th><th scope="col">Status</th>
          <th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>${items.map((b) => {
          const person = people.get(b.userId);
          return html`<${BookingRow} key=${b.id} booking=${b} movie=${titles.get(b.movieId)} services=${services}
            bookings=${bookings} who=${person ? person.email : person === null ? 'A deleted account' : '…'} />`;
        })}</tbody>
      </table>`} />
    <${Pager} list=${bookings} label="Booking pages" />
  </section>`;
}

function AdminUsers({ services }: { services: Services }) {
  const { api } = services;
  const users = usePagedList<User>((cursor) => api.get(`users?${pageQuery(cursor)}`));
  return html`<section aria-labelledby="admin-users">
    <h2 id="admin-users">Users</h2>
    <${ListBody} list=${users} what="users" empty="No one has signed up yet."
      rows=${(items: User[]) => html`<table class="data" aria-label="Users">
        <thead><tr><th scope="col">Name</th><th scope="col">Email</th></tr></thead>
        <tbody>${items.map((u) => html`<tr key=${u.id}><td>${u.name ?? ''}</td><td>${u.email}</td></tr>`)}</tbody>
      </table>`} />
    <${Pager} list=${users} label="User pages" />
  </section>`;
}

interface Thing {
  id: string;
  name: string;
}

interface Outcome {
  name: string;
  added: boolean;
  reason?: string;
}

function AdminThings({ services }: { services: Services }) {
  const { api } = services;
  const things = usePagedList<Thing>((cursor) => api.get(`things?${pageQuery(cursor)}`));
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const [problem, setProblem] = useState<string | undefined>();

  const upload = useAction(async (_key: string, file: File) => {
    setProblem(undefined);
    setOutcomes([]);
    let collection: {
      type?: string;
      features?: Array<{ properties?: { name?: unknown }; geometry?: unknown }>;
    };
    try {
      collection = JSON.parse(await file.text());
    } catch {
      setProblem(`${file.name} is not JSON.`);
      return;
    }
    if (collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
      setProblem(`${file.name} is not a GeoJSON FeatureCollection.`);
      return;
    }
    const results: Outcome[] = [];
    await things.change(async () => {
      for (const [index, feature] of (collection.features ?? []).entries()) {
        const name =
          typeof feature.properties?.name === 'string' ? feature.properties.name : `Feature ${index + 1}`;
        try {
          // One key per feature: each is its own change.
          await api.send('POST', 'things', { name, geometry: feature.geometry }, newIdempotencyKey());
          results.push({ name, added: true });
        } catch (failure) {
          const reason =
            failure instanceof ApiError && failure.fields.length > 0
              ? fieldsInWords(failure.fields)
              : inWords(failure instanceof Error ? failure.message : String(failure));
          results.push({ name, added: false, reason });
        }
      }
    });
    setOutcomes(results);
  });

  return html`<section aria-labelledby="admin-things">
    <h2 id="admin-things">Things for search</h2>
    <label for="things-file">Add things from a GeoJSON FeatureCollection file</label>
    <input id="things-file" type="file" accept=".json,.geojson,application/geo+json,application/json"
      disabled=${upload.busy} onChange=${(event: Event) => {
        const file = (event.target as HTMLInputElement).files?.[0];
        if (file) void upload.start(file);
      }} />
    ${upload.busy ? html`<p role="status">Adding the things…</p>` : null}
    ${problem ? html`<p class="notice error" role="alert">${problem}</p>` : null}
    <ul class="admin-list" aria-label="Uploaded things">
      ${outcomes.map(
        (o, i) => html`<li key=${i} class=${o.added ? 'added' : 'rejected'}>
          ${o.name}: ${o.added ? 'added' : `rejected. ${o.reason}`}
        </li>`,
      )}
    </ul>
    <${ListBody} list=${things} what="things" empty="No things yet. Add some from a GeoJSON file above."
      rows=${(items: Thing[]) => html`<table class="data" aria-label="Things">
        <thead><tr><th scope="col">Name</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>${items.map((t) => html`<${ThingRow} key=${t.id} thing=${t} services=${services} things=${things} />`)}</tbody>
      </table>`} />
    <${Pager} list=${things} label="Thing pages" />
  </section>`;
}

function ThingRow(props: { thing: Thing; services: Services; things: PagedList<Thing> }) {
  const { thing } = props;
  const remove = useAction((key: string) =>
    props.things.change(() => props.services.api.send('DELETE', `things/${thing.id}`, undefined, key)),
  );
  return html`<tr data-thing=${thing.name}>
    <td>${thing.name}</td>
    <td>
      <${ConfirmDelete} busy=${remove.busy} what=${thing.name} onConfirm=${() => remove.start()} />
      <${ActionProblem} action=${remove} doing=${`delete ${thing.name}`} />
    </td>
  </tr>`;
}
