// A process's warm-up: a count of requests, so every process has served as much before it is measured
// whatever its speed (a slow or traced one gets no less JIT and GC history), or plain seconds.
import { maxWarmupSec } from '../scenario/defaults.ts';
import type { LoadRunSettings } from '../load/driver.ts';
import type { LoadResult, LoadSettings } from '../model/index.ts';

/**
 * The warm-up run's length: load.warmupRequests (bounded by maxWarmupSec), or `wallSec` seconds when the
 * scenario counts seconds; null for no warm-up.
 */
export function warmupLength(load: Pick<LoadSettings, 'warmupRequests'>, wallSec: number): Pick<LoadRunSettings, 'durationSec' | 'requests'> | null {
  if (load.warmupRequests !== undefined) return load.warmupRequests > 0 ? { durationSec: maxWarmupSec, requests: load.warmupRequests } : null;
  return wallSec > 0 ? { durationSec: wallSec } : null;
}

/** Seconds a process was under its warm-up's load: the planned seconds, or the time its count of requests took. */
export function warmedFor(length: Pick<LoadRunSettings, 'durationSec' | 'requests'>, result: LoadResult): number {
  return length.requests === undefined ? length.durationSec : result.durationSec;
}
