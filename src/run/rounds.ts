// The seam between the run's round loop and a measurement design: something that measures one round
// (every variant once, in a given order) and at the end hands back every service process's life.
import type { EmbeddedCollector } from '../collector/index.ts';
import type { ServiceUnderTest, VariantLaunch } from '../sut/service-under-test.ts';
import type { LoadSettings, ServiceLife, TrialPhase, TrialResult } from '../model/index.ts';

/** A variant as the designs see it: its name, its service and how to launch it, its baseline and the collector that counts its spans. */
export interface RoundMember {
  readonly variant: string;
  /** This tree's service, or (a same-run check) the base checkout's. */
  readonly service: ServiceUnderTest;
  readonly launch: VariantLaunch;
  /** The member this one is compared with (its own index for a baseline): in pairs, the one loaded beside it. */
  readonly baseline: number;
  /**
   * In pairs, traced members of one group share a slice, each beside its baseline: a same-run check loads
   * this tree's variant and the base's, with both untraced, at once. Absent: a group of its own.
   */
  readonly group?: number;
  /** Null when spans go to the user's endpoint. */
  readonly collector: EmbeddedCollector | null;
}

export interface RoundSettings {
  readonly load: LoadSettings;
  /** Requests per second for a driver that needs a rate (open loop), resolved by the run. */
  readonly ratePerSec?: number;
  readonly serviceCpus?: string;
  readonly flushTimeoutMs: number;
  readonly onPhase: (member: number, round: number, order: number, phase: TrialPhase) => void;
  /** Bytes of environment padding for the next process started (random per process, from the run's seed). */
  readonly envPaddingBytes: () => number;
}

export interface RoundRunner {
  /** Measured windows per round, each with its own place in the run's order (a pair's two share one). */
  readonly slicesPerRound: number;
  /**
   * Measures round `round` (1-based): every member once, in `order` (member indexes). `firstOrder` is the
   * run-wide position of the round's first window. Returns one trial per member, in `order`.
   */
  round(round: number, order: readonly number[], firstOrder: number): Promise<TrialResult[]>;
  /** Ends every process still running, flushing its spans, and returns every process's life. */
  finish(): Promise<ServiceLife[]>;
  /** Ends every process at once (on error). */
  kill(): void;
}
