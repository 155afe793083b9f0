import { expect, it, describe as suite } from 'vitest';
import { ApiError } from '../../../functions/console/app/api.js';
import { describe, fieldLabel, fieldsInWords, inWords } from '../../../functions/console/app/problems.js';

const MOVIE = '01JABCDEFGHJKMNPQRSTVWXYZ0';
const SHOWTIME = '01JZZZZZZZZZZZZZZZZZZZZZZ1';

suite('failures in words', () => {
  it('says an HTML 502 is not the API answering, with its status and a Retry, never a parse error', () => {
    const problem = describe(new ApiError(502, 'x', [], undefined, 'gateway'), 'load your tasks');
    expect(problem.sentence).toBe(
      'Could not load your tasks: the API is not answering properly just now (something in between answered instead). Try again in a moment.',
    );
    expect(problem).toMatchObject({ status: '502 Bad Gateway', retryable: true });
    expect(problem.requestId).toBeUndefined();
  });

  it('says no answer came when the network failed', () => {
    const problem = describe(new ApiError(0, 'Failed to fetch', [], undefined, 'network'), 'add the task');
    expect(problem.sentence).toContain('the API could not be reached');
    expect(problem.sentence).not.toContain('Failed to fetch');
    expect(problem).toMatchObject({ status: 'no answer', retryable: true });
  });

  it('keeps the request id of an API answer, and offers no Retry for a refusal that would repeat', () => {
    const refused = new ApiError(
      409,
      `movie ${MOVIE} has 3 booked seat(s); cancel its bookings first`,
      [],
      'req-1',
    );
    expect(describe(refused, 'delete Alien')).toEqual({
      sentence: 'Could not delete Alien: this movie has 3 booked seat(s); cancel its bookings first.',
      status: '409 Conflict',
      requestId: 'req-1',
      retryable: false,
    });
  });

  it('offers Retry for a 5xx, a 504 and a 429 (with its wait)', () => {
    expect(describe(new ApiError(500, 'Internal server error', [], 'r'), 'book').retryable).toBe(true);
    expect(describe(new ApiError(504, 'the movies service did not answer'), 'book').sentence).toContain(
      'did not answer in time',
    );
    const limited = describe(new ApiError(429, 'slow down', [], 'r', 'answer', 7), 'book');
    expect(limited).toMatchObject({ retryable: true, status: '429 Too Many Requests' });
    expect(limited.sentence).toContain('Try again in 7 s.');
  });

  it('says a session ended', () => {
    expect(describe(new ApiError(401, 'x', [], undefined, 'session'), 'book').sentence).toContain(
      'your session has ended',
    );
  });

  it('never shows ids: "showtime X of movie Y" is "this showtime"', () => {
    expect(inWords(`showtime ${SHOWTIME} of movie ${MOVIE} has started; it can no longer be booked`)).toBe(
      'This showtime has started; it can no longer be booked.',
    );
    expect(inWords(`booking ${MOVIE} not found`)).toBe('This booking not found.');
  });

  it('names fields in words, without body. paths', () => {
    expect(fieldLabel('body.showtimes.1.startsAt')).toBe('Showtime 2, starts at');
    expect(fieldLabel('body.name')).toBe('Name');
    expect(fieldLabel('query.per_page')).toBe('Per page');
    expect(fieldsInWords([{ field: 'body.geometry', message: 'must be a closed ring' }])).toBe(
      'Geometry must be a closed ring.',
    );
    const sentence = describe(
      new ApiError(400, 'invalid', [{ field: 'body.name', message: 'must not be empty' }]),
      'add the task',
    ).sentence;
    expect(sentence).toBe('Could not add the task: name must not be empty.');
    expect(sentence).not.toContain('body.');
  });
});
