// Statistics over trials, in the manner of benchstat: a trial is the unit, samples are small, nothing is
// assumed about the distribution. Pure and deterministic: the bootstraps draw from a seeded generator.
// Every function ignores NaN values (a failed trial's missing metric); the paired bootstrap drops a pair
// when either of its values is NaN.
import type { MannWhitney, MedianEstimate, RatioEstimate } from '../model/index.ts';

export interface BootstrapOptions {
  /** 10,000 unless given. */
  resamples?: number;
  /** 0.95 unless given. */
  confidence?: number;
  /** Seed of the generator; a fixed default, so the same inputs always give the same interval. */
  seed?: number;
}

const DEFAULT_SEED = 0x7ace7a;
/** Exact Mann–Whitney distribution up to this many values per sample (when there are no ties). */
const EXACT_LIMIT = 50;

/** mulberry32: a tiny seeded generator of uniform numbers in [0, 1), so resampling is reproducible. */
export function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Median with a distribution-free confidence interval from order statistics, as benchstat does: the
 * narrowest symmetric pair [x(k), x(n+1−k)] whose binomial coverage is >= `confidence`. When n is too small
 * for that, [min, max] with the lower coverage it achieves. n = 0 gives NaNs; n = 1 a zero-width interval of
 * coverage 0.
 */
export function medianCI(values: readonly number[], confidence = 0.95): MedianEstimate {
  checkProbability('confidence', confidence);
  const sorted = withoutNaN(values).sort((x, y) => x - y);
  const n = sorted.length;
  if (n === 0) return { median: NaN, low: NaN, high: NaN, n, confidence: NaN };
  // [x(k), x(n+1−k)] misses the median when fewer than k values, or more than n−k, fall below it:
  // coverage(k) = 1 − 2·P(B ≤ k−1) with B ~ Binomial(n, ½). Narrow from [min, max] while it still holds;
  // when even [min, max] falls short, it stays at k = 1 with the coverage it has.
  const pmf = halfBinomialPmf(n);
  let k = 1;
  let tail = pmf();
  while (k < (n + 1) / 2) {
    const next = tail + pmf();
    if (1 - 2 * next < confidence) break;
    tail = next;
    k++;
  }
  return { median: sortedMedian(sorted), low: sorted[k - 1], high: sorted[n - k], n, confidence: 1 - 2 * tail };
}

/**
 * Two-sided Mann–Whitney U test of a against b: do the trials of one tend to be larger? Exact (counting
 * every ordering) when there are no ties and both samples have at most 50 values; otherwise the normal
 * approximation with tie and continuity corrections. Identical samples give p = 1.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitney {
  const xs = withoutNaN(a);
  const ys = withoutNaN(b);
  const n1 = xs.length;
  const n2 = ys.length;
  if (n1 === 0 || n2 === 0) return { u: NaN, p: NaN, n1, n2, exact: false };

  // Mid-ranks over both samples; U of a is its rank sum less the smallest possible rank sum.
  const all = [...xs.map((value) => ({ value, fromA: true })), ...ys.map((value) => ({ value, fromA: false }))];
  all.sort((x, y) => x.value - y.value);
  let rankSumA = 0;
  let tieTerm = 0; // Σ (t³ − t) over groups of t equal values
  for (let start = 0; start < all.length; ) {
    let end = start + 1;
    while (end < all.length && all[end].value === all[start].value) end++;
    const t = end - start;
    const midRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) if (all[i].fromA) rankSumA += midRank;
    tieTerm += t ** 3 - t;
    start = end;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;

  if (tieTerm === 0 && n1 <= EXACT_LIMIT && n2 <= EXACT_LIMIT) {
    // U is symmetric about n1·n2/2: p = 2·P(U ≤ the smaller of u and n1·n2 − u).
    const counts = exactUCounts(n1, n2);
    const extreme = Math.min(u, n1 * n2 - u);
    let below = 0;
    let total = 0;
    counts.forEach((count, value) => {
      total += count;
      if (value <= extreme) below += count;
    });
    return { u, p: Math.min(1, (2 * below) / total), n1, n2, exact: true };
  }

  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, p: 1, n1, n2, exact: false }; // every value equal
  const z = Math.max(0, Math.abs(u - (n1 * n2) / 2) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, erfc(z / Math.SQRT2)), n1, n2, exact: false };
}

/**
 * The smallest two-sided p-value the exact test can give for samples of n1 and n2 values,
 * 2 / C(n1+n2, n1): when it is >= alpha, no difference can ever be significant (3+3 → 0.1).
 */
export function minimumPValue(n1: number, n2: number): number {
  const n = n1 + n2;
  const k = Math.min(n1, n2);
  let combinations = 1;
  for (let i = 1; i <= k; i++) combinations = (combinations * (n - k + i)) / i;
  return Math.min(1, 2 / combinations);
}

/**
 * median(a) / median(b) with a percentile-bootstrap interval: each sample's trials are resampled with
 * replacement, independently. For unpaired trials; meant for positive values (a zero baseline gives ∞/NaN).
 */
