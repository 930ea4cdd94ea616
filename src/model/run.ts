// The run document (run.json): the scenario as run, the machine, every variant's trials, summary and
// comparison, and the checks made after the trials.
import type { Comparison, RatioEstimate, SamplingFit, VariantSummary } from './compare.ts';
import type { RunEnvironment } from './machine.ts';
import type { Explanation } from './micro.ts';
import type { BlocksSetting, Instrumentation, ProcessDesign, RoundsSetting, RuntimeSetting, Scenario, SdkSet } from './scenario.ts';
import type { TracingConfig } from './tracing.ts';
import type { ServiceLife, TrialPhase, TrialResult } from './trial.ts';

export interface Saturation {
  readonly requestsPerSec: number;
  readonly connections: number;
  readonly durationSec: number;
}

export interface OpenLoopRate {
  readonly ratePerSec: number;
  /** Present when the scenario asked for a share of saturation. */
  readonly saturation?: Saturation & { readonly share: number };
}

export interface VariantResult {
  readonly name: string;
  /** The OTEL_* variables the service ran with. */
  readonly env: Readonly<Record<string, string>>;
  /** Who made the spans; absent from runs older than the setting ('service'). */
  readonly instrumentation?: Instrumentation;
  /** Which Node.js ran its service; absent from runs older than the setting (tracetax's own). */
  readonly runtime?: RuntimeSetting;
  /** The OpenTelemetry JS set its tracing code loaded; absent from runs older than the setting ('otel-0.223'). */
  readonly sdk?: SdkSet;
  readonly config: TracingConfig;
  readonly description: string;
  readonly trials: readonly TrialResult[];
  /** The variant's service processes: one per trial, or one for the whole run in the pool. */
  readonly lives: readonly ServiceLife[];
  readonly summary: VariantSummary;
  /** Each compared metric's median with its interval, and its change against the baseline. */
  readonly comparison: Comparison;
  /** The run's A/A check: an untraced copy of the baseline. */
  readonly sentinel?: true;
  /** 'base' for a variant whose service and tracing code ran from the base checkout of a same-run check; absent for this tree's. */
  readonly tree?: 'base';
  /** The variant its changes are against when it is not the run's baseline (a base variant's own untraced). */
  readonly comparedWith?: string;
}

/** The base branch's checkout a same-run check ran beside this tree (`--check DIR`). */
export interface BaseCheckout {
  /** The folder, absolute. */
  readonly path: string;
  /** Its git commit, or null when it is not a git checkout. */
  readonly commit: string | null;
}

export interface JaegerVariantCheck {
  readonly variant: string;
  /** Root spans the exporter reported exported (one per trace), summed over the variant's trials. */
  readonly exportedTraces: number;
  /** Lookups Jaeger answered (found + not found); failed lookups are counted apart, in lookupErrors. */
  readonly lookedUp: number;
  readonly found: number;
  readonly lookupErrors: number;
  /** found / lookedUp with its Wilson 95% interval; null when nothing was looked up. */
  readonly foundRatio: { readonly ratio: number; readonly low: number; readonly high: number } | null;
  /** Mean distinct spans per found trace; null when none was found. */
  readonly spansPerFoundTrace: number | null;
  /** Found traces with exactly the expected number of spans. */
  readonly completeFoundTraces: number;
  /** Distinct traces of the run's service that Jaeger's search finds in the variant's trial windows; null if the search failed. */
  readonly searchTotal: number | null;
  /** A search answered its full depth: searchTotal is a lower bound. */
  readonly searchCapped: boolean;
  readonly searchError?: string;
}

