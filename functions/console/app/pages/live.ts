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
  summaryOf,
} from '../feed.js';
import { Icon } from '../icons.js';
import { traceIdOf, traceRoute } from '../trace-view.js';
import { html, useEffect, useRef, useState } from '../ui.js';

type Link = 'connecting' | 'live' | 'reconnecting';

/**
 * The log feed as it is published: newest on top, one line per message
 * (time, service, type, a summary of its data) that opens to the message's
 * JSON; filterable by service and type; pausable, counting the messages held
 * while paused. Connects to the
 * WebSocket API with the access token and reconnects (with a fresh token)
 * when the connection drops.
 */
export function LivePanel({ services, onClose }: { services: Services; onClose?: () => void }) {
  const [entries, setEntries] = useState<FeedEntry[]>([]);
  const [filter, setFilter] = useState<FeedFilter>({ service: '', type: '' });
  const [paused, setPaused] = useState(false);
  const [link, setLink] = useState<Link>('connecting');
  const pausedRef = useRef(false);
  const held = useRef<FeedEntry[]>([]);
  const [heldCount, setHeldCount] = useState(0);

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
        if (pausedRef.current) {
          held.current = addEntry(held.current, message, Date.now());
          setHeldCount((n) => n + 1);
        } else setEntries((current) => addEntry(current, message, Date.now()));
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
    setHeldCount(0);
    if (!next && held.current.length > 0) {
      const waiting = held.current;
      held.current = [];
      setEntries((current) => [...waiting, ...current].slice(0, 200));
    }
  }

  const shown = filterEntries(entries, filter);
  // Traces are operator data: the link is for admins (the route refuses others anyway).
  const admin = services.keeper.current?.role === 'admin';
  // The feed list is focusable (tabindex 0): once it scrolls, keyboard users must be able to scroll it.
  return html`<aside class="live" id="live-panel" aria-labelledby="live-title">
    <div class="live-head">
      <h2 id="live-title">Live log feed</h2>
      <span class=${`link ${link}`}><${Icon} name="dot" />${link}</span>
      ${
        onClose
          ? html`<button type="button" class="icon-button drawer-close" onClick=${onClose} aria-label="Close the feed">
              <${Icon} name="close" /></button>`
          : null
      }
    </div>
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
      <button type="button" aria-pressed=${paused} onClick=${togglePause}>
        <${Icon} name=${paused ? 'play' : 'pause'} />${paused ? 'Resume' : 'Pause'}</button>
    </div>
    ${
      paused
        ? html`<p class="paused" role="status">Paused: <strong id="held-count">${heldCount}</strong>
            new ${heldCount === 1 ? 'message' : 'messages'} held until you resume.</p>`
        : null
    }
    <div role="log" aria-label="Feed messages, newest first">
    <ol class="feed" tabindex="0">
      ${shown.map(
        (e) => html`<li key=${e.key} data-type=${e.message.type}>
          <details>
            <summary>
              <time datetime=${new Date(e.arrivedAt).toISOString()}>${new Date(e.arrivedAt).toLocaleTimeString()}</time>
              <strong>${e.message.service}</strong> <span class="type">${e.message.type}</span>
              <span class="summary">${summaryOf(e.message.data)}</span>
            </summary>
            <pre>${JSON.stringify(e.message, null, 2)}</pre>
          </details>
          ${
            admin && traceIdOf(e.message.traceparent)
              ? html`<a class="trace-link" href=${`#/${traceRoute(traceIdOf(e.message.traceparent) as string)}`}
            aria-label=${`Trace of this ${e.message.type} message`}>Trace</a>`
              : null
          }
        </li>`,
      )}
    </ol>
    ${shown.length === 0 ? html`<p class="muted empty">No messages yet: what the services publish appears here.</p>` : null}
    </div>
  </aside>`;
}
