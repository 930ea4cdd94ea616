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

export interface VerdictRow {
  readonly variant: string;
  readonly metric: GatedMetric;
  readonly label: string;
  readonly unit: '%' | 'pp';
  /** Median of the baseline file's samples and of this run's. */
  readonly before: number;
  readonly after: number;
  /** The change, worse-positive: % for overheads (ratio of medians − 1), points for delivery. */
  readonly change: number;
  /** Interval of the change (bootstrap over whole samples), worse-positive, same unit. */
  readonly low: number;
  readonly high: number;
  readonly test: MannWhitney;
  readonly threshold: number;
  readonly significant: boolean;
  readonly exceedsThreshold: boolean;
  readonly failed: boolean;
}

export interface Verdict {
  readonly passed: boolean;
  readonly rows: readonly VerdictRow[];
  readonly failures: readonly VerdictRow[];
  /** Things the reader must know: variants on one side only, samples too small to ever fail. */
  readonly notes: readonly string[];
}
