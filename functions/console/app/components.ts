/// <reference lib="dom" />
/**
 * The pieces every list and action of the console is built from: actions
 * that act once (busy buttons, Retry with the same key), failures in words
 * with their status, request id and Retry, paged lists with a loading
 * skeleton and a real empty state, and a confirmation before deleting.
 */
import { Action, type ActionState } from './actions.js';
import { ApiError } from './api.js';
import { cursorOf, firstPage, hasNewer, hasOlder, loaded, newer, older, type Paging } from './paging.js';
import { describe, fieldText } from './problems.js';
import { html, useEffect, useRef, useState } from './ui.js';

/** A user action bound to a component: `start` on the click, `retry` from its failure note. */
export function useAction<A extends unknown[], T>(run: (key: string, ...args: A) => Promise<T>) {
  const [state, setState] = useState<ActionState>({ busy: false, error: undefined });
  // The latest `run` (it closes over the component's current state), called by one Action kept for the component's life.
  const latest = useRef(run);
  latest.current = run;
  const action = useRef<Action<A, T>>();
  action.current ??= new Action<A, T>((key, ...args) => latest.current(key, ...args), setState);
  const current = action.current;
  return {
    busy: state.busy,
    error: state.error,
    start: (...args: A) => current.start(...args),
    retry: () => current.retry(),
    dismiss: () => current.dismiss(),
  };
}

/** What `ActionProblem` needs of an action. */
export interface BoundAction {
  busy: boolean;
  error: unknown;
  retry: () => unknown;
  dismiss: () => unknown;
}

/** The message of a field issue of a failed action, in words, for the field named `name` (`title` matches `body.title`). */
export const fieldError = (error: unknown, name: string): string | undefined => {
  if (!(error instanceof ApiError)) return undefined;
  const issue = error.fields.find((f) => f.field === name || f.field.endsWith(`.${name}`));
  return issue ? fieldText(issue) : undefined;
};

/**
 * A failure: the sentence, then the status and request id (to quote when
 * asking for help), with Retry when trying again can help.
 */
export function ProblemNote(props: {
  error: unknown;
  doing: string;
  onRetry?: (() => unknown) | undefined;
  onDismiss?: (() => unknown) | undefined;
  busy?: boolean;
}) {
  if (props.error === undefined) return null;
  const problem = describe(props.error, props.doing);
  return html`<div class="problem" role="alert">
    <p class="problem-sentence">${problem.sentence}</p>
    <p class="problem-ids">
      <span>Status: <span data-status>${problem.status}</span></span>
      <span>Request id: ${problem.requestId ? html`<code data-request-id>${problem.requestId}</code>` : 'none (the answer did not come from the API)'}</span>
    </p>
    <p class="problem-actions">
      ${
        problem.retryable && props.onRetry
          ? html`<button type="button" class="retry" disabled=${props.busy} onClick=${() => props.onRetry?.()}>
              ${props.busy ? 'Trying again…' : 'Retry'}</button>`
          : null
      }
      ${props.onDismiss ? html`<button type="button" class="link" onClick=${() => props.onDismiss?.()}>Dismiss</button>` : null}
    </p>
  </div>`;
}

/** The failure of an action, with Retry (same key) and Dismiss; nothing while it has not failed. */
export function ActionProblem({ action, doing }: { action: BoundAction; doing: string }) {
  return html`<${ProblemNote} error=${action.error} doing=${doing} busy=${action.busy}
    onRetry=${action.retry} onDismiss=${action.dismiss} />`;
}

/** A button disabled (and saying so) while its request runs. */
export function BusyButton(props: {
  busy: boolean;
  label: string;
  busyLabel: string;
  type?: 'button' | 'submit';
  disabled?: boolean;
  ariaLabel?: string;
  className?: string;
  onClick?: () => unknown;
}) {
  return html`<button type=${props.type ?? 'button'} class=${props.className} disabled=${props.busy || props.disabled}
    aria-busy=${props.busy ? 'true' : 'false'} aria-label=${props.ariaLabel}
    onClick=${props.onClick ? () => props.onClick?.() : undefined}>
    ${props.busy ? html`<span class="spinner" aria-hidden="true"></span>${props.busyLabel}` : props.label}
  </button>`;
}

/** A two-step delete: the first click asks, the second acts (or Keep goes back). */
export function ConfirmDelete(props: {
  busy: boolean;
  what: string;
  label?: string;
  onConfirm: () => unknown;
}) {
  const [asking, setAsking] = useState(false);
  if (props.busy) return html`<${BusyButton} busy label="Delete" busyLabel="Deleting…" />`;
  return asking
    ? html`<span class="confirm" role="group" aria-label=${`Confirm deleting ${props.what}`}>
        <span>Delete ${props.what}?</span>
        <button type="button" class="danger" onClick=${() => {
          setAsking(false);
          props.onConfirm();
        }} aria-label=${`Yes, delete ${props.what}`}>Yes, delete</button>
        <button type="button" onClick=${() => setAsking(false)} aria-label=${`Keep ${props.what}`}>Keep</button>
      </span>`
    : html`<button type="button" onClick=${() => setAsking(true)} aria-label=${`Delete ${props.what}`}>${props.label ?? 'Delete'}</button>`;
}

/** Placeholder rows while a list loads (never an empty-state text then), announced once as loading. */
export function Skeleton({ rows = 3, what }: { rows?: number; what: string }) {
  return html`<div class="skeleton" data-loading=${what}>
    <p class="visually-hidden" role="status">Loading ${what}…</p>
    ${Array.from({ length: rows }, (_, i) => html`<div key=${i} class="skeleton-row" aria-hidden="true"></div>`)}
  </div>`;
}

