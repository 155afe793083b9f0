import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { authRoutes } from '../../../functions/auth/routes.js';
import { bookingRoutes } from '../../../functions/bookings/routes.js';
import { movieRoutes } from '../../../functions/movies/routes.js';
import { searchRoutes } from '../../../functions/search/routes.js';
import { ValidationError } from '../../../functions/shared/errors.js';
import { displayName, isStorableNumber } from '../../../functions/shared/http/fields.js';
import type { RouteDeclaration } from '../../../functions/shared/http/route.js';
import { validateRequest } from '../../../functions/shared/http/validate.js';
import { taskRoutes } from '../../../functions/tasks/routes.js';
import { userRoutes } from '../../../functions/users/routes.js';

const MOVIE_ID = '01JAAAAAAAAAAAAAAAAAAAAAAA';

/** The 400's field issues for a JSON body sent to a route (with its path parameters), or [] if valid. */
function issues(route: RouteDeclaration, body: string, params: Record<string, string> | null = null) {
  try {
    validateRequest(route, {
      query: null,
      params,
      body,
      isBase64Encoded: false,
      headers: { 'content-type': 'application/json' },
    });
    return [];
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return error.issues;
  }
}

const fields = (found: Array<{ field: string }>) => found.map((i) => i.field);

describe('numbers storage cannot hold', () => {
  it.each([
    [0, true],
    [1e-130, true],
    [-1e-130, true],
    [9.99e125, true],
    [1e-131, false],
    [1e-200, false],
    [5e-324, false],
    [1e126, false],
    [-1e126, false],
  ])('%s is storable: %s', (value, storable) => {
    expect(isStorableNumber(value)).toBe(storable);
  });

  it('POST /movies {"title":"x","rating":1e-200,"showtimes":[]} is a 400 naming body.rating', () => {
    const found = issues(movieRoutes.create, '{"title":"x","rating":1e-200,"showtimes":[]}');
    expect(found).toEqual([
      { field: 'body.rating', message: 'must be 0 or of magnitude between 1e-130 and 1e+126' },
    ]);
  });

  it('PUT /movies/{id} with a rating of 1e-200 is a 400 naming body.rating', () => {
    const found = issues(movieRoutes.replace, '{"title":"x","rating":1e-200}', { id: MOVIE_ID });
    expect(fields(found)).toEqual(['body.rating']);
  });

  it('a rating of 0 and of 1e-130 are accepted', () => {
    expect(issues(movieRoutes.create, '{"title":"x","rating":0,"showtimes":[]}')).toEqual([]);
    expect(issues(movieRoutes.create, '{"title":"x","rating":1e-130,"showtimes":[]}')).toEqual([]);
  });

  it('a coordinate of 1e-200 in POST /things is a 400 naming it', () => {
    const body = JSON.stringify({
      name: 'x',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1e-200, 1],
            [1, 1],
            [0, 0],
          ],
        ],
      },
    });
    expect(fields(issues(searchRoutes.add, body))).toEqual(['body.geometry.coordinates.0.1.0']);
  });

  it('seat counts go through the same check', () => {
    const body = `{"title":"x","rating":1,"showtimes":[{"startsAt":"2026-12-24T20:00:00Z","seats":1e-200}]}`;
    expect(fields(issues(movieRoutes.create, body))).toContain('body.showtimes.0.seats');
    const booking = `{"userId":"${MOVIE_ID}","movieId":"${MOVIE_ID}","showtimeId":"${MOVIE_ID}","seats":1e-200}`;
    expect(fields(issues(bookingRoutes.create, booking))).toContain('body.seats');
  });
});

describe('email addresses', () => {
  const long = `${'a'.repeat(103)}@example.com`;
  const limit = `${'a'.repeat(64)}@example.com`;

  it.each([
    ['POST /auth/signup', authRoutes.signup, null],
    ['POST /auth/login', authRoutes.login, null],
  ] as const)('%s refuses a 103-character local part, naming body.email', (_, route, params) => {
    const body = JSON.stringify({ email: long, password: 'Abcdef1!', name: 'A' });
    expect(issues(route, body, params)).toContainEqual({
      field: 'body.email',
      message: 'must have at most 64 characters before the @',
    });
    const ok = JSON.stringify({ email: limit, password: 'Abcdef1!', name: 'A' });
    expect(fields(issues(route, ok, params))).not.toContain('body.email');
  });

  it.each(['plain', 'a@b', '@example.com', 'a@.com', '.a@example.com'])('refuses %s', (email) => {
    const found = issues(authRoutes.login, JSON.stringify({ email, password: 'x' }));
    expect(found).toEqual([{ field: 'body.email', message: 'must be a valid email address' }]);
  });
});