export function bootstrapRatioOfMedians(a: readonly number[], b: readonly number[], options: BootstrapOptions = {}): RatioEstimate {
  const xs = withoutNaN(a);
  const ys = withoutNaN(b);
  const point = xs.length > 0 && ys.length > 0 ? sortedMedian([...xs].sort((x, y) => x - y)) / sortedMedian([...ys].sort((x, y) => x - y)) : NaN;
  const scratchA = new Float64Array(xs.length);
  const scratchB = new Float64Array(ys.length);
  return bootstrap(point, options, (random) => resampledMedian(xs, scratchA, random) / resampledMedian(ys, scratchB, random));
}

/**
 * The paired ratio: pairs[i] = [variant, baseline] measured in the same round, so slow drift of the machine
 * cancels. Estimate = median of the per-pair ratios; interval by resampling whole pairs.
 */
export function bootstrapPairedRatio(pairs: readonly (readonly [number, number])[], options: BootstrapOptions = {}): RatioEstimate {
  const ratios = pairs.filter(([v, base]) => !Number.isNaN(v) && !Number.isNaN(base)).map(([v, base]) => v / base);
  const point = ratios.length > 0 ? sortedMedian([...ratios].sort((x, y) => x - y)) : NaN;
  const scratch = new Float64Array(ratios.length);
  return bootstrap(point, options, (random) => resampledMedian(ratios, scratch, random));
}

/** "1,234 ± 3%": the median and the larger side of its interval as a percent of it; "1,234 ± ∞" when n = 1. */
export function formatEstimate(e: MedianEstimate): string {
  if (e.n === 0) return '–';
  if (e.n === 1) return `${formatNumber(e.median)} ± ∞`;
  const halfWidth = Math.max(e.high - e.median, e.median - e.low);
  return `${formatNumber(e.median)} ± ${halfWidth === 0 ? '0%' : formatPercent((halfWidth / Math.abs(e.median)) * 100)}`;
}

/**
 * Student's t quantile for a two-sided 95% interval: table values up to 4 degrees of freedom, the
 * Cornish–Fisher expansion around the normal's 1.959964 beyond (error below 0.05% from 5 on).
 */
export function studentT975(df: number): number {
  if (!(df >= 1)) return Number.NaN;
  const table = [12.7062, 4.30265, 3.18245, 2.77645];
  if (df <= table.length && Number.isInteger(df)) return table[df - 1];
  const z = 1.959964;
  const [z3, z5, z7, z9] = [z ** 3, z ** 5, z ** 7, z ** 9];
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3) +
    (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * df ** 4)
  );
}

/**
 * The paired ratio as the geometric mean of the rounds' variant ÷ baseline, with a Student-t 95% interval
 * on the log scale. Measured here (bench/designs.ts) it keeps its coverage with few rounds, where the
 * bootstrap of the median's interval collapses (3 rounds can resample to one value). resamples is 0:
 * nothing is resampled. Fewer than two usable pairs give NaN bounds.
 */
export function pairedRatioT(pairs: readonly (readonly [number, number])[]): RatioEstimate {
  const { n, mean, sd } = logRatios(pairs);
  if (n < 2) return { ratio: Math.exp(mean), low: Number.NaN, high: Number.NaN, confidence: 0.95, resamples: 0 };
  const half = (studentT975(n - 1) * sd) / Math.sqrt(n);
  return { ratio: Math.exp(mean), low: Math.exp(mean - half), high: Math.exp(mean + half), confidence: 0.95, resamples: 0 };
}

/** The t test that goes with pairedRatioT: is the geometric mean of the ratios 1? Two-sided p; NaN below two pairs. */
export function pairedRatioTest(pairs: readonly (readonly [number, number])[]): { t: number; rounds: number; p: number } {
  const { n, mean, sd } = logRatios(pairs);
  if (n < 2) return { t: Number.NaN, rounds: n, p: Number.NaN };
  const t = sd > 0 ? mean / (sd / Math.sqrt(n)) : mean === 0 ? 0 : Math.sign(mean) * Number.POSITIVE_INFINITY;
  return { t, rounds: n, p: studentTTwoSidedP(t, n - 1) };
}

