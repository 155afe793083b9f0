/// <reference lib="dom" />
import { newIdempotencyKey } from '../api.js';
import {
  ActionProblem,
  BusyButton,
  ConfirmDelete,
  fieldError,
  ListBody,
  Pager,
  ProblemNote,
  useAction,
  usePagedList,
} from '../components.js';
import type { Services } from '../context.js';
import { optimistic, replaceById } from '../optimistic.js';
import { Field, html, useState } from '../ui.js';

interface Task {
  id: string;
  name: string;
  createdOn: string;
  done: boolean;
}

const PAGE = 10;

/** A change that did not stick: what it was, why, and how to send it again (with its key). */
interface Failure {
  error: unknown;
  doing: string;
  retry: () => unknown;
}

const newestFirst = (a: Task, b: Task) => b.createdOn.localeCompare(a.createdOn) || b.id.localeCompare(a.id);

/**
 * The caller's tasks, newest first, a page at a time; changes show at once
 * and roll back if refused. After each change the page is read again, so it
 * fills back up after a delete and knows its next page after an add.
 */
export function TasksPage({ services }: { services: Services }) {
  const { api } = services;
  const list = usePagedList<Task>(async (cursor) => {
    const page = await api.get<{ tasks: Task[]; cursor?: string }>(
      `tasks?limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    return { items: page.tasks, cursor: page.cursor };
  });
  const [name, setName] = useState('');
  const [failure, setFailure] = useState<Failure | undefined>();
  const [editing, setEditing] = useState<{ id: string; name: string } | undefined>();

  const add = useAction(async (key: string, taskName: string) => {
    await list.change(async () => {
      const task = await api.send<Task>('POST', 'tasks', { name: taskName }, key);
      setName('');
      // A read of the page that the server answered after the add may already hold the task.
      if (list.page === 1)
        list.setItems((current) => [task, ...current.filter((t) => t.id !== task.id)].slice(0, PAGE));
    });
    if (list.page !== 1) await list.first();
  });

  /** Sends one change of a task (its key made now, kept by Retry), shown at once and undone if refused. */
  const change = (
    task: Task,
    patch: Partial<Task>,
    doing: string,
    key = newIdempotencyKey(),
  ): Promise<boolean> =>
    list.change(() =>
      optimistic({
        apply: () => list.setItems((current) => replaceById(current, task.id, patch)),
        revert: () => list.setItems((current) => replaceById(current, task.id, task)),
        request: () => api.send('PATCH', `tasks/${task.id}`, patch, key),
        onRefused: (_message, error) =>
          setFailure({ error, doing, retry: () => change(task, patch, doing, key) }),
      }),
    );

  const remove = (task: Task, key = newIdempotencyKey()): Promise<boolean> =>
    list.change(() =>
      optimistic({
        apply: () => list.setItems((current) => current.filter((t) => t.id !== task.id)),
        revert: () => list.setItems((current) => [...current, task].sort(newestFirst)),
        request: () => api.send('DELETE', `tasks/${task.id}`, undefined, key),
        onRefused: (_message, error) =>
          setFailure({ error, doing: `delete "${task.name}"`, retry: () => remove(task, key) }),
      }),
    );

  async function saveRename(event: Event, task: Task) {
    event.preventDefault();
    if (!editing) return;
    const newName = editing.name;
    setEditing(undefined);
    if (newName !== task.name) await change(task, { name: newName }, `rename "${task.name}"`);
  }

  const rows = (tasks: Task[]) => html`<ul class="tasks" aria-label="Tasks, newest first">
    ${tasks.map(
      (task) => html`<li key=${task.id} class=${task.done ? 'done' : ''} data-task=${task.name}>
        <input type="checkbox" id=${`done-${task.id}`} checked=${task.done}
          onChange=${() => change(task, { done: !task.done }, `${task.done ? 'reopen' : 'finish'} "${task.name}"`)} />
        ${
          editing?.id === task.id
            ? html`<form class="inline rename" onSubmit=${(e: Event) => saveRename(e, task)}>
                <label class="visually-hidden" for=${`rename-${task.id}`}>New name for ${task.name}</label>
                <input id=${`rename-${task.id}`} value=${editing.name} autofocus
                  onInput=${(e: Event) => setEditing({ id: task.id, name: (e.target as HTMLInputElement).value })} />
                <button type="submit">Save</button>
                <button type="button" onClick=${() => setEditing(undefined)}>Cancel</button>
              </form>`
            : html`<label for=${`done-${task.id}`} class="task-name">${task.name}</label>
                <button type="button" aria-label=${`Rename ${task.name}`}
                  onClick=${() => setEditing({ id: task.id, name: task.name })}>Rename</button>
                <${ConfirmDelete} busy=${false} what=${task.name} onConfirm=${() => remove(task)} />`
        }
      </li>`,
    )}
  </ul>`;

  return html`<section aria-labelledby="tasks-title">
    <h1 id="tasks-title">Tasks</h1>
    <form class="inline" onSubmit=${(event: Event) => {
      event.preventDefault();
      void add.start(name);
    }}>
      <${Field} id="new-task" label="New task" value=${name} onInput=${setName}
        error=${fieldError(add.error, 'name')} required />
      <${BusyButton} type="submit" busy=${add.busy} label="Add" busyLabel="Adding…" />
    </form>
    ${fieldError(add.error, 'name') ? null : html`<${ActionProblem} action=${add} doing="add the task" />`}
    <${ProblemNote} error=${failure?.error} doing=${failure?.doing ?? ''}
      onRetry=${() => {
        const retry = failure?.retry;
        setFailure(undefined);
        retry?.();
      }}
      onDismiss=${() => setFailure(undefined)} />
    <${ListBody} list=${list} what="your tasks" empty="No tasks here yet. Add one above." rows=${rows} />
    <${Pager} list=${list} label="Task pages" />
  </section>`;
}
