import { type Datum, type PutMetricDataInput, putMetricDataInputs } from './emf.js';

/**
 * Writes datums with PutMetricData in calls within its limits, in order. A
 * call that fails stays, with every call after it, for the next
 * {@link MetricWriter.write}: a stack too busy to answer loses no datum, and
 * none is written twice.
 */
export class MetricWriter {
  private readonly pending: PutMetricDataInput[] = [];

  constructor(private readonly putMetricData: (input: PutMetricDataInput) => Promise<unknown>) {}

  /** Calls waiting for a retry. */
  get backlog(): number {
    return this.pending.length;
  }

  /** Queues the datums, then makes every waiting call; rejects at the first that fails (it is kept). */
  async write(datums: readonly Datum[]): Promise<void> {
    this.pending.push(...putMetricDataInputs(datums));
    while (this.pending.length > 0) {
      await this.putMetricData(this.pending[0] as PutMetricDataInput);
      this.pending.shift();
    }
  }
}
