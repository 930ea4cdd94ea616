// Does a variant's Δ drift over the run? A line through log(variant ÷ baseline) against the round: a
// slope beyond its noise means the rounds did not measure one steady cost, most often a process still
// warming up (at a low rate a young process's cost lasts about a minute: docs/low-traffic.md).
import { baselineFinder } from './summary.ts';
import { studentTTwoSidedP } from './stats.ts';
import type { TrialResult } from '../model/index.ts';

export interface DeltaTrend {
  /** Δ CPU/request on the fitted line at the first and the last round, %. */
  readonly firstPct: number;
  readonly lastPct: number;
  readonly firstRound: number;
  readonly lastRound: number;
  /** Two-sided p of the slope within blocks (Student t, rounds − blocks − 1 degrees of freedom). */
  readonly p: number;
}

/** Below this many rounds a slope says little. */
const minRounds = 6;

/** The trend of Δ CPU/request over the rounds; null with too few rounds. */
export function cpuDeltaTrend(trials: readonly TrialResult[], baseline: readonly TrialResult[]): DeltaTrend | null {
  const find = baselineFinder(baseline);
  const points = trials.flatMap((t) => {
    const b = find(t);
    return b && t.cpuUsPerRequest > 0 && b.cpuUsPerRequest > 0 ? [{ x: t.trial, y: Math.log(t.cpuUsPerRequest / b.cpuUsPerRequest), block: String(t.block ?? 'one') }] : [];
  });
  const n = points.length;
  if (n < minRounds) return null;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  // The slope within processes: each block's points about their own means, so a block's process offset is no trend.
  const blocks = new Map<string, { x: number; y: number }[]>();
  for (const p of points) blocks.set(p.block, [...(blocks.get(p.block) ?? []), p]);
  const centred = [...blocks.values()].flatMap((ps) => {
    const [bx, by] = [ps.reduce((a, p) => a + p.x, 0) / ps.length, ps.reduce((a, p) => a + p.y, 0) / ps.length];
    return ps.map((p) => ({ x: p.x - bx, y: p.y - by }));
  });
  const sxx = centred.reduce((a, p) => a + p.x ** 2, 0);
  const df = n - blocks.size - 1;
  if (sxx === 0 || df < 1) return null;
  const slope = centred.reduce((a, p) => a + p.x * p.y, 0) / sxx;
  const residual = centred.reduce((a, p) => a + (p.y - slope * p.x) ** 2, 0) / df;
  const se = Math.sqrt(residual / sxx);
  const t = se > 0 ? slope / se : slope === 0 ? 0 : Math.sign(slope) * Number.POSITIVE_INFINITY;
  const [firstRound, lastRound] = [Math.min(...points.map((p) => p.x)), Math.max(...points.map((p) => p.x))];
  const pctAt = (x: number) => (Math.exp(my + slope * (x - mx)) - 1) * 100;
  return { firstPct: pctAt(firstRound), lastPct: pctAt(lastRound), firstRound, lastRound, p: studentTTwoSidedP(t, df) };
}
