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

/** CPU µs/request of `trials` over `reference`, geometric mean over the rounds both ran, with its Student-t interval. */
export function cpuRatioByRound(trials: readonly TrialResult[], reference: readonly TrialResult[]): RatioEstimate {
  const ours = roundMeans(trials, comparedMetrics.cpuUsPerRequest);
  const theirs = roundMeans(reference, comparedMetrics.cpuUsPerRequest);
  return pairedRatioT([...ours].flatMap(([round, value]) => (theirs.has(round) ? [[value, theirs.get(round)!] as [number, number]] : [])));
}
