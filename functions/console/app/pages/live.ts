/// <reference lib="dom" />
import type { Services } from '../context.js';
import {
  addEntry,
  type FeedEntry,
  type FeedFilter,
  filterEntries,
  liveFeedUrl,
  parseFrame,
  servicesOf,
} from '../feed.js';
import { html, useEffect, useRef, useState } from '../ui.js';

type Link = 'connecting' | 'live' | 'reconnecting';

/**
 * The log feed as it is published: newest on top, filterable by service and
 * type, pausable, with the time each message arrived. Connects to the
 * WebSocket API with the access token and reconnects (with a fresh token)
 * when the connection drops.
 */
export function LivePanel({ services }: { services: Services }) {
  const [entries, setEntries] = useState<FeedEntry[]>([]);
  const [filter, setFilter] = useState<FeedFilter>({ service: '', type: '' });
  const [paused, setPaused] = useState(false);
  const [link, setLink] = useState<Link>('connecting');
  const pausedRef = useRef(false);
  const held = useRef<FeedEntry[]>([]);

  useEffect(() => {
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    let attempts = 0;
    async function open() {
      const token = await services.keeper.accessToken();
      if (!token || closed) return;
      const url = `${liveFeedUrl(location, services.config)}?token=${encodeURIComponent(token)}`;
      socket = new WebSocket(url);
      socket.onopen = () => {
        attempts = 0;
        setLink('live');
      };
      socket.onmessage = (event) => {
        const message = parseFrame(String(event.data));
        if (!message) return;
        if (pausedRef.current) held.current = addEntry(held.current, message, Date.now());
        else setEntries((current) => addEntry(current, message, Date.now()));
      };
      socket.onclose = () => {
        if (closed) return;
        setLink('reconnecting');
        attempts += 1;
        retry = setTimeout(open, Math.min(30_000, 500 * 2 ** attempts));
      };
    }
    void open();
    return () => {
      closed = true;
      if (retry) clearTimeout(retry);
      socket?.close();
    };
  }, [services]);

  function togglePause() {
    const next = !paused;
    pausedRef.current = next;
    setPaused(next);
    if (!next && held.current.length > 0) {
      const waiting = held.current;
      held.current = [];
      setEntries((current) => [...waiting, ...current].slice(0, 200));
    }
  }

  const shown = filterEntries(entries, filter);
  return html`<aside class="live" aria-labelledby="live-title">
    <h2 id="live-title">Live log feed <span class=${`link ${link}`}>${link}</span></h2>
    <div class="live-controls">
      <label for="live-service">Service</label>
      <select id="live-service" value=${filter.service}
        onChange=${(e: Event) => setFilter({ ...filter, service: (e.target as HTMLSelectElement).value })}>
        <option value="">all</option>
        ${servicesOf(entries).map((s) => html`<option key=${s} value=${s}>${s}</option>`)}
      </select>
      <label for="live-type">Type</label>
      <input id="live-type" value=${filter.type} placeholder="e.g. task."
        onInput=${(e: Event) => setFilter({ ...filter, type: (e.target as HTMLInputElement).value })} />
      <button type="button" aria-pressed=${paused} onClick=${togglePause}>${paused ? 'Resume' : 'Pause'}</button>
    </div>
    <div role="log" aria-label="Feed messages, newest first">
    <ol class="feed">
      ${shown.map(
        (e) => html`<li key=${e.key} data-type=${e.message.type}>
          <time datetime=${new Date(e.arrivedAt).toISOString()}>${new Date(e.arrivedAt).toLocaleTimeString()}</time>
          <strong>${e.message.service}</strong> <span class="type">${e.message.type}</span>
          <code>${JSON.stringify(e.message.data)}</code>
        </li>`,
      )}
    </ol>
    </div>
  </aside>`;
}
