// A bounded, uniformly random sample of the trace ids a service exported (Vitter's algorithm R), so
// the harness can later ask a real backend whether those traces arrived, without keeping every id.
import type { ExportedTraceSample } from '../../model/index.ts';

export class TraceIdReservoir {
  private readonly ids: string[] = [];
  private seen = 0;

  /** `random` returns a float in [0, 1); injectable so tests can be exact. */
  constructor(
    readonly capacity: number,
    private readonly random: () => number = Math.random,
  ) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new Error(`reservoir capacity ${capacity} must be an integer ≥ 0`);
  }

  /** Algorithm R: after n offers every offered id is in the sample with probability capacity / n. */
  offer(traceId: string): void {
    this.seen++;
    if (this.ids.length < this.capacity) {
      this.ids.push(traceId);
      return;
    }
    const slot = Math.floor(this.random() * this.seen);
    if (slot < this.capacity) this.ids[slot] = traceId;
  }

  snapshot(): ExportedTraceSample {
    return { seen: this.seen, ids: [...this.ids] };
  }
}
