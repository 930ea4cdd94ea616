// A variant's trials summarized, and compared with the untraced baseline of the same run.
import type { Percentiles } from './trial.ts';

export interface MedianEstimate {
  median: number;
  low: number;
  high: number;
  /** Values used, NaNs left out. */
  n: number;
  /** Coverage the interval achieves, e.g. 0.9375 for [min, max] of 5 values; NaN when n = 0. */
  confidence: number;
}

export interface MannWhitney {
  /** U of the first sample: pairs (x from a, y from b) with x > y, ties counting ½; 0 … n1·n2. */
  u: number;
  /** Two-sided p-value; NaN when a sample is empty. */
  p: number;
  n1: number;
  n2: number;
  /** True when p comes from the exact distribution of U, false for the normal approximation. */
  exact: boolean;
}

export interface RatioEstimate {
  ratio: number;
  low: number;
  high: number;
  /** The requested coverage of [low, high]. */
  confidence: number;
  resamples: number;
}

/** The service's counts are null where the SDK in the process is not tracetax's (FinalStats.spans absent). */
export interface SpanTotals {
  started: number | null;
  sampled: number | null;
  ended: number | null;
  /** Ended spans never handed to the exporter: dropped by a full queue (or left queued when a flush timed out). */
  dropped: number | null;
  exported: number | null;
  exportFailed: number | null;
  /** Spans the embedded collector received; null when the endpoint is not ours. */
  received: number | null;
}

export interface GcSummary {
  readonly pauseUsPerRequest: number;
  readonly minorPerSec: number;
  readonly majorPerSec: number;
}

export interface VariantSummary {
  readonly trials: number;
  readonly requestsPerSec: number;
  readonly clientLatencyMs: Percentiles;
  readonly serverTimeUs: Percentiles;
  readonly cpuUsPerRequest: number;
  readonly eventLoopUtilization: number;
  readonly peakRssBytes: number;
  readonly peakHeapUsedBytes: number;
  /** Client-side failures in the measured windows: errors (timeouts included) and non-2xx. */
  readonly failedRequests: number;
  /** Frontend requests over the services' whole lives (or, where the service does not count them, the load driver's 2xx responses), the denominator of the span counts. */
  readonly requests: number;
  /** Spans the service started per request; NaN where its own counts are unknown. */
  readonly spansPerRequest: number;
  /** Spans the collector received per request; null for a remote endpoint. */
  readonly receivedSpansPerRequest: number | null;
  /** null where the service's own counts are unknown. */
  readonly sampledTraces: number | null;
  readonly spans: SpanTotals;
  /** received / ended; null when nothing was sampled or what arrived is not known. */
  readonly deliveryRatio: number | null;
  /** Spans received per second of load (warm-up and measured window). */
  readonly receivedSpansPerSec: number | null;
  readonly exportLagMs: { p50: number; p99: number } | null;
  /** Sampled spans that ended, i.e. were fed to the span processor, per second of load; null when untraced. */
  readonly processorSpansPerSec: number | null;
  /** Mean time a span waited between its end and its hand-over to the exporter, ms; null when none was handed over. */
  readonly meanQueueWaitMs: number | null;
  /** Garbage collection in the measured windows, medians over trials: pause time per request, and collections per second. */
  readonly gc: GcSummary;
  /** False when a trial's flush on shutdown ran out of time. */
  readonly allFlushed: boolean;
}

/** The per-trial metrics compared with the baseline (src/compare/summary.ts reads each off a trial). */
export type ComparedMetric = 'requestsPerSec' | 'clientLatencyP50' | 'clientLatencyP99' | 'serverTimeP50' | 'serverTimeP99' | 'cpuUsPerRequest';

export interface MetricComparison {
  /** Median over this variant's trials, with its distribution-free confidence interval. */
  readonly estimate: MedianEstimate;
  /**
   * variant / baseline, paired by round: the geometric mean of the blocks' geometric means of the rounds'
   * ratios, with a Student-t 95% interval over the blocks on the log scale (resamples 0; see levels). A
   * round's trials ran close together, so pairing cancels the slow drift of a shared machine; blocks of
   * fresh processes bring the process level into the interval. Null for the baseline itself.
   */
  readonly change: RatioEstimate | null;
  /** Mann–Whitney U of this variant's trials against the baseline's; null for the baseline. */
  readonly test: MannWhitney | null;
  /** What the change's interval supports, read against the run's precision; null for the baseline. */
  readonly verdict: ChangeVerdict | null;
  /** How the change's interval was made, and the noise at each level; null for the baseline (absent from older runs). */
  readonly levels?: ChangeLevels | null;
}

/**
 * The levels a change's interval includes. blocks-t: a Student-t interval over the blocks' means (each
 * block a fresh process of the variant beside a fresh one of the baseline), so process-to-process
 * variance is in it; df = blocks − 1. rounds-one-process: one block only, a t interval over its rounds,
 * which cannot see the process level (the report warns). In the fresh design every round is a block.
 */
export interface ChangeLevels {
  readonly method: 'blocks-t' | 'rounds-one-process';
  readonly blocks: number;
  /** Rounds over every block. */
  readonly rounds: number;
  readonly df: number;
  /** Standard deviation of the log-ratio between rounds within a block, %; NaN where no block has two rounds. */
  readonly roundSdPct: number;
  /** Standard deviation between blocks beyond what their rounds explain (variance components), %; NaN with one block. */
  readonly processSdPct: number;
}

/**
 * differs: the interval excludes no change. same: it includes no change and lies within ±precision.
 * undecided: neither; more rounds would be needed to tell.
 */
export type ChangeVerdict = 'differs' | 'same' | 'undecided';

export type Comparison = Readonly<Record<ComparedMetric, MetricComparison>>;

/** A fitted quantity with its 95% interval (bootstrap over whole rounds). */
export interface Interval {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/** One ratio variant of a fit: its measured change against the line's. */
export interface FitPoint {
  readonly variant: string;
  readonly ratio: number;
  /** Median over rounds of (variant − baseline in the same round), with its interval. */
  readonly measured: Interval;
  readonly fitted: number;
  /** The line's value lies outside the measured interval. */
  readonly offLine: boolean;
}

/**
 * Δ = floor + ratio × perTrace over the ratio variants of one sampler (same processor and exporter):
 * what tracing costs when nothing is sampled, and what each sampled trace adds. In the metric's unit
 * (µs) per request.
 */
export interface SamplingFit {
  /** The sampler and the settings its variants share. */
  readonly family: string;
  readonly metric: 'cpuUsPerRequest' | 'serverTimeP50';
  readonly floor: Interval;
  /** The floor as a share of the baseline's median, %. */
  readonly floorPctOfBaseline: number;
  readonly perTrace: Interval;
  /** perTrace over the spans one sampled request makes. */
  readonly perSpan: Interval;
  readonly points: readonly FitPoint[];
  /** False when some point's interval misses the line: a straight line does not describe these variants. */
  readonly straight: boolean;
  readonly rounds: number;
}
