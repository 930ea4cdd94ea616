// The rounds: measure one, update every variant's Δ CPU/request against the baseline, and stop when the
// scenario's rounds say so (a fixed count, every interval precise enough, or the time budget spent).
import { stopReason, widestInterval } from '../compare/precision.ts';
import { pairedRatioT } from '../compare/stats.ts';
import { comparedMetrics, roundPairs } from '../compare/summary.ts';
import type { RoundRunner } from './rounds.ts';
import type { RoundsSetting, RunEvent, StopReason, TrialResult } from '../model/index.ts';

export interface RoundLoopOptions {
  readonly runner: RoundRunner;
  /** Each variant's name and the name of the variant it is compared with (its own for a baseline). */
  readonly variants: readonly { readonly name: string; readonly baseline: string }[];
  readonly rounds: RoundsSetting;
  /** The next round's order (member indexes). */
  readonly nextOrder: () => readonly number[];
  /** Seconds since the run began (the budget counts from there). */
  readonly elapsedSec: () => number;
  readonly onEvent: (event: RunEvent) => void;
}

export interface RoundLoopResult {
  /** Each variant's trials, one per round. */
  readonly trials: ReadonlyMap<string, TrialResult[]>;
  readonly roundsRun: number;
  readonly stoppedBecause: StopReason;
}

/** The variants' Δ CPU/request so far, each against its baseline in the same rounds. */
export function cpuChanges(variants: RoundLoopOptions['variants'], trials: ReadonlyMap<string, readonly TrialResult[]>) {
  return variants
    .filter((v) => v.baseline !== v.name)
    .map((v) => ({
      variant: v.name,
      change: pairedRatioT(roundPairs(trials.get(v.name)!, trials.get(v.baseline)!, comparedMetrics.cpuUsPerRequest)),
    }));
}

export async function measureRounds(options: RoundLoopOptions): Promise<RoundLoopResult> {
  const { runner, variants, onEvent } = options;
  const trials = new Map<string, TrialResult[]>(variants.map((v) => [v.name, []]));
  const startedAt = options.elapsedSec();
  let stoppedBecause: StopReason | null = null;
  let round = 0;
  while (stoppedBecause === null) {
    round++;
    for (const result of await runner.round(round, options.nextOrder(), (round - 1) * runner.slicesPerRound + 1)) {
      trials.get(result.variant)!.push(result);
      onEvent({ type: 'trial-end', result });
    }
    // One round gives no interval at all (a single ratio), however narrow it looks.
    const widest = round >= 2 ? widestInterval(cpuChanges(variants, trials)) : null;
    const elapsed = options.elapsedSec();
    stoppedBecause = stopReason(options.rounds, {
      roundsDone: round,
      elapsedSec: elapsed,
      secPerRound: (elapsed - startedAt) / round,
      widestHalfWidthPts: widest?.halfWidthPts ?? Number.POSITIVE_INFINITY,
    });
    onEvent({ type: 'round-end', round, widest, elapsedSec: elapsed, stop: stoppedBecause });
  }
  return { trials, roundsRun: round, stoppedBecause };
}
