import {
  IdempotencyConfig,
  IdempotencyItemAlreadyExistsError,
  IdempotencyRecordStatus,
} from '@aws-lambda-powertools/idempotency';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IdempotencyStore } from '../../../functions/shared/http/idempotency.js';
import { type StoreFactory, storePerTest, uniqueId } from './store-under-test.js';

const SECOND = 1000;
const DAY = 24 * 3600;

const answer = { statusCode: 201, headers: { 'content-type': 'application/json' }, body: '{"id":"b1"}' };

/** A request as the HTTP layer hands it to Powertools: its record id, and what makes it the same request. */
const request = (id: string, fingerprint = 'f1') => ({ id, fingerprint });

/**
 * What the Powertools persistence layers the services use must do, run on
 * the in-memory layer the unit tests use (test/unit/stores) and on the
 * DynamoDB layer against a deployed idempotency table
 * (test/e2e/stores.test.ts), so that the fake behaves as the table does: one
 * put wins while a record holds the key, a completed answer comes back as it
 * was kept, and a key frees up when its record is deleted, its lock lapses
 * or it expires. Time is moved with a fake `Date` (Powertools sends the time
 * in its conditions; no record outlives the real day the table keeps it).
 */
export function describeIdempotencyStore(name: string, makeStore: StoreFactory<IdempotencyStore>) {
  describe(`idempotency store: ${name}`, () => {
    const raw = storePerTest(makeStore);
    const configured = new WeakSet<IdempotencyStore>();
    const store = () => {
      const layer = raw();
      if (!configured.has(layer)) {
        layer.configure({
          config: new IdempotencyConfig({
            eventKeyJmesPath: 'id',
            payloadValidationJmesPath: 'fingerprint',
            expiresAfterSeconds: DAY,
          }),
          keyPrefix: 'suite',
        });
        configured.add(layer);
      }
      return layer;
    };
    beforeEach(() => {
      vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('lets the first put of a key win, and shows a later one the record that holds it', async () => {
      const id = uniqueId('key');
      await store().saveInProgress(request(id, 'f1'), 10 * SECOND);
      vi.advanceTimersByTime(SECOND);
      const refused = await store()
        .saveInProgress(request(id, 'f1'), 10 * SECOND)
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(IdempotencyItemAlreadyExistsError);
      const held = await store().getRecord(request(id, 'f1'));
      expect(held.getStatus()).toBe(IdempotencyRecordStatus.INPROGRESS);
    });

    it('lets exactly one of many concurrent puts win', async () => {
      const id = uniqueId('key');
      const puts = await Promise.allSettled(
        Array.from({ length: 5 }, () => store().saveInProgress(request(id), 10 * SECOND)),
      );
      expect(puts.filter((put) => put.status === 'fulfilled')).toHaveLength(1);
    });

    it('keeps a completed answer as it was, for repeats to read', async () => {
      const id = uniqueId('key');
      await store().saveInProgress(request(id), 10 * SECOND);
      await store().saveSuccess(request(id), answer);
      const record = await store().getRecord(request(id));
      expect(record.getStatus()).toBe(IdempotencyRecordStatus.COMPLETED);
      expect(record.getResponse()).toEqual(answer);
      await expect(store().saveInProgress(request(id), 10 * SECOND)).rejects.toBeInstanceOf(
        IdempotencyItemAlreadyExistsError,
      );
    });

    it('refuses to read a record back for another request with the same key', async () => {
      const id = uniqueId('key');
      await store().saveInProgress(request(id, 'f1'), 10 * SECOND);
      await expect(store().getRecord(request(id, 'f2'))).rejects.toThrow(/does not match/);
    });

    it('frees a deleted key for the next put', async () => {
      const id = uniqueId('key');
      await store().saveInProgress(request(id), 10 * SECOND);
      await store().deleteRecord(request(id));
      await expect(store().getRecord(request(id))).rejects.toThrow();
      await store().saveInProgress(request(id, 'f2'), 10 * SECOND);
    });

    it('frees a key whose lock lapsed (its function died) but that is not yet expired', async () => {
      const id = uniqueId('key');
      await store().saveInProgress(request(id, 'f1'), 10 * SECOND);
      vi.advanceTimersByTime(11 * SECOND);
      await store().saveInProgress(request(id, 'f2'), 10 * SECOND);
      expect((await store().getRecord(request(id, 'f2'))).getStatus()).toBe(
        IdempotencyRecordStatus.INPROGRESS,
      );
    });

    it('frees a completed key once it has expired, before any TTL sweep removes it', async () => {
      const id = uniqueId('key');
      await store().saveInProgress(request(id), 10 * SECOND);
      await store().saveSuccess(request(id), answer);
      vi.advanceTimersByTime((DAY - 2) * SECOND);
      await expect(store().saveInProgress(request(id), 10 * SECOND)).rejects.toBeInstanceOf(
        IdempotencyItemAlreadyExistsError,
      );
      vi.advanceTimersByTime(3 * SECOND);
      await store().saveInProgress(request(id, 'f2'), 10 * SECOND);
    });
  });
}
