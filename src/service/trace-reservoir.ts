// A bounded, uniformly random sample of the trace ids a service exported (Vitter's algorithm R), so
// the harness can later ask a real backend whether those traces arrived, without keeping every id.

/** What the service reports: how many traces it exported, and a uniform sample of their ids. */
export interface ExportedTraceSample {
  /** Root spans the exporter reported exported: one per exported trace. */
  readonly seen: number;
  /** At most the reservoir's capacity of those traces' ids (32 lowercase hex), each equally likely. */
  readonly ids: readonly string[];
}

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
