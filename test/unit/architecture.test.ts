import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkImports, readSources, specifiersOf } from '../support/import-rules.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The API document reads every declaration; no other service may. */
const options = { registryReaders: ['docs'] };

describe('imports between services in functions/', () => {
  const files = readSources(projectRoot);
  const report = checkImports(files, options);

  it('reads every service, shared code and the registry', () => {
    expect(files.has('functions/services.ts')).toBe(true);
    expect(files.has('functions/shared/http/middleware.ts')).toBe(true);
    expect(files.has('functions/users/handler.ts')).toBe(true);
    expect(files.size).toBeGreaterThan(100);
  });

  it('sees the services that do use each other, through their contracts', () => {
    expect(report.crossService).toContainEqual({
      from: 'functions/users/service.ts',
      to: 'functions/bookings/contract.ts',
    });
    expect(report.crossService).toContainEqual({
      from: 'functions/bookings/service.ts',
      to: 'functions/users/contract.ts',
    });
  });

  it('reach another service only through its contract.ts, with shared code below every service and no import cycle', () => {
    expect(report.violations).toEqual([]);
  });
});

describe('the import checker', () => {
  const check = (files: Record<string, string>) =>
    checkImports(new Map(Object.entries(files)), options).violations;

  const contracts = {
    'functions/shared/rpc.ts': 'export const rpc = 1;',
    'functions/movies/contract.ts': "import { rpc } from '../shared/rpc.js';\nexport const movies = rpc;",
    'functions/movies/domain/movies.ts': "import type { movies } from '../contract.js';",
  };

  it('accepts imports of shared code, of another contract, and the registry read by the document', () => {
    expect(
      check({
        ...contracts,
        'functions/bookings/handler.ts': [
          "import { movies } from '../movies/contract.js';",
          "import { rpc } from '../shared/rpc.js';",
          "import * as z from 'zod/mini';",
          "import { readFile } from 'node:fs/promises';",
        ].join('\n'),
        'functions/services.ts': "export { movies } from './movies/contract.js';",
        'functions/docs/document.ts': "import { movies } from '../services.js';",
      }),
    ).toEqual([]);
  });

  it('refuses static, type-only, re-exported and dynamic imports of another service beyond its contract', () => {
    expect(
      check({
        ...contracts,
        'functions/bookings/a.ts': "import { x } from '../movies/domain/movies.js';",
        'functions/bookings/b.ts': "import type { X } from '../movies/domain/movies.js';",
        'functions/bookings/c.ts': "export * from '../movies/domain/movies.js';",
        'functions/bookings/domain/d.ts': "const m = await import('../../movies/domain/movies.js');",
        'functions/bookings/e.ts': "type T = import('../movies/domain/movies.js').Movie;",
        'functions/bookings/f.ts': "import {\n  x,\n  y,\n} from '../movies/domain/movies.js';",
      }),
    ).toEqual(
      [
        'a.ts imports ../movies/domain/movies.js',
        'b.ts imports ../movies/domain/movies.js',
        'c.ts imports ../movies/domain/movies.js',
        'domain/d.ts imports ../../movies/domain/movies.js',
        'e.ts imports ../movies/domain/movies.js',
        'f.ts imports ../movies/domain/movies.js',
      ].map(
        (line) =>
          `functions/bookings/${line}: of another service only functions/movies/contract.ts may be imported`,
      ),
    );
  });

  it('refuses a file named contract.ts anywhere but at the top of the service', () => {
    expect(
      check({
        ...contracts,
        'functions/movies/domain/contract.ts': 'export const inner = 1;',
        'functions/bookings/a.ts': "import { inner } from '../movies/domain/contract.js';",
      }),
    ).toEqual([
      'functions/bookings/a.ts imports ../movies/domain/contract.js: of another service only functions/movies/contract.ts may be imported',
    ]);
  });

  it('ignores imports written in comments and strings', () => {
    expect(
      check({
        ...contracts,
        'functions/bookings/a.ts': [
          "// import { x } from '../movies/domain/movies.js';",
          "/* export * from '../movies/domain/movies.js' */",
          'const text = "import(\'../movies/domain/movies.js\')";',
        ].join('\n'),
      }),
    ).toEqual([]);
  });

  it('refuses a service or the registry in shared code', () => {
    expect(
      check({
        ...contracts,
        'functions/services.ts': "export { movies } from './movies/contract.js';",
        'functions/shared/a.ts': "import { movies } from '../movies/contract.js';",
        'functions/shared/http/b.ts': "import { movies } from '../../services.js';",
      }),
    ).toEqual([
      'functions/shared/a.ts imports ../movies/contract.js: shared code imports no service and not the registry',
      'functions/shared/http/b.ts imports ../../services.js: shared code imports no service and not the registry',
    ]);
  });

  it('refuses the registry to services other than its readers', () => {
    expect(
      check({
        'functions/services.ts': 'export const SERVICES = [];',
        'functions/users/handler.ts': "import { SERVICES } from '../services.js';",
      }),
    ).toEqual(['functions/users/handler.ts imports ../services.js: only docs may read the registry']);
  });

  it('refuses a contract that brings in another service, even through its own files', () => {
    expect(
      check({
        ...contracts,
        'functions/users/contract.ts': "import { user } from './fields.js';",
        'functions/users/fields.ts': "import { movies } from '../movies/contract.js';",
      }),
    ).toEqual([
      'functions/users/contract.ts brings in functions/movies/contract.ts: a contract depends only on its own service and shared code',
    ]);
  });

  it('refuses import cycles, through contracts or not', () => {
    expect(
      check({
        'functions/users/contract.ts': "import { b } from '../bookings/contract.js';",
        'functions/bookings/contract.ts': "import { u } from '../users/contract.js';",
        'functions/tasks/a.ts': "import { a } from './a.js';",
      }),
    ).toEqual([
      'functions/users/contract.ts brings in functions/bookings/contract.ts: a contract depends only on its own service and shared code',
      'functions/bookings/contract.ts brings in functions/users/contract.ts: a contract depends only on its own service and shared code',
      'import cycle among functions/users/contract.ts, functions/bookings/contract.ts',
      'import cycle among functions/tasks/a.ts',
    ]);
  });

  it('refuses a dynamic import it cannot read', () => {
    expect(check({ 'functions/users/a.ts': "const name = '../auth/x.js';\nawait import(name);" })).toEqual([
      'functions/users/a.ts:2 imports a computed specifier, which cannot be checked',
    ]);
  });
});

describe('specifiersOf', () => {
  it('finds static, side-effect, type, re-exported, dynamic and required specifiers', () => {
    const source = [
      "import a from './a.js';",
      "import './b.js';",
      "import type { C } from './c.js';",
      "export { d } from './d.js';",
      "const e = await import('./e.js');",
      "type F = import('./f.js').F;",
      "const g = require('./g.js');",
    ].join('\n');
    expect(specifiersOf('x.ts', source)).toEqual({
      specifiers: ['./a.js', './b.js', './c.js', './d.js', './e.js', './f.js', './g.js'],
      opaque: [],
    });
  });
});
