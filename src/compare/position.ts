// Does a trial's place in its round move its result? Each trial's CPU per request is compared with its
// own variant's median, so variant effects cancel; what is left, averaged per position, is the order's
// effect, with the noise it must exceed to count.
import type { PositionEffect, TrialResult } from '../model/index.ts';
import { median } from './summary.ts';

/**
 * A position's mean deviation counts as an effect beyond this many standard errors: 3, not 2, because
 * every position is tested (with 13 variants, 2 standard errors would flag some place in about half of
 * the runs with no effect at all; 3 in about 1 in 30).
 */
const standardErrors = 3;

/**
 * `trials` per variant; `position` gives a trial's 1-based place in its round. Null when there is too
 * little to tell (fewer than two rounds, or one variant).
 */
export function positionEffect(trials: readonly (readonly TrialResult[])[], position: (t: TrialResult) => number): PositionEffect | null {
  const deviations: { position: number; pct: number }[] = [];
  for (const own of trials) {
    const mid = median(own.map((t) => t.cpuUsPerRequest));
    for (const t of own) if (Number.isFinite(t.cpuUsPerRequest) && mid > 0) deviations.push({ position: position(t), pct: (t.cpuUsPerRequest / mid - 1) * 100 });
  }
  const rounds = Math.min(...trials.map((own) => own.length));
  if (trials.length < 2 || rounds < 2 || deviations.length < 2) return null;
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const all = deviations.map((d) => d.pct);
  const sd = Math.sqrt(all.reduce((a, x) => a + (x - mean(all)) ** 2, 0) / (all.length - 1));
  const positions = [...new Set(deviations.map((d) => d.position))].sort((a, b) => a - b).map((p) => {
    const here = deviations.filter((d) => d.position === p).map((d) => d.pct);
    const noisePct = (standardErrors * sd) / Math.sqrt(here.length);
    const meanDeviationPct = mean(here);
    return { position: p, n: here.length, meanDeviationPct, noisePct, beyondNoise: Math.abs(meanDeviationPct) > noisePct };
  });
  return { metric: 'cpuUsPerRequest', sdPct: sd, positions };
}
