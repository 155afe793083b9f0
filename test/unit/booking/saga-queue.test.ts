import { describe, expect, it } from 'vitest';
import { parseSagaMessage } from '../../../functions/bookings/saga-queue.js';

const reply = (body: object) => JSON.stringify({ v: 1, correlationId: 'release-b1', ...body });

describe('saga queue messages', () => {
  it('are a delayed check or movies confirming a durable release', () => {
    expect(parseSagaMessage(JSON.stringify({ kind: 'check', bookingId: 'b1' }))).toEqual({
      kind: 'check',
      bookingId: 'b1',
    });
    expect(parseSagaMessage(reply({ ok: true, result: { bookingId: 'b1', released: 2 } }))).toEqual({
      kind: 'released',
      bookingId: 'b1',
    });
  });

  it('refuse a refused release, a result outside the contract, or anything else (so it ends in the DLQ)', () => {
    expect(() => parseSagaMessage(reply({ ok: false, error: { code: 'Conflict', message: 'no' } }))).toThrow(
      'movies refused a release: Conflict no',
    );
    expect(() => parseSagaMessage(reply({ ok: true, result: { released: 2 } }))).toThrow();
    expect(() => parseSagaMessage('{"hello":1}')).toThrow();
    expect(() => parseSagaMessage('not json')).toThrow();
  });
});
