// The load seam: a driver sends requests to a target for a bounded time and says what it saw. One
// driver per load mode, in the registry (registry.ts).
import type { LoadResult } from '../model/index.ts';

export interface LoadTarget {
  readonly url: string;
  /** Allow a target off the loopback range (the user named it). */
  readonly allowRemote?: boolean;
}

export interface LoadRunSettings {
  /** Closed loop: concurrent connections. Open loop: the most requests in flight (one per keep-alive connection). */
  readonly connections: number;
  readonly durationSec: number;
  /** Requests per second, for a driver that needs a rate (see needsRate). */
  readonly ratePerSec?: number;
  /** Stop once this many requests are sent (a warm-up that counts requests); durationSec stays the bound. */
  readonly requests?: number;
}

export interface LoadDriver {
  /** True when the driver sends at a rate the scenario must give (load.rate or --rate). */
  readonly needsRate: boolean;
  /** Runs one measured window; bounded in time, stops by itself. */
  run(target: LoadTarget, settings: LoadRunSettings): Promise<LoadResult>;
}
