// Two baselines on different runtimes are never loaded in the same slice, so their CPU is compared round
// by round: each round's mean of one against the same round's mean of the other.
import { comparedMetrics } from './summary.ts';
import { pairedRatioT } from './stats.ts';
import type { RatioEstimate, TrialResult } from '../model/index.ts';

function roundMeans(trials: readonly TrialResult[], metric: (t: TrialResult) => number): Map<number, number> {
  const byRound = new Map<number, number[]>();
  for (const t of trials) {
    const value = metric(t);
    if (Number.isFinite(value)) byRound.set(t.trial, [...(byRound.get(t.trial) ?? []), value]);
  }
  return new Map([...byRound].map(([round, values]) => [round, values.reduce((a, b) => a + b, 0) / values.length]));
}

/** Per round: a/b of the rounds' mean CPU µs/request, for the rounds both ran. */
function roundRatios(a: readonly TrialResult[], b: readonly TrialResult[]): Map<number, number> {
  const ours = roundMeans(a, comparedMetrics.cpuUsPerRequest);
  const theirs = roundMeans(b, comparedMetrics.cpuUsPerRequest);
  return new Map([...ours].flatMap(([round, value]) => (theirs.has(round) ? [[round, value / theirs.get(round)!] as [number, number]] : [])));
}

/** CPU µs/request of `trials` over `reference`, geometric mean over the rounds both ran, with its Student-t interval. */
export function cpuRatioByRound(trials: readonly TrialResult[], reference: readonly TrialResult[]): RatioEstimate {
  return pairedRatioT([...roundRatios(trials, reference)].map(([, r]) => [r, 1] as [number, number]));
}

/**
 * One runtime's overhead against another's, round by round: (variant ÷ its untraced) ÷ (other variant ÷
 * its untraced) in each round. Below 1 means tracing costs less on the first runtime.
 */
export function overheadRatioByRound(
  variant: readonly TrialResult[],
  untraced: readonly TrialResult[],
  otherVariant: readonly TrialResult[],
  otherUntraced: readonly TrialResult[],
): RatioEstimate {
  const ours = roundRatios(variant, untraced);
  const theirs = roundRatios(otherVariant, otherUntraced);
  return pairedRatioT([...ours].flatMap(([round, r]) => (theirs.has(round) ? [[r, theirs.get(round)!] as [number, number]] : [])));
}
