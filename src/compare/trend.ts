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
  /** Two-sided p of the slope (Student t, rounds − 2 degrees of freedom). */
  readonly p: number;
}

/** Below this many rounds a slope says little. */
const minRounds = 6;

/** The trend of Δ CPU/request over the rounds; null with too few rounds. */
export function cpuDeltaTrend(trials: readonly TrialResult[], baseline: readonly TrialResult[]): DeltaTrend | null {
  const find = baselineFinder(baseline);
  const points = trials.flatMap((t) => {
    const b = find(t);
    return b && t.cpuUsPerRequest > 0 && b.cpuUsPerRequest > 0 ? [{ x: t.trial, y: Math.log(t.cpuUsPerRequest / b.cpuUsPerRequest) }] : [];
  });
  const n = points.length;
  if (n < minRounds) return null;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  if (sxx === 0) return null;
  const slope = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx;
  const residual = points.reduce((a, p) => a + (p.y - my - slope * (p.x - mx)) ** 2, 0) / (n - 2);
  const se = Math.sqrt(residual / sxx);
  const t = se > 0 ? slope / se : slope === 0 ? 0 : Math.sign(slope) * Number.POSITIVE_INFINITY;
  const [firstRound, lastRound] = [Math.min(...points.map((p) => p.x)), Math.max(...points.map((p) => p.x))];
  const pctAt = (x: number) => (Math.exp(my + slope * (x - mx)) - 1) * 100;
  return { firstPct: pctAt(firstRound), lastPct: pctAt(lastRound), firstRound, lastRound, p: studentTTwoSidedP(t, n - 2) };
}
