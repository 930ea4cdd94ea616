// The floor and the per-trace cost: for the ratio variants of one sampler, Δ = floor + ratio × perTrace
// by least squares over each variant's median change against the baseline of the same round; intervals
// by resampling whole rounds, so the drift a round shares with its baseline stays paired.
import type { ComparedMetric, FitPoint, Interval, SamplingFit, TrialResult } from '../model/index.ts';
import { mulberry32 } from './stats.ts';
import { baselineFinder, comparedMetrics, median } from './summary.ts';

export interface FitInput {
  readonly family: string;
  /** The family's ratio variants: name, sampling ratio, trials. */
  readonly variants: readonly { readonly name: string; readonly ratio: number; readonly trials: readonly TrialResult[] }[];
  readonly baseline: readonly TrialResult[];
  readonly spansPerTrace: number;
}

const fittedMetrics = ['cpuUsPerRequest', 'serverTimeP50'] as const satisfies readonly ComparedMetric[];
const resamples = 4000;
const confidence = 0.95;
const seed = 0xf17;

/** Least squares line through (x, y): intercept and slope; NaN when the xs do not vary. */
export function leastSquares(xs: readonly number[], ys: readonly number[]): { intercept: number; slope: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  const slope = sxx > 0 ? sxy / sxx : Number.NaN;
  return { intercept: my - slope * mx, slope };
}

/** Per round (trial number), the variant's value minus its baseline's (the same round's, or its pair's). */
function roundDeltas(trials: readonly TrialResult[], baseline: readonly TrialResult[], metric: (t: TrialResult) => number): Map<number, number> {
  const find = baselineFinder(baseline);
  const out = new Map<number, number>();
  for (const t of trials) {
    const b = find(t);
    const d = b === undefined ? Number.NaN : metric(t) - metric(b);
    if (Number.isFinite(d)) out.set(t.trial, d);
  }
  return out;
}

function percentileInterval(value: number, draws: Float64Array): Interval {
  const sorted = Float64Array.from(draws.filter((x) => Number.isFinite(x))).sort();
  if (sorted.length === 0) return { value, low: Number.NaN, high: Number.NaN };
  const k = Math.floor(((1 - confidence) / 2) * sorted.length);
  return { value, low: sorted[k], high: sorted[sorted.length - 1 - k] };
}

/** The fit of one metric; null when fewer than two distinct ratios have a change. */
export function fitFamily(input: FitInput, metric: (typeof fittedMetrics)[number]): SamplingFit | null {
  const read = comparedMetrics[metric];
  const deltas = input.variants.map((v) => roundDeltas(v.trials, input.baseline, read));
  const used = input.variants.map((v, i) => ({ ...v, deltas: deltas[i] })).filter((v) => v.deltas.size > 0);
  if (new Set(used.map((v) => v.ratio)).size < 2) return null;
  const rounds = [...new Set(used.flatMap((v) => [...v.deltas.keys()]))].sort((a, b) => a - b);
  const xs = used.map((v) => v.ratio);
  const line = (medians: readonly number[]) => leastSquares(xs, medians);
  const medianOver = (d: Map<number, number>, picked: readonly number[]) => median(picked.flatMap((r) => (d.has(r) ? [d.get(r)!] : [])));

  const point = used.map((v) => medianOver(v.deltas, rounds));
  const fitted = line(point);
  // Resample whole rounds: every variant of a drawn round comes along with that round's baseline.
  const random = mulberry32(seed);
  const floors = new Float64Array(resamples);
  const slopes = new Float64Array(resamples);
  const perVariant = used.map(() => new Float64Array(resamples));
  for (let s = 0; s < resamples; s++) {
    const picked = rounds.map(() => rounds[Math.floor(random() * rounds.length)]);
    const medians = used.map((v) => medianOver(v.deltas, picked));
    medians.forEach((m, i) => (perVariant[i][s] = m));
    const l = medians.every(Number.isFinite) ? line(medians) : { intercept: Number.NaN, slope: Number.NaN };
    floors[s] = l.intercept;
    slopes[s] = l.slope;
  }
  const points: FitPoint[] = used.map((v, i) => {
    const measured = percentileInterval(point[i], perVariant[i]);
    const onLine = fitted.intercept + fitted.slope * v.ratio;
    return { variant: v.name, ratio: v.ratio, measured, fitted: onLine, offLine: onLine < measured.low || onLine > measured.high };
  });
  const perTrace = percentileInterval(fitted.slope, slopes);
  const baseline = median(input.baseline.map(read));
  return {
    family: input.family,
    metric,
    floor: percentileInterval(fitted.intercept, floors),
    floorPctOfBaseline: (fitted.intercept / baseline) * 100,
    perTrace,
    perSpan: { value: perTrace.value / input.spansPerTrace, low: perTrace.low / input.spansPerTrace, high: perTrace.high / input.spansPerTrace },
    points,
    straight: points.every((p) => !p.offLine),
    rounds: rounds.length,
  };
}

/** Every fitted metric of every family that has two ratios or more. */
export function fitFamilies(families: readonly FitInput[]): SamplingFit[] {
  return families.flatMap((f) => fittedMetrics.flatMap((metric) => fitFamily(f, metric) ?? []));
}
