// What a scenario gets for every setting it leaves out.
import type { SpecBenchmarkSettings } from '../model/index.ts';

export const defaultConnections = 16;
/** Connections for the open-loop mode when the scenario names none: enough that a slow answer rarely blocks the schedule. */
export const defaultOpenLoopConnections = 64;
export const defaultDurationSec = 10;
/**
 * Long, because a fresh traced process is slow for its first seconds: measured here (2 s windows after
 * a 1 s warm-up, always_on), CPU per request was 1.5–3× its steady state until about 5 s in.
 */
export const defaultWarmupSec = 5;
export const defaultTrials = 3;

export const defaultTaskTimeMs = 300;
export const defaultTaskWarmupMs = 100;
export const defaultSpecBenchmark: SpecBenchmarkSettings = { warmupSec: 2, maxRateSec: 5, fixedRatePerSec: 10_000, fixedRateSec: 15, repeats: 3 };
