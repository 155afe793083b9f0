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
 * trailing spaces are dropped, and `rules` hold. Checked with two patterns on what the client
 * sends (not blank; at most `max` between the first and last non-space), so
 * the document states exactly what is accepted; JS `\s` is the set `trim()`
 * drops.
 */
export function trimmedText(max: number, ...rules: z.core.$ZodCheck<string>[]) {
  const fits = new RegExp(`^\\s*\\S(?:[\\s\\S]{0,${max - 2}}\\S)?\\s*$`);
  return z.string({ error: expected('must be a string') }).check(
    z.regex(/\S/, { message: 'must not be empty', abort: true }),
    z.regex(fits, `must be at most ${max} characters`),
    // Further rules see what was sent, as the document's patterns describe it, not the trimmed text.
    ...rules,
    z.trim(),
  );
}

/**
 * Characters a name may not hold, because they are invisible or change how
 * the text around them is shown, so one name can pass for another in a list
 * (`Ad\u0000min\u202e\u200b`): C0 and C1 controls (Unicode Cc, NUL, tab
 * and newline included); the bidirectional controls (Unicode Bidi_Control:
 * U+061C, U+200E-200F, U+202A-202E, U+2066-2069); and the zero-width
 * characters U+200B-200D, U+2060 and U+FEFF. Zero-width joiners go with
 * them, so emoji joined into one glyph (family, flags with a ZWJ) are
 * refused while single emoji are fine. Written with `\u` escapes so the
 * document's pattern reads the same in every regex dialect.
 */
const NAME_FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  /^[^\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]*$/;

/** What a name that breaks {@link NAME_FORBIDDEN} is told. */
export const NAME_CHARACTERS_MESSAGE = 'must not contain control, bidirectional or zero-width characters';

/**
 * A human-readable name (a person's, a task's, a movie's, a thing's): a
 * {@link trimmedText} of at most `max` characters without control,
 * bidirectional or zero-width characters.
 */
export function nameText(max: number) {
  return trimmedText(max, z.regex(NAME_FORBIDDEN, NAME_CHARACTERS_MESSAGE));
}

/** A person's display name, as signup and the profile routes accept it. */
export const displayName = nameText(200);
