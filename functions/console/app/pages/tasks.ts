/// <reference lib="dom" />
import type { Services } from '../context.js';
import { optimistic, replaceById } from '../optimistic.js';
import { Field, html, messageOf, Notice, useEffect, useState } from '../ui.js';

interface Task {
  id: string;
  name: string;
  createdOn: string;
  done: boolean;
}

const PAGE = 10;

/** The caller's tasks, newest first, with paging; changes show at once and roll back if refused. */
export function TasksPage({ services }: { services: Services }) {
  const { api } = services;
  const [tasks, setTasks] = useState<Task[]>([]);
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [next, setNext] = useState<string | undefined>();
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [editing, setEditing] = useState<{ id: string; name: string } | undefined>();
  // Nothing can change while a page loads: a late answer would overwrite what was changed meanwhile.
  const [loading, setLoading] = useState(true);

  const cursor = cursors[cursors.length - 1];
  async function load(from: string | undefined) {
    setLoading(true);
    try {
      const page = await api.get<{ tasks: Task[]; cursor?: string }>(
        `tasks?limit=${PAGE}${from ? `&cursor=${encodeURIComponent(from)}` : ''}`,
      );
      setTasks(page.tasks);
      setNext(page.cursor);
    } catch (error) {
      setProblem(messageOf(error));
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => void load(cursor), [cursor]);

  async function add(event: Event) {
    event.preventDefault();
    setNameError(undefined);
    try {
      const task = await api.send<Task>('POST', 'tasks', { name });
      setName('');
      if (cursors.length === 1) setTasks((current) => [task, ...current].slice(0, PAGE));
      else setCursors([undefined]);
    } catch (error) {
      setNameError(messageOf(error));
    }
  }

  const change = (task: Task, patch: Partial<Task>, what: string) =>
    optimistic({
      apply: () => setTasks((current) => replaceById(current, task.id, patch)),
      revert: () => setTasks((current) => replaceById(current, task.id, task)),
      request: () => api.send('PATCH', `tasks/${task.id}`, patch),
      onRefused: (message) => setProblem(`Could not ${what} "${task.name}": ${message}`),
    });

  const remove = (task: Task) =>
    optimistic({
      apply: () => setTasks((current) => current.filter((t) => t.id !== task.id)),
      revert: () =>
        setTasks((current) =>
          [...current, task].sort(
            (a, b) => b.createdOn.localeCompare(a.createdOn) || b.id.localeCompare(a.id),
          ),
        ),
      request: () => api.send('DELETE', `tasks/${task.id}`),
      onRefused: (message) => setProblem(`Could not delete "${task.name}": ${message}`),
    });

  async function saveRename(event: Event, task: Task) {
    event.preventDefault();
    if (!editing) return;
    const newName = editing.name;
    setEditing(undefined);
    if (newName !== task.name) await change(task, { name: newName }, 'rename');
  }

  return html`<section aria-labelledby="tasks-title">
    <h1 id="tasks-title">Tasks</h1>
    <fieldset class="plain" disabled=${loading} aria-busy=${loading ? 'true' : 'false'}>
      <form class="inline" onSubmit=${add}>
        <${Field} id="new-task" label="New task" value=${name} onInput=${setName} error=${nameError} required />
        <button type="submit">Add</button>
      </form>
      <${Notice} error text=${problem} />
      ${problem ? html`<button type="button" class="link" onClick=${() => setProblem(undefined)}>Dismiss</button>` : null}
      <ul class="tasks" aria-label="Tasks, newest first">
        ${tasks.map(
          (task) => html`<li key=${task.id} class=${task.done ? 'done' : ''} data-task=${task.name}>
            <input type="checkbox" id=${`done-${task.id}`} checked=${task.done}
              onChange=${() => change(task, { done: !task.done }, task.done ? 'reopen' : 'finish')} />
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
                    <button type="button" aria-label=${`Delete ${task.name}`} onClick=${() => remove(task)}>Delete</button>`
            }
          </li>`,
        )}
      </ul>
      ${!loading && tasks.length === 0 ? html`<p>No tasks here yet.</p>` : null}
    </fieldset>
    <nav class="pager" aria-label="Task pages">
      <button type="button" disabled=${loading || cursors.length === 1} onClick=${() => setCursors(cursors.slice(0, -1))}>
        Newer
      </button>
      <span>Page ${cursors.length}</span>
      <button type="button" disabled=${loading || !next} onClick=${() => setCursors([...cursors, next])}>Older</button>
    </nav>
  </section>`;
}
