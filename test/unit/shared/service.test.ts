import { describe, expect, it } from 'vitest';
import { DEPLOYABLE, functionEntries, SERVICES, tableEnvNames } from '../../../functions/services.js';
import { defineService, readTables, routesOf, tableEnv } from '../../../functions/shared/service.js';
import { tasksService } from '../../../functions/tasks/service.js';

describe('service declarations', () => {
  it('name each table by the variables the functions have always read', () => {
    expect(tableEnvNames().sort()).toEqual(
      [
        'TASKS_TABLE',
        'SEARCH_THINGS_TABLE',
        'SEARCH_CELLS_TABLE',
        'SEARCH_NAMES_TABLE',
        'USERS_TABLE',
        'MOVIES_TABLE',
        'MOVIES_HOLDS_TABLE',
        'BOOKINGS_TABLE',
        'BOOKINGS_RATE_LIMITS_TABLE',
        'BOOKINGS_CLOSED_ACCOUNTS_TABLE',
        'LIVE_FEED_CONNECTIONS_TABLE',
        'AUTH_LOGIN_ATTEMPTS_TABLE',
      ].sort(),
    );
    expect(tableEnv('live-feed', 'connections')).toBe('LIVE_FEED_CONNECTIONS_TABLE');
    expect(tableEnv('tasks', 'tasks')).toBe('TASKS_TABLE');
  });

  it('read table names at cold start, naming every missing variable', () => {
    expect(readTables(tasksService, { TASKS_TABLE: 'tasks-1' })).toEqual({ tasks: 'tasks-1' });
    const two = defineService({
      name: 'two',
      tables: { a: { partitionKey: 'id' }, b: { partitionKey: 'id' } },
      functions: {},
    });
    expect(() => readTables(two, {})).toThrow('TWO_A_TABLE, TWO_B_TABLE');
  });

  it('give every route of every service to exactly one of its functions', () => {
    for (const service of SERVICES) {
      const served = Object.values(service.functions).flatMap((fn) => Object.keys(routesOf(service, fn)));
      expect(served.sort(), service.name).toEqual(Object.keys(service.routes ?? {}).sort());
    }
  });

  it('refuse two functions under one bundle name', () => {
    const clash = defineService({
      name: 'clash',
      functions: {
        tasks: { entry: 'clash/handler.ts', description: 'same bundle name as tasks', routes: [] },
      },
    });
    expect(() => functionEntries([...SERVICES, clash])).toThrow('"tasks"');
    expect(Object.keys(functionEntries())).toHaveLength(
      DEPLOYABLE.reduce((n, s) => n + Object.keys(s.functions).length, 0),
    );
  });

  it('refuse a function with no event source, or with routes and a trigger both', () => {
    const declare = (fn: object) => () =>
      defineService({
        name: 'odd',
        functions: { odd: { entry: 'odd/handler.ts', description: 'odd', ...fn } as never },
      });
    expect(declare({})).toThrow('odd must have exactly one event source');
    expect(declare({ routes: 'all', trigger: { schedule: { everyMinutes: 1 } } })).toThrow(
      'odd must have exactly one event source',
    );
    expect(declare({ trigger: { schedule: { everyMinutes: 1 } } })).not.toThrow();
  });

  it('refuse an RPC server in a service that declares no contract', () => {
    expect(() =>
      defineService({
        name: 'nocontract',
        functions: {
          server: { entry: 'x/handler.ts', description: 'serves nothing', trigger: { rpc: true } },
        },
      }),
    ).toThrow('declares no contract');
  });
});
