import { describe, expect, it } from 'vitest';
import { authRoutes } from '../../../functions/auth/routes.js';
import { bookingRoutes } from '../../../functions/bookings/routes.js';
import { movieRoutes } from '../../../functions/movies/routes.js';
import { searchRoutes } from '../../../functions/search/routes.js';
import { ValidationError } from '../../../functions/shared/errors.js';
import { isStorableNumber } from '../../../functions/shared/http/fields.js';
import type { RouteDeclaration } from '../../../functions/shared/http/route.js';
import { validateRequest } from '../../../functions/shared/http/validate.js';
import { taskRoutes } from '../../../functions/tasks/routes.js';

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