/** With --jaeger-query: what Jaeger holds of the exported traces. */
export interface JaegerCheck {
  readonly queryUrl: string;
  readonly serviceName: string;
  readonly api: 'v1' | 'v3' | null;
  /** Seed of the lookup sample: the same run.json and seed look up the same ids. */
  readonly seed: number;
  /** False when Jaeger's count was still changing (or unreachable) at the deadline. */
  readonly settled: boolean;
  readonly settleMs: number;
  readonly settleError?: string;
  readonly expectedSpansPerTrace: number;
  /** Traces exported over the whole run, every variant. */
  readonly exportedTraces: number;
  readonly memoryLimitTraces: number;
  /**
   * Trials of different variants ran at the same time (the concurrent mode) under the one service name,
   * so a time window cannot tell their traces apart: no search totals then (lookups by id still count).
   */
  readonly windowsOverlap: boolean;
  readonly variants: readonly JaegerVariantCheck[];
}

/** The embedded Jaeger sampling servers jaeger_remote variants polled, and their answers per service. */
export interface JaegerSamplingSummary {
  readonly servers: readonly { readonly endpoint: string; readonly strategiesFile: string | null; readonly polls: Record<string, number> }[];
}

/** Why the rounds ended: the fixed count reached, every Δ CPU/request precise enough, or the time budget spent. */
export type StopReason = 'fixed' | 'precise' | 'budget';

/** How the rounds were laid out, and how many there were. */
export interface RunDesign {
  /** pairs or pool: one warm process per variant, measured in slices (in pairs beside the baseline's); fresh: a new process per trial (always so side by side). */
  readonly processes: ProcessDesign;
  /** randomised: one variant after another, in a shuffled order per round; side-by-side: a round's variants at once. */
  readonly order: 'randomised' | 'side-by-side';
  /** Seed of the order's shuffle: the same seed gives the same orders. */
  readonly seed: number;
  /** An unmeasured trial before the first round, warming the load generator, the collector and the service's code cache (fresh processes only; the pool's warm-ups do it). */
  readonly harnessWarmupSec: number;
  /** What was asked: a fixed number of rounds, or rounds until precise. */
  readonly rounds: RoundsSetting;
  readonly roundsRun: number;
  /** Blocks of fresh processes and the rounds each ran (absent in the fresh design and in older runs). */
  readonly blocks?: BlocksSetting | null;
  readonly roundsPerBlock?: readonly number[];
  /** Mean seconds a block cost outside its rounds (start-up, warm-up, settling, flush), and a round's. */
  readonly blockOverheadSec?: number;
  readonly roundSec?: number;
  readonly stoppedBecause: StopReason;
  /** The ± a 'same' verdict is read against, percentage points (the scenario's precision, 2 for fixed rounds). */
  readonly precisionPts: number;
  /** Seconds from the run's start to the end of its last round. */
  readonly measuredSec: number;
}

/** The check that a trial's place in its round does not move its result. */
export interface PositionEffect {
  readonly metric: 'cpuUsPerRequest';
  /** Standard deviation of every trial's deviation from its variant's median, %. */
  readonly sdPct: number;
  readonly positions: readonly {
    /** 1-based place in the round. */
    readonly position: number;
    readonly n: number;
    /** Mean deviation of the trials run at this place from their variants' medians, %. */
    readonly meanDeviationPct: number;
    /** Three standard errors of that mean, %: a mean beyond it is an effect of the order. */
    readonly noisePct: number;
    readonly beyondNoise: boolean;
  }[];
}

/** The sentinel's Δ CPU/request against the baseline: the same settings, so its interval should hold 0 in 95 runs of 100. */
export interface AaCheck {
  readonly variant: string;
  readonly change: RatioEstimate;
  readonly coversZero: boolean;
}

