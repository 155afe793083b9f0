/**
 * What a failure means to the person in front of the console: a sentence in
 * words (no API paths, no ids), the status, the request id to quote, and
 * whether trying again can help. Pure: unit tests drive it with errors.
 */
import { ApiError, type FieldIssue } from './api.js';

/** A failure as the console shows it. */
export interface Problem {
  /** What happened, in words, ending with a full stop. */
  sentence: string;
  /** `502 Bad Gateway`, or `no answer` when nothing answered. */
  status: string;
  requestId?: string;
  /** True when the same request may succeed later (no answer, a 5xx, a 429), false when it would be refused again. */
  retryable: boolean;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const statusLine = (status: number) =>
  status === 0 ? 'no answer' : `${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''}`;

/** A ULID (the ids this system makes: movies, showtimes, bookings, things) or a Cognito user id (a UUID). */
const ID = /\b(?:[0-9A-Z]{26}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/g;

/**
 * An API message in words for a person: ids become "this movie" (a person
 * never sees an id), and it starts with a capital and ends with a full stop.
 * `movie 01J… has 3 booked seat(s)` reads `This movie has 3 booked seat(s).`
 */
export function inWords(message: string): string {
  const named = message
    .replace(
      new RegExp(
        `\\b(movie|showtime|booking|thing|user|task) ${ID.source}( of (?:this )?\\w+ ${ID.source})?`,
        'g',
      ),
      'this $1',
    )
    .replace(ID, 'this one')
    .replace(/\s+/g, ' ')
    .trim();
  const sentence = named.charAt(0).toUpperCase() + named.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** The name a person knows a field by: `body.showtimes.1.startsAt` is "Showtime 2, starts at". */
export function fieldLabel(path: string): string {
  const parts = path.split('.').filter((p) => p !== 'body' && p !== 'query' && p !== 'params');
  const words = parts.map((part, i) => {
    if (/^\d+$/.test(part)) return `${Number(part) + 1}`;
    const spaced = part
      .replace(/_/g, ' ')
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase();
    // A list's name before its index reads as one of it: "showtimes 2" is "showtime 2".
    return /^\d+$/.test(parts[i + 1] ?? '') ? spaced.replace(/s$/, '') : spaced;
  });
  const text = words.join(' ').replace(/ (\d+) /, ' $1, ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A field issue as shown next to its field: the message alone, in words ("Must not be empty."). */
export const fieldText = (issue: Pick<FieldIssue, 'message'>) => inWords(issue.message);

/** Field issues as one sentence, each named in words, for a form that has no field of that name. */
export const fieldsInWords = (fields: readonly FieldIssue[]) =>
  fields
    .map((f) => `${fieldLabel(f.field)} ${inWords(f.message).replace(/^./, (c) => c.toLowerCase())}`)
    .join(' ');

/**
 * A failure in words. `doing` names the action ("book the seats", "load your
 * tasks") so the sentence says what did not happen.
 */
export function describe(error: unknown, doing: string): Problem {
  if (!(error instanceof ApiError)) {
    return {
      sentence: `Could not ${doing}: something went wrong in the console (${error instanceof Error ? error.message : String(error)}).`,
      status: 'no answer',
      retryable: true,
    };
  }
  const base = {
    status: statusLine(error.status),
    ...(error.requestId ? { requestId: error.requestId } : {}),
  };
  switch (error.kind) {
    case 'network':
      return {
        ...base,
        sentence: `Could not ${doing}: the API could not be reached. Check your connection, then try again.`,
        retryable: true,
      };
    case 'gateway':
      return {
        ...base,
        sentence: `Could not ${doing}: the API is not answering properly just now (something in between answered instead). Try again in a moment.`,
        retryable: true,
      };
    case 'session':
      return {
        ...base,
        sentence: `Could not ${doing}: your session has ended. Log in again to carry on.`,
        retryable: false,
      };
  }
  if (error.status === 429) {
    const wait = error.retryAfter ? ` Try again in ${error.retryAfter} s.` : ' Try again in a minute.';
    return { ...base, sentence: `Could not ${doing}: too many requests.${wait}`, retryable: true };
  }
  if (error.status >= 500) {
    const timeout = error.status === 504;
    return {
      ...base,
      sentence: timeout
        ? `Could not ${doing}: a service did not answer in time. Nothing was kept; try again.`
        : `Could not ${doing}: the API failed (${inWords(error.message).replace(/\.$/, '')}). Try again in a moment.`,
      retryable: true,
    };
  }
  const detail = error.fields.length > 0 ? fieldsInWords(error.fields) : inWords(error.message);
  return {
    ...base,
    sentence: `Could not ${doing}: ${detail.replace(/^./, (c) => c.toLowerCase())}`,
    retryable: error.status === 408,
  };
}
