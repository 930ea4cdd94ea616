// What both load drivers report for a measured window, so the harness treats them alike.
import type { Percentiles } from '../measure/histogram.ts';

export interface LoadResult {
  /** The planned duration of the window. */
  readonly durationSec: number;
  /** 2xx responses. */
  readonly requests: number;
  readonly requestsPerSec: number;
  /** Failed requests (connection errors, cut-off bodies), timeouts included, as autocannon counts them. */
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  /** Client latency of 2xx responses, ms (in the open loop: from the intended start). */
  readonly latencyMs: Percentiles;
  /** The same, µs, encoded HDR histogram. */
  readonly latencyHistogram: string;
}

/** Seconds a request may take before it counts as a timeout. */
export const defaultRequestTimeoutSec = 10;
