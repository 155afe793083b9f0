import * as z from 'zod/mini';
import { nameText } from '../shared/http/fields.js';
import { defineRoutes } from '../shared/http/route.js';
import { pageQuery } from '../shared/pagination.js';
import { health, task, taskPage } from './domain/tasks.js';

const taskName = nameText(200);

const byId = z.object({
  id: z.string().check(z.regex(/^[0-9A-Za-z_-]{1,64}$/, 'must be 1 to 64 letters, digits, "-" or "_"')),
});

export const taskRoutes = defineRoutes({
  health: {
    method: 'GET',
    path: '/tasks/health',
    summary: 'Answers 200 when the tasks table is reachable (no token needed)',
    auth: 'none',
    response: health,
  },
  list: {
    method: 'GET',
    path: '/tasks',
    summary: "Lists the caller's tasks, newest first; pass `cursor` from a page to get the next",
    auth: 'user',
    query: pageQuery,
    response: taskPage,
    errors: [400, 401],
  },
  create: {
    method: 'POST',
    path: '/tasks',
    summary: 'Adds a task (the original `add`)',
    auth: 'user',
    body: z.strictObject({ name: taskName }),
    status: 201,
    response: task,
    errors: [400, 401, 413],
  },
  get: {
    method: 'GET',
    path: '/tasks/{id}',
    summary: 'One of the caller’s tasks',
    auth: 'user',
    params: byId,
    response: task,
    errors: [400, 401, 404],
  },
  update: {
    method: 'PATCH',
    path: '/tasks/{id}',
    summary: 'Changes the name and/or done flag of a task (the original `update`)',
    auth: 'user',
    params: byId,
    body: z
      .strictObject({ name: z.optional(taskName), done: z.optional(z.boolean('must be true or false')) })
      .check(
        z.refine((changes) => changes.name !== undefined || changes.done !== undefined, {
          message: 'must change at least one of name, done',
        }),
        z.meta({ minProperties: 1 }),
      ),
    response: task,
    errors: [400, 401, 404, 413],
  },
  upsert: {
    method: 'PUT',
    path: '/tasks/{id}',
    summary:
      'Creates the task with this id (201) or replaces its name and done flag (200) (the original `upsert`)',
    auth: 'user',
    params: byId,
    body: z.strictObject({ name: taskName, done: z._default(z.boolean('must be true or false'), false) }),
    otherStatuses: [201],
    response: task,
    errors: [400, 401, 413],
  },
  remove: {
    method: 'DELETE',
    path: '/tasks/{id}',
    summary: 'Deletes a task',
    auth: 'user',
    params: byId,
    status: 204,
    errors: [400, 401, 404],
  },
});
