/// <reference lib="dom" />
import { ApiError } from '../api.js';
import type { Services } from '../context.js';
import type { Shape } from '../geo.js';
import { Field, html, messageOf, Notice, useState } from '../ui.js';
import { type MapShape, WorldMap } from './map.js';

interface SearchAnswer {
  total: number;
  page: number;
  per_page: number;
  results: Array<{ id: string; name: string }>;
}

const PER_PAGE = 10;

/** Search by point (click the map or type it) and/or name; results listed and drawn. */
export function SearchPage({ services }: { services: Services }) {
  const { api } = services;
  const [lat, setLat] = useState('');
  const [lng, setLng] = useState('');
  const [name, setName] = useState('');
  const [answer, setAnswer] = useState<SearchAnswer | undefined>();
  const [shapes, setShapes] = useState<MapShape[]>([]);
  const [error, setError] = useState<ApiError | undefined>();
  const [problem, setProblem] = useState<string | undefined>();

  async function run(page: number, at = { lat, lng }) {
    setError(undefined);
    setProblem(undefined);
    const query = new URLSearchParams({ page: String(page), per_page: String(PER_PAGE) });
    if (at.lat.trim() !== '' || at.lng.trim() !== '') {
      query.set('lat', at.lat.trim());
      query.set('lng', at.lng.trim());
    }
    if (name.trim()) query.set('query', name.trim());
    try {
      const result = await api.get<SearchAnswer>(`search?${query}`);
      setAnswer(result);
      const drawn = await Promise.all(
        result.results.map(async (r) => ({
          id: r.id,
          name: r.name,
          shape: await api.get<Shape>(`things/${r.id}/geometry`),
        })),
      );
      setShapes(drawn);
    } catch (failure) {
      setAnswer(undefined);
      setShapes([]);
      if (failure instanceof ApiError && failure.fields.length > 0) setError(failure);
      else setProblem(messageOf(failure));
    }
  }

  function pick(position: { lat: number; lng: number }) {
    const at = { lat: String(position.lat), lng: String(position.lng) };
    setLat(at.lat);
    setLng(at.lng);
    void run(1, at);
  }

  const marker =
    lat !== '' && lng !== '' && Number.isFinite(Number(lat)) && Number.isFinite(Number(lng))
      ? { lat: Number(lat), lng: Number(lng) }
      : undefined;
  const pages = answer ? Math.max(1, Math.ceil(answer.total / answer.per_page)) : 1;
  return html`<section aria-labelledby="search-title">
    <h1 id="search-title">Search</h1>
    <${WorldMap} shapes=${shapes} marker=${marker} onPick=${pick} />
    <form class="inline" onSubmit=${(e: Event) => {
      e.preventDefault();
      void run(1);
    }}>
      <${Field} id="lat" label="Latitude" value=${lat} onInput=${setLat} error=${error?.fieldMessage('lat')}
        inputmode="decimal" />
      <${Field} id="lng" label="Longitude" value=${lng} onInput=${setLng} error=${error?.fieldMessage('lng')}
        inputmode="decimal" />
      <${Field} id="thing-name" label="Name contains" value=${name} onInput=${setName}
        error=${error?.fieldMessage('query')} />
      <button type="submit">Search</button>
    </form>
    <${Notice} error text=${problem} />
    ${
      answer
        ? html`<p role="status">${answer.total} found</p>
          <ol class="results" aria-label="Search results">
            ${answer.results.map((r) => html`<li key=${r.id}>${r.name}</li>`)}
          </ol>
          <nav class="pager" aria-label="Result pages">
            <button type="button" disabled=${answer.page <= 1} onClick=${() => run(answer.page - 1)}>Previous</button>
            <span>Page ${answer.page} of ${pages}</span>
            <button type="button" disabled=${answer.page >= pages} onClick=${() => run(answer.page + 1)}>Next</button>
          </nav>`
        : null
    }
  </section>`;
}
