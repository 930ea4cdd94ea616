// Rounds until the answer is known: how wide each Δ's interval still is, when to stop, and the verdict
// each interval supports (as Chromium's Pinpoint repeats where the answer is not yet known).
import type { ChangeVerdict, RatioEstimate, RoundsSetting, StopReason } from '../model/index.ts';

/** Half the width of a ratio's interval, in percentage points of the baseline. NaN without an interval. */
export function halfWidthPts(change: Pick<RatioEstimate, 'low' | 'high'>): number {
  return ((change.high - change.low) / 2) * 100;
}

/**
 * differs: the interval excludes no change. same: it includes no change and lies within ±precisionPts.
 * undecided: neither, the rounds were not enough to tell.
 */
export function verdictOf(change: RatioEstimate, precisionPts: number): ChangeVerdict {
  if (!(change.low <= change.high)) return 'undecided'; // NaN: nothing to judge
  if (change.low > 1 || change.high < 1) return 'differs';
  if ((change.high - 1) * 100 <= precisionPts && (1 - change.low) * 100 <= precisionPts) return 'same';
  return 'undecided';
}

/** The widest of the variants' Δ intervals: what the rounds still wait for. Null when there is none yet. */
export function widestInterval(changes: readonly { readonly variant: string; readonly change: RatioEstimate }[]): { variant: string; halfWidthPts: number } | null {
  let widest: { variant: string; halfWidthPts: number } | null = null;
  for (const { variant, change } of changes) {
    const h = halfWidthPts(change);
    // A NaN interval (too few rounds) counts as infinitely wide.
    const width = Number.isNaN(h) ? Number.POSITIVE_INFINITY : h;
    if (!widest || width > widest.halfWidthPts) widest = { variant, halfWidthPts: width };
  }
  return widest;
}

export interface StopState {
  readonly roundsDone: number;
  /** Seconds since the run began. */
  readonly elapsedSec: number;
  /** Seconds the rounds so far took each, on average: the next one is expected to take as long. */
  readonly secPerRound: number;
  readonly widestHalfWidthPts: number;
}

/** Why the rounds end now, or null to measure another round. */
export function stopReason(rule: RoundsSetting, state: StopState): StopReason | null {
  if (rule.kind === 'fixed') return state.roundsDone >= rule.count ? 'fixed' : null;
  if (state.roundsDone >= rule.minRounds && state.widestHalfWidthPts <= rule.precisionPts) return 'precise';
  // Another round must fit in the budget; two rounds, the fewest that give an interval, run whatever it is.
  if (state.roundsDone >= 2 && state.elapsedSec + state.secPerRound > rule.maxTimeSec) return 'budget';
  return null;
}
