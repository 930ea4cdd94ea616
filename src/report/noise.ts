// The run's own noise and its A/A check, in words, for the head of every report and the terminal: what
// the machine did during the run, and what the time could reach at that noise.
import { formatRatio } from '../compare/stats.ts';
import { duration as minutes } from './format.ts';
import type { RunDocument } from '../model/index.ts';


/** "noise: slice sd 7.1%, process sd 1.2%; fixed workload 41 → 43 ms CPU (+4.9%); ±2 would need about 19 min; ±3.4 reached (always_on) in 6 min, the best split of that time ±3.1". */
export function noiseLine(run: RunDocument): string | null {
  const n = run.noise;
  if (!n) return null;
  const fmt = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)}%` : '–');
  const { startMs, endMs } = n.fixedWork;
  const work = `a fixed workload took ${startMs.toFixed(0)} ms CPU at the start and ${endMs.toFixed(0)} ms at the end (${endMs >= startMs ? '+' : '−'}${Math.abs((endMs / startMs - 1) * 100).toFixed(1)}%)`;
  const parts = [`Noise: the untraced baseline's CPU/request moved ${fmt(n.sliceSdPct)} (sd) from slice to slice; processes of the same settings differed by ${fmt(n.processSdPct)} (sd)`, work];
  const r = n.reach;
  if (r) {
    const needed = r.neededSec === null ? `±${r.targetPts} would need over an hour` : `±${r.targetPts} would need about ${minutes(r.neededSec)}`;
    const limit = r.limitPts === null ? '' : `; the best split of ${minutes(r.budgetSec)} into blocks and rounds reaches about ±${r.limitPts.toFixed(1)}`;
    parts.push(`widest Δ CPU/request ±${r.reachedPts.toFixed(1)} points (${r.variant})${limit}; ${needed} at this noise`);
  }
  return parts.join('; ');
}

/** "A/A check: untraced B −0.3% [−1.4%, +0.8%], covers 0" (null without a sentinel). */
export function aaCheckLine(run: RunDocument): string | null {
  const aa = run.aaCheck;
  if (!aa) return null;
  return `A/A check: \`${aa.variant}\` (an identical copy of the baseline) ${formatRatio(aa.change)}${aa.coversZero ? ', covers 0 as it should' : ', MISSES 0: the intervals of this run are too narrow for the day\'s noise'}`;
}

/** How each Δ's interval was made: over blocks of processes, or (one block) over its rounds only. */
export function intervalLine(run: RunDocument): string | null {
  const levels = run.variants.flatMap((v) => (v.comparison.cpuUsPerRequest.levels ? [v.comparison.cpuUsPerRequest.levels] : []));
  if (levels.length === 0) return null;
  const blocks = Math.max(...levels.map((l) => l.blocks));
  if (levels.every((l) => l.method === 'rounds-one-process')) {
    return 'Intervals: one block of processes, so each Δ\'s 95% interval is over its rounds only and cannot include the difference between processes: run more blocks (blocks: 3 or more) for an honest interval';
  }
  const per = run.design.processes === 'fresh' ? 'every trial a fresh process' : `${blocks} blocks of fresh processes`;
  return `Intervals: each Δ is the mean of its blocks' geometric-mean ratios, with a Student-t 95% interval over the blocks (${per}, df = blocks − 1), so the difference between processes is in it as well as the rounds'`;
}
