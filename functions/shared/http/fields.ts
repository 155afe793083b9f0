import * as z from 'zod/mini';
import { expected } from './validate.js';

/**
 * Field schemas shared by every route table, each stating in its JSON Schema
 * what it enforces (the API document is generated from them).
 */

/**
 * DynamoDB (on AWS and emulated) stores numbers of magnitude 1e-130 to
 * below 1e126, and 0; anything else is refused at write time ("Number
 * underflow/overflow"). JSON numbers are read as IEEE doubles, whose 17
 * significant digits fit the 38 DynamoDB keeps.
 */
export const STORABLE_NUMBER = { smallest: 1e-130, largest: 1e126 } as const;

const storableMessage = `must be 0 or of magnitude between ${STORABLE_NUMBER.smallest} and ${STORABLE_NUMBER.largest}`;

/** True for the numbers DynamoDB can hold. */
export function isStorableNumber(value: number): boolean {
  const magnitude = Math.abs(value);
  return value === 0 || (magnitude >= STORABLE_NUMBER.smallest && magnitude < STORABLE_NUMBER.largest);
}

/** What a stored number may be besides what storage can hold. */
export interface StoredNumberRules {
  /** Inclusive bounds, and the message for a value outside them. */
  range?: { min: number; max: number; message: string };
  /** Whole numbers only. */
  integer?: boolean;
}

/**
 * A number that is stored: its own rules (range, integer-ness) plus what
 * storage can hold, so a value like 1e-200 is a 400 naming the field instead
 * of a 500 from the table. The JSON Schema says the same: the range, and
 * storage's limits with `not` and, without a range, exclusive bounds.
 */
export function storedNumber({ range, integer = false }: StoredNumberRules = {}) {
  return z.number({ error: expected('must be a number') }).check(
    ...(integer ? [z.int('must be a whole number')] : []),
    ...(range ? [z.gte(range.min, range.message), z.lte(range.max, range.message)] : []),
    z.refine(isStorableNumber, storableMessage),
    z.meta({
      not: {
        exclusiveMinimum: -STORABLE_NUMBER.smallest,
        exclusiveMaximum: STORABLE_NUMBER.smallest,
        not: { const: 0 },
      },
      ...(range
        ? {}
        : { exclusiveMinimum: -STORABLE_NUMBER.largest, exclusiveMaximum: STORABLE_NUMBER.largest }),
    }),
  );
}

/** An id this system made (movies, showtimes, bookings, things): a ULID, 26 characters of 0-9 and A-Z. */
export function ulidOf(what: string) {
  return z
    .string({ error: expected('must be a string') })
    .check(z.regex(/^[0-9A-Z]{26}$/, `is not a ${what} id`));
}

/** Path parameters of a route on one item: `{id}`, a ULID. */
export function ulidParam(what: string) {
  return z.object({ id: ulidOf(what) });
}

/** The longest local part (before `@`) RFC 5321 allows. */
export const MAX_EMAIL_LOCAL_PART = 64;

/**
 * Dot-atom-like local part of 1 to 64 characters (no leading or trailing dot),
 * then a domain of dot-separated labels ending in a 2+ letter top level.
 * Written without lookaheads so document-driven generators can produce matches.
 */
const EMAIL = new RegExp(
  `^[A-Za-z0-9_'+-](?:[A-Za-z0-9_'+.-]{0,${MAX_EMAIL_LOCAL_PART - 2}}[A-Za-z0-9_'+-])?` +
    '@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$',
);

/** An email address: at most 254 characters, at most 64 before the `@` (RFC 5321). */
export function emailAddress() {
  return z.string({ error: expected('must be a string') }).check(
    z.maxLength(254, 'must be at most 254 characters'),
    z.refine((email: string) => (email.split('@')[0] ?? '').length <= MAX_EMAIL_LOCAL_PART, {
      message: `must have at most ${MAX_EMAIL_LOCAL_PART} characters before the @`,
      abort: true,
    }),
    z.regex(EMAIL, 'must be a valid email address'),
    z.meta({ description: 'An email address, at most 64 characters before the @ (RFC 5321)' }),
  );
}

/** The symbols Cognito's password policy counts (https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html). */
const PASSWORD_SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-';
const escapeForClass = (chars: string) => chars.replace(/[\\\]^-]/g, '\\$&');

/**
 * The user pool's password policy, checked before Cognito sees it so that a
 * weak password is a 400 on `body.password` and the document states the rule:
 * 8 to 256 characters with a lowercase and an uppercase letter (A-Z), a digit
 * and a symbol.
 */
export function newPassword() {
  return z.string({ error: expected('must be a string') }).check(
    z.minLength(8, 'must be at least 8 characters'),
    z.maxLength(256, 'must be at most 256 characters'),
    z.regex(/[a-z]/, 'must contain a lowercase letter (a-z)'),
    z.regex(/[A-Z]/, 'must contain an uppercase letter (A-Z)'),
    z.regex(/[0-9]/, 'must contain a digit'),
    z.regex(
      new RegExp(`[${escapeForClass(PASSWORD_SYMBOLS)}]`),
      `must contain a symbol (${PASSWORD_SYMBOLS})`,
    ),
    z.regex(/^\S(?:.*\S)?$/s, 'must not start or end with a space'),
    z.meta({
      description: `8 to 256 characters, with a lowercase letter, an uppercase letter, a digit and a symbol (${PASSWORD_SYMBOLS}); no leading or trailing space`,
    }),
  );
}

/**
 * A text field that is stored trimmed: 1 to `max` characters once leading and
 * trailing spaces are dropped. Checked with two patterns on what the client
 * sends (not blank; at most `max` between the first and last non-space), so
 * the document states exactly what is accepted; JS `\s` is the set `trim()`
 * drops.
 */
export function trimmedText(max: number) {
  const fits = new RegExp(`^\\s*\\S(?:[\\s\\S]{0,${max - 2}}\\S)?\\s*$`);
  return z
    .string({ error: expected('must be a string') })
    .check(
      z.regex(/\S/, { message: 'must not be empty', abort: true }),
      z.regex(fits, `must be at most ${max} characters`),
      z.trim(),
    );
}

/** A person's display name, as signup and the profile routes accept it. */
export const displayName = trimmedText(200);
