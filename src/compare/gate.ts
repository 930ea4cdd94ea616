// The CI regression gate. It compares tracing's overhead, relative to the untraced baseline measured in
// the same run, so a slower runner does not fail a check by itself; and a metric fails only when its
// change is statistically significant AND larger than its threshold, so noise alone does not either.
import { comparedMetrics, median, roundPairs } from './summary.ts';
import { bootstrapRatioOfMedians, mannWhitneyU, significanceWarning } from './stats.ts';
import type {
  BaselineFile,
  ComparedMetric,
  GateSamples,
  GateThresholds,
  GatedMetric,
  RatioEstimate,
  RunDocument,
  VariantResult,
  Verdict,
  VerdictRow,
} from '../model/index.ts';

export const defaultGateThresholds: GateThresholds = {
  cpuUsPerRequest: 5,
  serverTimeP99: 10,
  requestsPerSec: 5,
  deliveryRatio: 0.1,
};
export const defaultAlpha = 0.05;

/** Every gated metric (a record above, so none can be missing). */
export const gatedMetrics = Object.keys(defaultGateThresholds) as GatedMetric[];

/** Which way is worse, and what one sample is: overhead (variant / untraced, one per round) or delivery (one per service process). */
const metricRules: Record<GatedMetric, { worse: 'up' | 'down'; unit: '%' | 'pp'; label: string }> = {
  cpuUsPerRequest: { worse: 'up', unit: '%', label: 'CPU µs/request overhead' },
  serverTimeP99: { worse: 'up', unit: '%', label: 'server p99 overhead' },
  requestsPerSec: { worse: 'down', unit: '%', label: 'requests/s relative to untraced' },
  deliveryRatio: { worse: 'down', unit: 'pp', label: 'delivery' },
};

/** The gated metrics that are overheads: each is also a compared metric of the same name. */
const overheadMetrics = ['cpuUsPerRequest', 'serverTimeP99', 'requestsPerSec'] as const satisfies readonly (GatedMetric & ComparedMetric)[];

function samplesOf(variant: VariantResult, baseline: VariantResult): Record<GatedMetric, number[]> {
  const out = {} as Record<GatedMetric, number[]>;
  for (const metric of overheadMetrics) {
    out[metric] = roundPairs(variant.trials, baseline.trials, comparedMetrics[metric]).map(([v, b]) => v / b);
  }
  // Delivery is known only when the collector is ours and something was sampled.
  out.deliveryRatio = variant.lives
    .filter((l) => l.collector !== null && l.final.spans.ended > 0)
    .map((l) => l.collector!.spans / l.final.spans.ended);
  return out;
}

export function gateSamples(run: RunDocument): GateSamples {
  const baseline = run.variants.find((v) => v.name === run.baseline)!;
  const out: GateSamples = {};
  for (const v of run.variants) if (v !== baseline) out[v.name] = samplesOf(v, baseline);
  return out;
}

export const baselineFileKind: BaselineFile['kind'] = 'tracetax-baseline';

export function baselineFromRun(run: RunDocument): BaselineFile {
  return {
    kind: baselineFileKind,
    schemaVersion: 1,
    scenario: run.scenario.name,
    createdAt: run.finishedAt,
    environment: run.environment,
    trials: run.design.roundsRun,
    samples: gateSamples(run),
  };
}

/** Change of `after` against `before`, worse-positive, with its interval. */
function worseChange(metric: GatedMetric, before: number[], after: number[]): { change: number; low: number; high: number } {
  const sign = metricRules[metric].worse === 'up' ? 1 : -1;
  if (metricRules[metric].unit === 'pp') {
    // Delivery is a fraction already; its change is a difference, shown in percentage points.
    const diff = (median(after) - median(before)) * 100 * sign;
    return { change: diff, low: diff, high: diff };
  }
  const r: RatioEstimate = bootstrapRatioOfMedians(after, before);
  const pct = (x: number) => (x - 1) * 100 * sign;
  const [a, b] = [pct(r.low), pct(r.high)].sort((x, y) => x - y);
  return { change: pct(r.ratio), low: a, high: b };
}

export function checkAgainstBaseline(current: GateSamples, baseline: BaselineFile, thresholds: GateThresholds, alpha = defaultAlpha): Verdict {
  const rows: VerdictRow[] = [];
  const notes: string[] = [];
  for (const name of Object.keys(baseline.samples)) if (!(name in current)) notes.push(`variant '${name}' is in the baseline but not in this run: not checked`);
  for (const [name, metrics] of Object.entries(current)) {
    const before = baseline.samples[name];
    if (!before) {
      notes.push(`variant '${name}' is not in the baseline: not checked (save a new baseline to include it)`);
      continue;
    }
    for (const metric of gatedMetrics) {
      const [b, a] = [before[metric] ?? [], metrics[metric]];
      if (b.length === 0 || a.length === 0) continue;
      const test = mannWhitneyU(a, b);
      const { change, low, high } = worseChange(metric, b, a);
      const significant = test.p < alpha;
      const exceedsThreshold = change > thresholds[metric];
      rows.push({
        variant: name,
        metric,
        label: metricRules[metric].label,
        unit: metricRules[metric].unit,
        before: median(b),
        after: median(a),
        change,
        low,
        high,
        test,
        threshold: thresholds[metric],
        significant,
        exceedsThreshold,
        failed: significant && exceedsThreshold,
      });
    }
  }
  const smallest = rows.reduce((min, r) => Math.min(min, r.test.n1, r.test.n2), Number.POSITIVE_INFINITY);
  const small = Number.isFinite(smallest) ? significanceWarning(smallest, smallest, alpha) : undefined;
  if (small) notes.push(`${smallest} samples per side: ${small}; this check cannot fail`);
  if (rows.length === 0) notes.push('nothing was compared: the run and the baseline share no variant with samples; save a new baseline');
  const failures = rows.filter((r) => r.failed);
  // A check that compared nothing must not pass: a gate that checks nothing is a gate switched off.
  return { passed: failures.length === 0 && rows.length > 0, rows, failures, notes };
}

/**
 * The verdict after a confirmation rerun of the failing variants: a metric fails only when it failed
 * in the first run and again in the rerun, so a one-off noisy run does not fail the check.
 */
export function confirmVerdict(first: Verdict, rerun: Verdict): Verdict {
  const key = (r: VerdictRow) => `${r.variant}\u0000${r.metric}`;
  const again = new Set(rerun.rows.filter((r) => r.failed).map(key));
  const rows = first.rows.map((r) => (r.failed && !again.has(key(r)) ? { ...r, failed: false } : r));
  const failures = rows.filter((r) => r.failed);
  const cleared = first.failures.length - failures.length;
  const notes = [
    ...first.notes,
    `confirmation rerun of ${[...new Set(first.failures.map((r) => r.variant))].join(', ')}: ${failures.length} of ${first.failures.length} failures confirmed${cleared > 0 ? `, ${cleared} cleared as noise` : ''}`,
  ];
  return { passed: failures.length === 0, rows, failures, notes };
}