/** What an empty list says: what is missing, and what to do about it. */
export function Empty({ text, children }: { text: string; children?: unknown }) {
  return html`<div class="empty" data-empty><p>${text}</p>${children ?? null}</div>`;
}

export interface PageOf<T> {
  items: T[];
  cursor?: string | undefined;
}

/**
 * A list read a page at a time. Changes made on the page (`change`) run
 * beside it; once the last one is done the page is read again quietly (no
 * skeleton), so it fills back up after a delete and learns of a next page
 * after an add. An answer that a newer read or a change in flight has
 * overtaken is dropped, so a late answer never undoes what was just done.
 */
export function usePagedList<T>(
  fetchPage: (cursor: string | undefined) => Promise<PageOf<T>>,
  deps: unknown[] = [],
) {
  const [items, setItems] = useState<T[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  // While a read or a change runs, quiet ones included: the pager says so (aria-busy).
  const [busy, setBusy] = useState(true);
  const [paging, setPagingState] = useState<Paging>(firstPage());
  const pagingRef = useRef(paging);
  const readNumber = useRef(0);
  const changing = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const setPaging = (next: Paging) => {
    pagingRef.current = next;
    setPagingState(next);
  };

  async function read(target: Paging, quietly: boolean) {
    const mine = ++readNumber.current;
    setBusy(true);
    if (!quietly) {
      setLoading(true);
      setError(undefined);
    }
    try {
      const page = await fetchRef.current(cursorOf(target));
      // A quiet read is dropped while a change runs (it would undo what the change shows); the one
      // after the last change reads its outcome. A read the person asked for (a page) always shows.
      if (mine !== readNumber.current || (quietly && changing.current > 0)) return;
      setItems(page.items);
      setPaging(loaded(target, page.cursor));
      setError(undefined);
    } catch (failure) {
      if (mine === readNumber.current) setError(failure);
    } finally {
      if (mine === readNumber.current) {
        setLoading(false);
        setBusy(changing.current > 0);
      }
    }
  }

  useEffect(() => {
    const start = firstPage();
    setPaging(start);
    setItems([]);
    void read(start, false);
  }, deps);

  return {
    items,
    setItems,
    loading,
    busy,
    error,
    page: paging.at + 1,
    hasOlder: hasOlder(paging),
    hasNewer: hasNewer(paging),
    older: () => read(older(pagingRef.current), false),
    /** Back to the first page (read again). */
    first: () => read(firstPage(), false),
    newer: () => read(newer(pagingRef.current), false),
    /** Reads the page shown again, showing the skeleton (Retry after a failed read). */
    reload: () => read(pagingRef.current, false),
    /** Runs a change of the list's items; the page is read again quietly once no change is running. */
    async change<R>(run: () => Promise<R>): Promise<R> {
      changing.current += 1;
      setBusy(true);
      try {
        return await run();
      } finally {
        changing.current -= 1;
        if (changing.current === 0) void read(pagingRef.current, true);
      }
    },
  };
}

export type PagedList<T> = ReturnType<typeof usePagedList<T>>;

/** Newer / page n / Older under a paged list. */
export function Pager({ list, label }: { list: PagedList<unknown>; label: string }) {
  return html`<nav class="pager" aria-label=${label} aria-busy=${list.busy ? 'true' : 'false'}>
    <button type="button" disabled=${list.loading || !list.hasNewer} onClick=${list.newer}>Newer</button>
    <span>Page ${list.page}</span>
    <button type="button" disabled=${list.loading || !list.hasOlder} onClick=${list.older}>Older</button>
  </nav>`;
}

/**
 * A list's body: the skeleton while it loads, its failure with Retry, the
 * empty state, or its rows.
 */
export function ListBody<T>(props: {
  list: PagedList<T>;
  what: string;
  empty: string;
  emptyExtra?: unknown;
  rows: (items: T[]) => unknown;
}) {
  const { list } = props;
  if (list.loading) return html`<${Skeleton} what=${props.what} />`;
  if (list.error !== undefined && list.items.length === 0)
    return html`<${ProblemNote} error=${list.error} doing=${`load ${props.what}`} onRetry=${list.reload} />`;
  return html`${list.error !== undefined ? html`<${ProblemNote} error=${list.error} doing=${`load ${props.what}`} onRetry=${list.reload} />` : null}
    ${list.items.length === 0 ? html`<${Empty} text=${props.empty}>${props.emptyExtra}</${Empty}>` : props.rows(list.items)}`;
}

/**
 * Names of things by id (a movie's title, a person's email), read once each
 * when first asked for and kept: lists show names, never ids.
 */
export function useNames<T>(read: (id: string) => Promise<T>) {
  const [known, setKnown] = useState<Record<string, T | null>>({});
  const asked = useRef(new Set<string>());
  const readRef = useRef(read);
  readRef.current = read;
  return {
    /** The value for `id`: undefined while it is read, null if it could not be. */
    get(id: string): T | null | undefined {
      if (!asked.current.has(id)) {
        asked.current.add(id);
        readRef.current(id).then(
          (value) => setKnown((all) => ({ ...all, [id]: value })),
          () => setKnown((all) => ({ ...all, [id]: null })),
        );
      }
      return known[id];
    },
    /** Keeps values already at hand (a page of movies), so they are not read again. */
    put(entries: Array<[string, T]>) {
      for (const [id] of entries) asked.current.add(id);
      setKnown((all) => ({ ...all, ...Object.fromEntries(entries) }));
    },
  };
}
