import {
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
} from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';

type Call = 'put' | 'get' | 'update' | 'delete';

/**
 * An in-memory Powertools persistence layer with the DynamoDB layer's rule:
 * a record is put only when none holds its key (none, expired, or in progress
 * with its lock lapsed), at the time of the put. Its records are visible to
 * tests, and `failNext` makes the next call of a kind throw.
 */
class MemoryPersistenceLayer extends BasePersistenceLayer {
  readonly records = new Map<string, IdempotencyRecord>();
  readonly failing = new Set<Call>();

  #fail(call: Call) {
    if (this.failing.delete(call)) throw new Error(`${call} failed (injected)`);
  }

  #copy(record: IdempotencyRecord) {
    return new IdempotencyRecord({
      idempotencyKey: record.idempotencyKey,
      status: record.getStatus(),
      expiryTimestamp: record.expiryTimestamp,
      inProgressExpiryTimestamp: record.inProgressExpiryTimestamp,
      responseData: structuredClone(record.responseData),
      payloadHash: record.payloadHash,
    });
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    this.#fail('put');
    const held = this.records.get(record.idempotencyKey);
    const now = Date.now();
    const holds =
      held !== undefined &&
      (held.expiryTimestamp ?? 0) >= now / 1000 &&
      !(held.getStatus() === 'INPROGRESS' && (held.inProgressExpiryTimestamp ?? Infinity) < now);
    if (held && holds)
      throw new IdempotencyItemAlreadyExistsError(`record ${record.idempotencyKey} exists`, this.#copy(held));
    this.records.set(record.idempotencyKey, this.#copy(record));
  }

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    this.#fail('get');
    const held = this.records.get(idempotencyKey);
    if (!held) throw new IdempotencyItemNotFoundError();
    return this.#copy(held);
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    this.#fail('update');
    const held = this.records.get(record.idempotencyKey);
    this.records.set(
      record.idempotencyKey,
      this.#copy(
        new IdempotencyRecord({
          idempotencyKey: record.idempotencyKey,
          status: record.getStatus(),
          expiryTimestamp: record.expiryTimestamp,
          inProgressExpiryTimestamp: held?.inProgressExpiryTimestamp,
          responseData: record.responseData,
          payloadHash: record.payloadHash,
        }),
      ),
    );
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.#fail('delete');
    this.records.delete(record.idempotencyKey);
  }
}

/** A fresh in-memory store, its records, and a way to make its next call of a kind fail. */
export function memoryIdempotencyStore() {
  const store = new MemoryPersistenceLayer();
  return { store, records: store.records, failNext: (call: Call) => store.failing.add(call) };
}