/** The machine's noise during the run, and what it lets the budget reach. */
export interface RunNoise {
  /** Standard deviation of the untraced baseline's CPU/request from one slice to the next within a process, % (log scale). */
  readonly sliceSdPct: number;
  /** Process-to-process standard deviation of a Δ beyond its rounds, % (variance components, the sentinel's or the median of the traced variants'); NaN with one block. */
  readonly processSdPct: number;
  /** A fixed CPU workload timed in the harness at the run's start and end: CPU ms each. */
  readonly fixedWork: { readonly startMs: number; readonly endMs: number };
  /** The widest Δ's half-width reached, what the run's budget could reach at this noise with the best split, and the seconds ±precision would need (null: over an hour). */
  readonly reach: {
    readonly targetPts: number;
    readonly reachedPts: number;
    readonly variant: string;
    readonly budgetSec: number;
    /** Null when the time holds fewer than two blocks. */
    readonly limitPts: number | null;
    readonly neededSec: number | null;
  } | null;
  /** Why the machine was noisy, if it was: each reason one line. */
  readonly warnings: readonly string[];
}

export interface RunDocument {
  readonly schemaVersion: number;
  readonly tool: { readonly name: 'tracetax'; readonly version: string };
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The scenario as run (its variants are below, with their results). */
  /** `service` is absent from runs older than external services (they ran the built-in one). */
  readonly scenario: Pick<Scenario, 'name' | 'description' | 'source' | 'shape' | 'load' | 'collector' | 'rounds' | 'processes'> & Partial<Pick<Scenario, 'service' | 'blocks'>>;
  readonly environment: RunEnvironment;
  readonly design: RunDesign;
  /** Each position's mean deviation in the randomised order; null side by side or with fewer than two rounds. */
  readonly positionEffect: PositionEffect | null;
  /** The open-loop mode's rate, and the saturation it was derived from; null in the closed-loop mode. */
  readonly openLoop: OpenLoopRate | null;
  /** Spans one request makes when every span is sampled. */
  readonly spansPerRequestExpected: number;
  readonly baseline: string;
  /** With --check on a base checkout: where the `tree: 'base'` variants' code came from. */
  readonly base?: BaseCheckout;
  readonly variants: readonly VariantResult[];
  /** The sentinel's Δ against the baseline (absent without a sentinel). */
  readonly aaCheck?: AaCheck;
  /** The run's own noise figure (absent from older runs). */
  readonly noise?: RunNoise;
  /** Floor + per-trace fits, per sampler with several ratios and per metric; empty when no sampler has two. */
  readonly fits: readonly SamplingFit[];
  /** With --jaeger-query: what Jaeger holds of the exported traces, per variant. */
  readonly jaeger?: JaegerCheck;
  /** The embedded Jaeger sampling servers jaeger_remote variants polled, and their answers per service. */
  readonly jaegerSampling?: JaegerSamplingSummary;
  /** With --explain: the micro-benchmarks' prediction of each variant's CPU per request, next to the measurement. */
  readonly explain?: Explanation;
}

/** What a run tells its caller as it goes (the CLI prints progress from these). */
export type RunEvent =
  | { readonly type: 'saturation-start' }
  | { readonly type: 'harness-warmup'; readonly seconds: number }
  | {
      readonly type: 'run-start';
      readonly variants: number;
      readonly processes: ProcessDesign;
      /** Trials that run at the same time: 1, or every variant side by side. */
      readonly trialsAtOnce: number;
      readonly rounds: RoundsSetting;
      readonly exportTarget: string;
      readonly ratePerSec?: number;
    }
  /** A block of fresh processes starts (pool and pairs), planned for this many rounds. */
  | { readonly type: 'block-start'; readonly block: number; readonly rounds: number }
  /** round 0: the pool's processes starting and warming up, before the first round. */
  | { readonly type: 'trial-phase'; readonly order: number; readonly variant: string; readonly round: number; readonly phase: TrialPhase }
  | { readonly type: 'trial-end'; readonly result: TrialResult }
  | {
      readonly type: 'round-end';
      readonly round: number;
      /** The block it ran in (pool and pairs). */
      readonly block?: number;
      /** The widest Δ CPU/request interval left, percentage points; null before there is one. */
      readonly widest: { readonly variant: string; readonly halfWidthPts: number } | null;
      readonly elapsedSec: number;
      /** Set when this was the last round. */
      readonly stop: StopReason | null;
    }
  | { readonly type: 'jaeger-progress'; readonly message: string };
