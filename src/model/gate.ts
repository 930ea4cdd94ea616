// The CI regression gate: its thresholds, the samples a baseline file keeps, and its verdict.
import type { MannWhitney } from './compare.ts';
import type { RunEnvironment } from './machine.ts';

export type GatedMetric = 'cpuUsPerRequest' | 'serverTimeP99' | 'requestsPerSec' | 'deliveryRatio';

/** How much worse a metric may get before the gate fails: percent for overheads, percentage points for delivery. */
export type GateThresholds = Readonly<Record<GatedMetric, number>>;

/** The samples the gate compares, per variant and metric. Empty where a metric does not apply. */
export type GateSamples = Record<string, Record<GatedMetric, number[]>>;

/** What --save-baseline writes: the samples, and enough of the run to say where they came from. */
export interface BaselineFile {
  readonly kind: 'tracetax-baseline';
  readonly schemaVersion: 1;
  readonly scenario: string;
  readonly createdAt: string;
  readonly environment: RunEnvironment;
  readonly trials: number;
  readonly samples: GateSamples;
}

/**
 * How a row's change was tested. Against a saved baseline: Mann–Whitney U of this run's samples against
 * the file's. In the same run: Student t over the rounds' ratio of this tree's overhead to the base's.
 * Delivery in the same run: exact span counts, no test.
 */
export type GateTest =
  | ({ readonly method: 'mann-whitney' } & MannWhitney)
  | { readonly method: 'paired-t'; readonly t: number; readonly rounds: number; readonly p: number }
  | { readonly method: 'counts'; readonly p: number };

/** saved-baseline: this run against a file from an earlier run; same-run: this tree against the base checkout, round by round. */
export type GateMode = 'saved-baseline' | 'same-run';

export interface VerdictRow {
  readonly variant: string;
  readonly metric: GatedMetric;
  readonly label: string;
  readonly unit: '%' | 'pp';
  /** Before: the baseline file's median, or the base checkout's overhead; after: this run's, or this tree's. */
  readonly before: number;
  readonly after: number;
  /** The change, worse-positive: % for overheads (ratio − 1), points for delivery. */
  readonly change: number;
  /** Interval of the change (saved baseline: bootstrap over whole samples; same run: Student t over rounds), worse-positive, same unit. */
  readonly low: number;
  readonly high: number;
  readonly test: GateTest;
  readonly threshold: number;
  readonly significant: boolean;
  readonly exceedsThreshold: boolean;
  readonly failed: boolean;
  /**
   * Not failed, but its interval reaches past the threshold: a regression of the threshold's size can
   * neither be ruled out nor confirmed with the rounds this run had (absent from older verdicts).
   */
  readonly undecided?: boolean;
  /** For an undecided row: seconds of rounds that would likely decide it at the run's noise (null: over an hour, or unknown). */
  readonly neededSec?: number | null;
}

/** pass: every metric's regression of its threshold's size ruled out; fail: one confirmed; undecided: neither, for some metric. */
export type GateOutcome = 'pass' | 'fail' | 'undecided';

export interface Verdict {
  readonly mode: GateMode;
  /** Absent from verdicts before the undecided outcome (passed says pass or fail). */
  readonly outcome?: GateOutcome;
  readonly passed: boolean;
  readonly rows: readonly VerdictRow[];
  readonly failures: readonly VerdictRow[];
  /** Things the reader must know: variants on one side only, samples too small to ever fail. */
  readonly notes: readonly string[];
}
