// Garbage collection as V8 reports it through perf_hooks: one observer per process, counting pauses by
// kind, so a window can take the difference of two tallies.
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import type { GcPauses, PauseTally } from '../model/index.ts';

type Kind = keyof GcPauses;

const kindOf: Readonly<Record<number, Kind>> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakCallbacks',
};

const totals: Record<Kind, { count: number; ms: number }> = {
  minor: { count: 0, ms: 0 },
  major: { count: 0, ms: 0 },
  incremental: { count: 0, ms: 0 },
  weakCallbacks: { count: 0, ms: 0 },
};

let observer: PerformanceObserver | undefined;

function add(entries: readonly PerformanceEntry[]): void {
  for (const entry of entries) {
    // Node puts the kind in `detail` (since 16); @types/node leaves it off PerformanceEntry.
    const kind = kindOf[(entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1];
    if (kind === undefined) continue;
    totals[kind].count++;
    totals[kind].ms += entry.duration;
  }
}

/**
 * The pauses counted so far, including entries V8 reported but the observer has not yet been called
 * with. The first call starts the count: collections before it are not seen.
 */
export function gcPausesSoFar(): GcPauses {
  if (observer) add(observer.takeRecords());
  else {
    observer = new PerformanceObserver((list) => add(list.getEntries()));
    observer.observe({ entryTypes: ['gc'] });
  }
  const copy = (t: PauseTally): PauseTally => ({ count: t.count, ms: t.ms });
  return { minor: copy(totals.minor), major: copy(totals.major), incremental: copy(totals.incremental), weakCallbacks: copy(totals.weakCallbacks) };
}

export function gcPausesBetween(start: GcPauses, end: GcPauses): GcPauses {
  const diff = (kind: Kind): PauseTally => ({ count: end[kind].count - start[kind].count, ms: end[kind].ms - start[kind].ms });
  return { minor: diff('minor'), major: diff('major'), incremental: diff('incremental'), weakCallbacks: diff('weakCallbacks') };
}

export function totalPauseMs(gc: GcPauses): number {
  return gc.minor.ms + gc.major.ms + gc.incremental.ms + gc.weakCallbacks.ms;
}
