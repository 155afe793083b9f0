/// <reference lib="dom" />
import { ApiError } from '../api.js';
import { ProblemNote } from '../components.js';
import type { Services } from '../context.js';
import type { Shape } from '../geo.js';
import { Field, html, Notice, useEffect, useState } from '../ui.js';
import { type MapShape, WorldMap } from './map.js';

interface SearchAnswer {
  total: number;
  page: number;
  per_page: number;
  results: Array<{ id: string; name: string }>;
}

const PER_PAGE = 10;

/**
 * Search by point (click the map or type it) and/or name; results listed in a
 * table and drawn on the map, each row tied to its shape: hovering or
 * selecting either highlights both.
 */
export function SearchPage({ services }: { services: Services }) {
  const { api } = services;
  const [lat, setLat] = useState('');
  const [lng, setLng] = useState('');
  const [name, setName] = useState('');
  const [answer, setAnswer] = useState<SearchAnswer | undefined>();
  const [shapes, setShapes] = useState<MapShape[]>([]);
  const [error, setError] = useState<ApiError | undefined>();
  /** A failure in words, with Retry where trying again can help. */
  const [problem, setProblem] = useState<
    { error: unknown; doing: string; retry: () => unknown } | undefined
  >();
  const [hovered, setHovered] = useState<string | undefined>();
  const [selected, setSelected] = useState<string | undefined>();
  const [deleting, setDeleting] = useState<string | undefined>();
  // "Show" on a row brings its thing into view: a park is a few pixels on the whole world.
  const [zoomTo, setZoomTo] = useState<{ id: string; request: number } | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const isAdmin = services.keeper.current?.role === 'admin';
  // A thing selected on the map brings its row into view.
  useEffect(() => {
    if (selected) document.getElementById(`result-${selected}`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  async function run(page: number, at = { lat, lng }) {
    setError(undefined);
    setProblem(undefined);
    setDone(undefined);
    const query = new URLSearchParams({ page: String(page), per_page: String(PER_PAGE) });
    if (at.lat.trim() !== '' || at.lng.trim() !== '') {
      query.set('lat', at.lat.trim());
      query.set('lng', at.lng.trim());
    }
    if (name.trim()) query.set('query', name.trim());
    try {
      const result = await api.get<SearchAnswer>(`search?${query}`);
      const drawn = await Promise.all(
        result.results.map(async (r) => ({
          id: r.id,
          name: r.name,
          shape: await api.get<Shape>(`things/${r.id}/geometry`),
        })),
      );
      // The table and the map change together, so they never show different results.
      setAnswer(result);
      setShapes(drawn);
      setSelected(undefined);
      setHovered(undefined);
    } catch (failure) {
      setAnswer(undefined);
      setShapes([]);
      if (failure instanceof ApiError && failure.fields.length > 0) setError(failure);
      else setProblem({ error: failure, doing: 'search', retry: () => run(page, at) });
    }
  }

  /** For admins: removes a thing from the index, once confirmed, and shows the page again without it. */
  async function remove(thing: { id: string; name: string }) {
    if (!answer || !confirm(`Delete "${thing.name}"? Search will no longer find it.`)) return;
    setDeleting(thing.id);
    try {
      await api.send('DELETE', `things/${thing.id}`);
      const page = answer.results.length === 1 && answer.page > 1 ? answer.page - 1 : answer.page;
      await run(page);
      setDone(`Deleted ${thing.name}.`);
    } catch (failure) {
      setProblem({ error: failure, doing: `delete ${thing.name}`, retry: () => remove(thing) });
    } finally {
      setDeleting(undefined);
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
    <${WorldMap} shapes=${shapes} marker=${marker} onPick=${pick} hovered=${hovered} selected=${selected}
      onHover=${setHovered} onSelect=${setSelected} zoomTo=${zoomTo} />
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
    <${ProblemNote} error=${problem?.error} doing=${problem?.doing ?? ''} onRetry=${problem?.retry}
      onDismiss=${() => setProblem(undefined)} />
    ${
      answer
        ? html`<p role="status">${answer.total} found</p>
          <${Notice} text=${done} />
          <table class="results" aria-label="Search results">
            <thead><tr><th scope="col">Name</th><th scope="col"><span class="visually-hidden">On the map</span></th></tr></thead>
            <tbody>
            ${answer.results.map(
              (r) => html`<tr key=${r.id} id=${`result-${r.id}`} data-thing-id=${r.id}
                  class=${`${r.id === hovered ? 'hovered' : ''}${r.id === selected ? ' selected' : ''}`}
                  onPointerEnter=${() => setHovered(r.id)} onPointerLeave=${() => setHovered(undefined)}
                  onClick=${() => setSelected(r.id)}>
                <td>${r.name}</td>
                <td class="actions"><button type="button" class="link" aria-pressed=${r.id === selected}
                  title="Select it and zoom the map to it"
                  onFocus=${() => setHovered(r.id)} onBlur=${() => setHovered(undefined)}
                  onClick=${(e: Event) => {
                    e.stopPropagation();
                    setSelected(r.id);
                    setZoomTo({ id: r.id, request: (zoomTo?.request ?? 0) + 1 });
                  }}>Show<span class="visually-hidden"> ${r.name} on the map</span></button>
                  ${
                    isAdmin
                      ? html` <button type="button" class="link danger" disabled=${deleting === r.id}
                          onClick=${(e: Event) => {
                            e.stopPropagation();
                            void remove(r);
                          }}>${deleting === r.id ? 'Deleting…' : 'Delete'}<span class="visually-hidden"> ${r.name}</span></button>`
                      : null
                  }</td>
              </tr>`,
            )}
            </tbody>
          </table>
          <nav class="pager" aria-label="Result pages">
            <button type="button" disabled=${answer.page <= 1} onClick=${() => run(answer.page - 1)}>Previous</button>
            <span>Page ${answer.page} of ${pages}</span>
            <button type="button" disabled=${answer.page >= pages} onClick=${() => run(answer.page + 1)}>Next</button>
          </nav>`
        : null
    }
  </section>`;
}
