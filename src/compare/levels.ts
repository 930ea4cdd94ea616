// Two levels of noise: the process (a fresh process of the same settings runs a few percent dearer or
// cheaper for its whole life) and the round (one slice to the next within a process). Kalibera & Jones,
// "Rigorous benchmarking in reasonable time": sample every level that varies, and size the repetitions
// at each level from the variance measured there. Maths only: groups of log-ratios in, estimates out.
import { studentT975 } from './stats.ts';
import type { ChangeLevels, RatioEstimate } from '../model/index.ts';

/** One group of repetitions that share a process (a block): the log of variant ÷ baseline per round. */
export type LogGroups = readonly (readonly number[])[];

export interface VarianceComponents {
  /** Variance between processes (of a group's true mean), log units²; 0 when the groups differ no more than their rounds explain. */
  readonly process: number;
  /** Variance between rounds within a process, log units²; NaN with no group of two or more. */
  readonly round: number;
  readonly groups: number;
  /** Observations over every group. */
  readonly n: number;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: readonly number[]) => sum(xs) / xs.length;

/**
 * One-way random-effects ANOVA (unbalanced groups allowed): the within-group mean square estimates the
 * round variance; the between-group mean square, less that, over the effective group size n0, the
 * process variance (clamped at 0, as is usual).
 */
export function varianceComponents(groups: LogGroups): VarianceComponents {
  const used = groups.filter((g) => g.length > 0);
  const k = used.length;
  const n = sum(used.map((g) => g.length));
  const grand = sum(used.map(sum)) / n;
  const ssWithin = sum(used.map((g) => sum(g.map((x) => (x - mean(g)) ** 2))));
  const dfWithin = n - k;
  const round = dfWithin > 0 ? ssWithin / dfWithin : Number.NaN;
  if (k < 2) return { process: Number.NaN, round, groups: k, n };
  const ssBetween = sum(used.map((g) => g.length * (mean(g) - grand) ** 2));
  const msBetween = ssBetween / (k - 1);
  const n0 = (n - sum(used.map((g) => g.length ** 2)) / n) / (k - 1);
  const process = Math.max(0, (msBetween - (Number.isNaN(round) ? 0 : round)) / n0);
  return { process, round, groups: k, n };
}

/**
 * The change with both levels in its interval: the mean of the groups' means (each group one process of
 * the variant beside one of the baseline), with a Student-t interval over the groups, df = groups − 1.
 * The spread of group means holds the process variance and the rounds' alike, whatever their sizes, so
 * no estimate of either is needed for the interval itself. With one group the process level cannot be
 * seen: the interval is over rounds only, and says so (method 'rounds-one-process').
 */
export function twoLevelChange(groups: LogGroups): { change: RatioEstimate; levels: ChangeLevels } {
  const used = groups.filter((g) => g.length > 0);
  const components = varianceComponents(used);
  const rounds = sum(used.map((g) => g.length));
  const sdPct = (variance: number) => (Number.isNaN(variance) ? Number.NaN : Math.sqrt(variance) * 100);
  const base = { blocks: used.length, rounds, roundSdPct: sdPct(components.round), processSdPct: sdPct(components.process) };
  const ratio = (center: number, half: number): RatioEstimate => ({
    ratio: Math.exp(center),
    low: Math.exp(center - half),
    high: Math.exp(center + half),
    confidence: 0.95,
    resamples: 0,
  });
  if (used.length === 0) return { change: ratio(Number.NaN, Number.NaN), levels: { ...base, method: 'blocks-t', df: 0 } };
  if (used.length === 1) {
    const xs = used[0];
    const df = xs.length - 1;
    const half = df >= 1 ? (studentT975(df) * Math.sqrt(components.round)) / Math.sqrt(xs.length) : Number.NaN;
    return { change: ratio(mean(xs), half), levels: { ...base, method: 'rounds-one-process', df } };
  }
  const means = used.map(mean);
  const center = mean(means);
  const sd = Math.sqrt(sum(means.map((m) => (m - center) ** 2)) / (means.length - 1));
  const df = means.length - 1;
  return { change: ratio(center, (studentT975(df) * sd) / Math.sqrt(means.length)), levels: { ...base, method: 'blocks-t', df } };
}

