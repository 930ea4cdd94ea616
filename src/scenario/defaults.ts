// What a scenario gets for every setting it leaves out.
import type { ProcessDesign, SpecBenchmarkSettings } from '../model/index.ts';

export const defaultConnections = 16;
/** Connections for the open-loop mode when the scenario names none: enough that a slow answer rarely blocks the schedule. */
export const defaultOpenLoopConnections = 64;
/** Measured seconds of a fresh process's trial. */
export const defaultDurationSec = 10;
/**
 * Measured seconds of a slice in the warm pool: short, so drift reaches every variant within seconds and
 * many rounds fit. Measured (bench/designs.ts, docs/findings.md): in pairs, 2-s slices moved every Δ by
 * about 1 point between runs, 1-s slices always_on's by 6.
 */
export const defaultSliceSec = 2;
/**
 * Long, because a fresh traced process is slow for its first seconds: measured here (2 s windows after
 * a 1 s warm-up, always_on), CPU per request was 1.5–3× its steady state until about 5 s in.
 */
export const defaultWarmupSec = 5;
/** The most seconds a warm-up in requests (load.warmupRequests) may run: every load run is bounded. */
export const maxWarmupSec = 120;
/**
 * The measurement design when a scenario names none (see ProcessDesign and docs/findings.md): each
 * variant's slices alone on the service's core. In blocks of fresh processes, pairs biased an A/A copy by
 * +7% (its baseline process, loaded beside every traced one, aged faster than they did); the pool, where
 * every process gets one slice a round, by −2.7 ± 2.5% (12 runs each, 2026-12-04).
 */
export const defaultProcesses: ProcessDesign = 'pool';
/** Rounds until precise: the target 95% half-width of every Δ CPU/request, percentage points. */
export const defaultPrecisionPts = 2;
/** …and the budget of those rounds, seconds. */
export const defaultMaxTimeSec = 300;
/** Rounds before the stopping rule is asked: fewer cannot give an interval worth trusting. */
export const defaultMinRounds = 4;

export const defaultTaskTimeMs = 300;
export const defaultTaskWarmupMs = 100;
export const defaultSpecBenchmark: SpecBenchmarkSettings = { warmupSec: 2, maxRateSec: 5, fixedRatePerSec: 10_000, fixedRateSec: 15, repeats: 3 };
/** Blocks of fresh processes when a scenario gives a fixed number of rounds and no `blocks`. */
export const defaultFixedBlocks = 3;
/** Blocks before rounds until precise may call a run precise: two give an interval over processes, but a wide one (t with 1 df). */
export const defaultMinBlocks = 3;
/** The sentinel's name: an untraced copy of the baseline. */
export const sentinelName = 'untraced B';
