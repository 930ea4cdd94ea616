// The run's own noise figure: how much the untraced baseline moved from one slice to the next, how much
// processes of the same settings differed, how a fixed workload's time moved from the run's start to
// its end, what the budget could reach at that noise, and the A/A check of the sentinel. Maths only.
import { reachIn, secondsToReach, varianceComponents } from './levels.ts';
import { median } from './summary.ts';
import type { AaCheck, RunNoise, TrialResult, VariantResult } from '../model/index.ts';

/** Above this slice-to-slice sd of the untraced baseline (%), the machine counts as noisy. */
export const noisySliceSdPct = 5;
/** A fixed workload whose CPU time moved more than this (%) between the run's start and end. */
export const noisyFixedWorkPct = 10;
/** A slice this many times its variant's median CPU/request is a spike. */
export const spikeFactor = 1.5;

export function aaCheckOf(variants: readonly VariantResult[]): AaCheck | undefined {
  const sentinel = variants.find((v) => v.sentinel);
  const change = sentinel?.comparison.cpuUsPerRequest.change;
  if (!sentinel || !change) return undefined;
  return { variant: sentinel.name, change, coversZero: change.low <= 1 && change.high >= 1 };
}

/** Standard deviation of log CPU/request between slices within each block, %. */
function sliceSdPct(trials: readonly TrialResult[]): number {
  const byBlock = new Map<string, number[]>();
  for (const t of trials) {
    if (!(t.cpuUsPerRequest > 0)) continue;
    const key = String(t.block ?? 'fresh');
    byBlock.set(key, [...(byBlock.get(key) ?? []), Math.log(t.cpuUsPerRequest)]);
  }
  return Math.sqrt(varianceComponents([...byBlock.values()]).round) * 100;
}

export interface NoiseInputs {
  readonly variants: readonly VariantResult[];
  readonly baseline: string;
  readonly fixedWork: { readonly startMs: number; readonly endMs: number };
  /** The precision target and the time the rounds had (the budget, or what a fixed count took). */
  readonly targetPts: number;
  readonly budgetSec: number;
  readonly blockOverheadSec?: number;
  readonly roundSec?: number;
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

export function runNoise(input: NoiseInputs): RunNoise {
  const { variants } = input;
  const baseline = variants.find((v) => v.name === input.baseline)!;
  const compared = variants.filter((v) => v.comparison.cpuUsPerRequest.levels);
  const sentinel = compared.find((v) => v.sentinel);
  const processSdPct = sentinel
    ? sentinel.comparison.cpuUsPerRequest.levels!.processSdPct
    : median(compared.map((v) => v.comparison.cpuUsPerRequest.levels!.processSdPct));
  const slice = sliceSdPct(baseline.trials);
  const warnings: string[] = [];
  if (slice > noisySliceSdPct) warnings.push(`the machine was noisy: the untraced baseline's CPU/request moved ${slice.toFixed(1)}% (sd) from one slice to the next, above ${noisySliceSdPct}%`);
  const workChange = (input.fixedWork.endMs / input.fixedWork.startMs - 1) * 100;
  if (Math.abs(workChange) > noisyFixedWorkPct) {
    warnings.push(`a fixed workload took ${workChange > 0 ? '+' : ''}${workChange.toFixed(0)}% CPU time at the end of the run against its start: the machine changed speed during the run`);
  }
  const aa = aaCheckOf(variants);
  if (aa && !aa.coversZero) warnings.push(`the A/A check failed: ${aa.variant}, the baseline's identical copy, differs from it; this run's intervals are too narrow for today's noise, rerun it`);
  const spikes = variants.flatMap((v) => {
    const m = median(v.trials.map((t) => t.cpuUsPerRequest));
    const n = v.trials.filter((t) => t.cpuUsPerRequest > spikeFactor * m).length;
    return n > 0 ? [`${v.name} ${n}/${v.trials.length}`] : [];
  });
  if (spikes.length > 0) warnings.push(`slices above ${spikeFactor}× their variant's median CPU/request: ${spikes.join(', ')}`);

  // The widest Δ: what was reached, and what its own variance components say the time could reach.
  let reach: RunNoise['reach'] = null;
  const widest = compared
    .map((v) => ({ v, change: v.comparison.cpuUsPerRequest.change!, levels: v.comparison.cpuUsPerRequest.levels! }))
    .filter((x) => x.levels.method === 'blocks-t' && Number.isFinite(x.change.high - x.change.low))
    .sort((a, b) => b.change.high - b.change.low - (a.change.high - a.change.low))[0];
  if (widest && input.blockOverheadSec !== undefined && input.roundSec !== undefined && input.roundSec > 0) {
    const c = { process: (widest.levels.processSdPct / 100) ** 2, round: (widest.levels.roundSdPct / 100) ** 2 };
    const needed = secondsToReach(c, input.targetPts, input.blockOverheadSec, input.roundSec);
    reach = {
      targetPts: input.targetPts,
      reachedPts: ((widest.change.high - widest.change.low) / 2) * 100,
      variant: widest.v.name,
      budgetSec: input.budgetSec,
      limitPts: finiteOrNull(reachIn(c, input.budgetSec, input.blockOverheadSec, input.roundSec).halfWidthPts),
      neededSec: Number.isFinite(needed) ? needed : null,
    };
  }
  return { sliceSdPct: slice, processSdPct, fixedWork: input.fixedWork, reach, warnings };
}