/** The t test that goes with twoLevelChange: is the mean of the groups' means 0? Two-sided p from the t distribution. */
export function twoLevelT(groups: LogGroups): { t: number; df: number } {
  const means = groups.filter((g) => g.length > 0).map(mean);
  if (means.length < 2) return { t: Number.NaN, df: 0 };
  const center = mean(means);
  const sd = Math.sqrt(sum(means.map((m) => (m - center) ** 2)) / (means.length - 1));
  const t = sd > 0 ? center / (sd / Math.sqrt(means.length)) : center === 0 ? 0 : Math.sign(center) * Number.POSITIVE_INFINITY;
  return { t, df: means.length - 1 };
}

/** The expected 95% half-width, percentage points, of B blocks of R rounds at these components. */
export function expectedHalfWidthPts(c: Pick<VarianceComponents, 'process' | 'round'>, blocks: number, roundsPerBlock: number): number {
  if (blocks < 2) return Number.POSITIVE_INFINITY;
  const perBlock = c.process + (Number.isNaN(c.round) ? 0 : c.round) / roundsPerBlock;
  const half = studentT975(blocks - 1) * Math.sqrt(perBlock / blocks);
  return ((Math.exp(half) - Math.exp(-half)) / 2) * 100;
}

/**
 * Kalibera & Jones' repetitions per level: with a block costing `blockSec` before its first round (start-up,
 * warm-up, settling, flush) and a round `roundSec`, the rounds per block that give the narrowest interval
 * for the time are √(blockSec/roundSec · round variance / process variance), within [min, max].
 */
export function roundsPerBlock(c: Pick<VarianceComponents, 'process' | 'round'>, blockSec: number, roundSec: number, min = 1, max = 8): number {
  if (!(c.round > 0) || !(roundSec > 0)) return min;
  if (!(c.process > 0)) return max;
  const best = Math.sqrt((blockSec / roundSec) * (c.round / c.process));
  return Math.min(max, Math.max(min, Math.round(best)));
}

export interface Reach {
  /** Blocks of `roundsPerBlock` rounds that fit in the time. */
  readonly blocks: number;
  readonly roundsPerBlock: number;
  /** The expected 95% half-width with them, percentage points. */
  readonly halfWidthPts: number;
}

/** What `seconds` can reach at these components: the best split into blocks and rounds (each block at least one round). */
export function reachIn(c: Pick<VarianceComponents, 'process' | 'round'>, seconds: number, blockSec: number, roundSec: number, maxRounds = 8): Reach {
  let best: Reach = { blocks: 0, roundsPerBlock: 1, halfWidthPts: Number.POSITIVE_INFINITY };
  for (let r = 1; r <= maxRounds; r++) {
    const blocks = Math.floor(seconds / (blockSec + r * roundSec));
    const halfWidthPts = expectedHalfWidthPts(c, blocks, r);
    if (halfWidthPts < best.halfWidthPts) best = { blocks, roundsPerBlock: r, halfWidthPts };
  }
  return best;
}

/** Seconds the best split needs to reach ±targetPts at these components; +∞ past an hour. */
export function secondsToReach(c: Pick<VarianceComponents, 'process' | 'round'>, targetPts: number, blockSec: number, roundSec: number): number {
  const r = roundsPerBlock(c, blockSec, roundSec);
  for (let blocks = 2; blocks <= 1000; blocks++) {
    const seconds = blocks * (blockSec + r * roundSec);
    if (seconds > 3600) break;
    if (expectedHalfWidthPts(c, blocks, r) <= targetPts) return seconds;
  }
  return Number.POSITIVE_INFINITY;
}