describe('the signup password policy', () => {
  it.each([
    ['Abc1!', 'must be at least 8 characters'],
    ['abcdefg1!', 'must contain an uppercase letter (A-Z)'],
    ['ABCDEFG1!', 'must contain a lowercase letter (a-z)'],
    ['Abcdefgh!', 'must contain a digit'],
    ['Abcdefgh1', 'must contain a symbol'],
    [' Abcdef1!', 'must not start or end with a space'],
  ])('refuses %s on body.password: %s', (password, message) => {
    const found = issues(authRoutes.signup, JSON.stringify({ email: 'a@example.com', password }));
    expect(found.map((i) => `${i.field}: ${i.message}`).join(' | ')).toContain(`body.password: ${message}`);
  });

  it('accepts a password meeting the policy, and login does not apply it (a wrong password is a 401)', () => {
    expect(issues(authRoutes.signup, '{"email":"a@example.com","password":"Abcdef1!"}')).toEqual([]);
    expect(issues(authRoutes.login, '{"email":"a@example.com","password":"weak"}')).toEqual([]);
  });
});

describe('PATCH /tasks/{id}', () => {
  it('refuses an empty body object, naming the body', () => {
    expect(issues(taskRoutes.update, '{}', { id: 't1' })).toEqual([
      { field: 'body', message: 'must change at least one of name, done' },
    ]);
  });
});

describe('names refuse characters that hide or reorder text', () => {
  const SQUARE = [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 0],
  ];
  /** Each route that takes a name, the body it is sent in and the field the 400 names. */
  const takers: Array<[string, RouteDeclaration, (name: string) => unknown, string]> = [
    [
      'POST /auth/signup',
      authRoutes.signup,
      (name) => ({ email: 'ana@example.com', password: 'Str0ng!pass', name }),
      'body.name',
    ],
    ['PUT /users/me', userRoutes.rename, (name) => ({ name }), 'body.name'],
    ['POST /tasks', taskRoutes.create, (name) => ({ name }), 'body.name'],
    ['POST /movies', movieRoutes.create, (title) => ({ title, rating: 5, showtimes: [] }), 'body.title'],
    [
      'POST /movies (director)',
      movieRoutes.create,
      (director) => ({ title: 'Ok', director, rating: 5, showtimes: [] }),
      'body.director',
    ],
    [
      'POST /things',
      searchRoutes.add,
      (name) => ({ name, geometry: { type: 'Polygon', coordinates: [SQUARE] } }),
      'body.name',
    ],
  ];

  const forbidden: Array<[string, string]> = [
    ['NUL', '\u0000'],
    ['a C0 control (U+0001)', '\u0001'],
    ['a tab', '\t'],
    ['a newline', '\n'],
    ['ESC (U+001B)', '\u001b'],
    ['DEL (U+007F)', '\u007f'],
    ['a C1 control (U+0085)', '\u0085'],
    ['a C1 control (U+009F)', '\u009f'],
    ['LRE (U+202A)', '\u202a'],
    ['RLE (U+202B)', '\u202b'],
    ['PDF (U+202C)', '\u202c'],
    ['LRO (U+202D)', '\u202d'],
    ['RLO (U+202E)', '\u202e'],
    ['LRI (U+2066)', '\u2066'],
    ['RLI (U+2067)', '\u2067'],
    ['FSI (U+2068)', '\u2068'],
    ['PDI (U+2069)', '\u2069'],
    ['LRM (U+200E)', '\u200e'],
    ['RLM (U+200F)', '\u200f'],
    ['ALM (U+061C)', '\u061c'],
    ['a zero-width space (U+200B)', '\u200b'],
    ['a zero-width non-joiner (U+200C)', '\u200c'],
    ['a zero-width joiner (U+200D)', '\u200d'],
    ['a word joiner (U+2060)', '\u2060'],
    ['a byte-order mark (U+FEFF)', '\ufeff'],
  ];

  for (const [route, declaration, body, field] of takers) {
    describe(route, () => {
      it.each(forbidden)('refuses %s inside the name, naming the field', (_, character) => {
        expect(issues(declaration, JSON.stringify(body(`Ad${character}min`)))).toEqual([
          { field, message: 'must not contain control, bidirectional or zero-width characters' },
        ]);
      });

      it('refuses them at either end too, before the name is trimmed', () => {
        expect(fields(issues(declaration, JSON.stringify(body('\u202eAdmin'))))).toEqual([field]);
        expect(fields(issues(declaration, JSON.stringify(body('Admin\ufeff'))))).toEqual([field]);
        expect(fields(issues(declaration, JSON.stringify(body('Admin\n'))))).toEqual([field]);
      });

      it('refuses the name of the issue, Ad\\u0000min\\u202e\\u200b', () => {
        expect(fields(issues(declaration, JSON.stringify(body('Ad\u0000min\u202e\u200b'))))).toEqual([field]);
      });

      it.each([
        'Zoë Ångström',
        'José Ñúñez-Çelik',
        'Łukasz Żółw',
        'Μαρία Παπαδοπούλου',
        'محمد علي',
        'שרה כהן',
        '山田 太郎',
        'Ana 🎬 Lima 😀',
        'Caf\u0065\u0301 (combining accent)',
        '  Padded Name  ',
      ])('accepts %s', (name) => {
        expect(issues(declaration, JSON.stringify(body(name)))).toEqual([]);
      });
    });
  }

  it('states the rule in the API document as a pattern on the field', () => {
    const schema = JSON.stringify(z.toJSONSchema(displayName));
    expect(schema).toContain('\\\\u202a-\\\\u202e');
    expect(schema).toContain('\\\\u0000-\\\\u001f');
  });
});