/** Mean and standard deviation of log(variant / baseline) over the usable pairs. */
export function logRatios(pairs: readonly (readonly [number, number])[]): { n: number; mean: number; sd: number } {
  const logs = pairs.filter(([v, base]) => v > 0 && base > 0).map(([v, base]) => Math.log(v / base));
  const n = logs.length;
  const mean = n > 0 ? logs.reduce((a, b) => a + b, 0) / n : Number.NaN;
  const sd = n > 1 ? Math.sqrt(logs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : Number.NaN;
  return { n, mean, sd };
}

/** Two-sided p-value of Student's t with df degrees of freedom: I_{df/(df+t²)}(df/2, 1/2). */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** ln Γ(x), x > 0: Lanczos' approximation (g = 7, 9 terms), good to about 15 digits. */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let a = c[0];
  for (let i = 1; i < c.length; i++) a += c[i] / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** I_x(a, b) by its continued fraction (modified Lentz), on the side of x where it converges fast. */
function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(x, a, b)) / a : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const guard = (v: number) => (Math.abs(v) < tiny ? tiny : v);
  let c = 1;
  let d = 1 / guard(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 / guard(1 + even * d);
    c = guard(1 + even / c);
    h *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 / guard(1 + odd * d);
    c = guard(1 + odd / c);
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** "+10.0% [+8.2%, +12.1%]": a ratio estimate as a change in percent with its interval. */
export function formatRatio(r: RatioEstimate): string {
  const pct = (x: number) => signedPercent((x - 1) * 100);
  return `${pct(r.ratio)} [${pct(r.low)}, ${pct(r.high)}]`;
}

/** benchstat's footnote when an estimate's interval falls short of the requested confidence, else undefined. */
export function confidenceWarning(e: MedianEstimate, confidence = 0.95): string | undefined {
  checkProbability('confidence', confidence);
  if (e.confidence >= confidence) return undefined;
  let n = 1;
  while (1 - 2 ** (1 - n) < confidence) n++; // [min, max] of n values covers with 1 − 2·2^−n
  return `need >= ${n} samples for confidence interval at level ${confidence}`;
}

/** benchstat's footnote when samples this small can never show a significant difference, else undefined. */
export function significanceWarning(n1: number, n2: number, alpha = 0.05): string | undefined {
  checkProbability('alpha', alpha);
  if (minimumPValue(n1, n2) < alpha) return undefined;
  let n = 1;
  while (minimumPValue(n, n) >= alpha) n++;
  return `need >= ${n} samples to detect a difference at alpha level ${alpha}`;
}

function bootstrap(point: number, options: BootstrapOptions, resampledStatistic: (random: () => number) => number): RatioEstimate {
  const { resamples = 10_000, confidence = 0.95, seed = DEFAULT_SEED } = options;
  checkProbability('confidence', confidence);
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, not ${resamples}`);
  if (Number.isNaN(point)) return { ratio: NaN, low: NaN, high: NaN, confidence, resamples };
  const random = mulberry32(seed);
  const statistics = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) statistics[r] = resampledStatistic(random);
  statistics.sort();
  const lowIndex = Math.floor(((1 - confidence) / 2) * resamples);
  return { ratio: point, low: statistics[lowIndex], high: statistics[resamples - 1 - lowIndex], confidence, resamples };
}

function resampledMedian(values: readonly number[], scratch: Float64Array, random: () => number): number {
  for (let i = 0; i < scratch.length; i++) scratch[i] = values[Math.floor(random() * values.length)];
  return sortedMedian(scratch.sort());
}

/**
 * counts[u] = how many of the C(n1+n2, n1) orderings of the two samples give U = u. The largest value is
 * either from a (beating all n2 of b) or from b: G(i, j)[u] = G(i−1, j)[u − j] + G(i, j−1)[u].
 */
function exactUCounts(n1: number, n2: number): Float64Array {
  let previous = Array.from({ length: n2 + 1 }, () => Float64Array.of(1)); // i = 0: U = 0
  for (let i = 1; i <= n1; i++) {
    const row = [Float64Array.of(1)]; // j = 0: U = 0
    for (let j = 1; j <= n2; j++) {
      const counts = new Float64Array(i * j + 1);
      counts.set(row[j - 1]);
      previous[j].forEach((count, u) => (counts[u + j] += count));
      row.push(counts);
    }
    previous = row;
  }
  return previous[n2];
}

/** P(B = 0), P(B = 1), … for B ~ Binomial(n, ½), one per call: exact products, logarithms once 2^−n underflows. */
function halfBinomialPmf(n: number): () => number {
  let i = 0;
  if (n <= 1000) {
    let p = 2 ** -n;
    return () => {
      const value = p;
      p = (p * (n - i)) / (i + 1);
      i++;
      return value;
    };
  }
  let logP = -n * Math.LN2;
  return () => {
    const value = Math.exp(logP);
    logP += Math.log((n - i) / (i + 1));
    i++;
    return value;
  };
}

/** Complementary error function (Numerical Recipes' erfcc), fractional error below 1.2e-7. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + z / 2);
  const poly =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

function sortedMedian(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function withoutNaN(values: readonly number[]): number[] {
  return values.filter((v) => !Number.isNaN(v));
}

function checkProbability(name: string, value: number): void {
  if (!(value > 0 && value < 1)) throw new RangeError(`${name} must be between 0 and 1 (exclusive), not ${value}`);
}

/** About three significant digits, grouped: 12,345 · 123 · 12.3 · 1.23 · 0.0123. */
function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toLocaleString('en-US', { maximumFractionDigits: 0 }) : String(Number(value.toPrecision(3)));
}

function formatPercent(pct: number): string {
  if (!Number.isFinite(pct)) return '∞';
  return pct >= 0.95 ? `${Math.round(pct)}%` : `${pct.toFixed(1)}%`;
}

/** The sign convention of the report's change column: "+4.5%", "−3.0%" (U+2212). */
export function signedPercent(pct: number): string {
  if (Number.isNaN(pct)) return '–';
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}%`;
}

