// The CI regression gate. It compares tracing's overhead, relative to the untraced baseline measured in
// the same run, so a slower runner does not fail a check by itself; and a metric fails only when its
// change is statistically significant AND reaches its threshold, so noise alone does not either.
// Two modes: against a baseline file saved by an earlier run, or (same run) against the base branch's
// checkout measured in the same rounds, which the overhead's drift between runs cannot reach.
import { baseVariantName } from '../sut/base-checkout.ts';
import { baselineFinder, comparedMetrics, median, roundPairs } from './summary.ts';
import { secondsToReach, twoLevelChange, twoLevelT, varianceComponents } from './levels.ts';
import { bootstrapRatioOfMedians, mannWhitneyU, pairedRatioTest, significanceWarning, studentTTwoSidedP } from './stats.ts';
import type {
  BaselineFile,
  ComparedMetric,
  GateSamples,
  GateOutcome,
  GateThresholds,
  GatedMetric,
  RatioEstimate,
  RunDocument,
  TrialResult,
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
  // Delivery is known only when the collector is ours, the service counted its spans, and something was sampled.
  out.deliveryRatio = variant.lives.flatMap((l) => (l.collector !== null && l.final.spans && l.final.spans.ended > 0 ? [l.collector.spans / l.final.spans.ended] : []));
  return out;
}

/** This tree's traced variants' samples, each against its own baseline (a same-run check's base variants are not this tree's). */
export function gateSamples(run: RunDocument): GateSamples {
  const byName = new Map(run.variants.map((v) => [v.name, v]));
  const out: GateSamples = {};
  for (const v of run.variants) {
    // A baseline (the run's, or another runtime's untraced) has nothing to compare with.
    if (v.tree === 'base' || v.comparison.cpuUsPerRequest.change === null) continue;
    out[v.name] = samplesOf(v, byName.get(v.comparedWith ?? run.baseline)!);
  }
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
      const test = { method: 'mann-whitney' as const, ...mannWhitneyU(a, b) };
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
        undecided: isUndecided(significant && exceedsThreshold, high, thresholds[metric]),
      });
    }
  }
  const smallest = rows.reduce((min, r) => (r.test.method === 'mann-whitney' ? Math.min(min, r.test.n1, r.test.n2) : min), Number.POSITIVE_INFINITY);
  const small = Number.isFinite(smallest) ? significanceWarning(smallest, smallest, alpha) : undefined;
  if (small) notes.push(`${smallest} samples per side: ${small}; this check cannot fail`);
  if (rows.length === 0) notes.push('nothing was compared: the run and the baseline share no variant with samples; save a new baseline');
  notes.push(
    'against a saved baseline the overhead itself drifts between runs, which no interval here includes (docs/gate.md measures it); ' +
      'where the base branch can be run, check against its checkout instead (--check DIR)',
  );
  return verdictOf('saved-baseline', rows, notes);
}

/**
 * A check that compared nothing must not pass: a gate that checks nothing is a gate switched off. A row
 * that did not fail but whose interval reaches past its threshold leaves the check undecided.
 */
function verdictOf(mode: Verdict['mode'], rows: VerdictRow[], notes: string[]): Verdict {
  const failures = rows.filter((r) => r.failed);
  const outcome: GateOutcome = rows.length === 0 ? 'fail' : outcomeOf(rows);
  return { mode, outcome, passed: outcome === 'pass', rows, failures, notes };
}

/** fail when a row failed, undecided when none did but one could not rule out its threshold, else pass. */
function outcomeOf(rows: readonly VerdictRow[]): GateOutcome {
  if (rows.some((r) => r.failed)) return 'fail';
  return rows.some((r) => r.undecided) ? 'undecided' : 'pass';
}

/** Not failed, yet a regression of the threshold's size is inside the interval. */
const isUndecided = (failed: boolean, high: number, threshold: number) => !failed && high > threshold;

/** A variant's overhead over its baseline per round (the baseline's trial beside it, or of the same round), with the round's block. */
function overheadByRound(variant: VariantResult, baseline: VariantResult, read: (t: TrialResult) => number): Map<number, { overhead: number; block: string }> {
  const find = baselineFinder(baseline.trials);
  const out = new Map<number, { overhead: number; block: string }>();
  for (const t of variant.trials) {
    const b = find(t);
    if (b !== undefined) out.set(t.trial, { overhead: read(t) / read(b), block: t.block === undefined ? `round ${t.trial}` : `block ${t.block}` });
  }
  return out;
}

/**
 * The same-run check: every variant of this tree against the base checkout's variant of the same name,
 * measured in the same rounds. Per round, this tree's overhead (over its untraced) divided by the base's;
 * the mean over blocks of their geometric means, with a Student-t interval over the blocks. A metric
 * fails when the change is significant (its interval above zero) and the interval reaches the threshold:
 * a regression of the threshold's size cannot be ruled out. With the process level in it the interval is
 * meant to hold A/A runs as often as it says (docs/findings.md), so its worse end, not the point
 * estimate, is held against the threshold; not failed but reaching past it is undecided.
 */
export function checkSameRun(run: RunDocument, thresholds: GateThresholds, alpha = defaultAlpha): Verdict {
  const byName = new Map(run.variants.map((v) => [v.name, v]));
  const ours = byName.get(run.baseline)!;
  const theirs = byName.get(baseVariantName(run.baseline));
  const rows: VerdictRow[] = [];
  const notes: string[] = [];
  if (!theirs) return verdictOf('same-run', [], [`the run has no base variants (${baseVariantName(run.baseline)} is missing): nothing was compared`]);
  for (const v of run.variants) {
    if (v.tree === 'base' || v === ours) continue;
    const base = byName.get(baseVariantName(v.name));
    if (!base) {
      notes.push(`variant '${v.name}' has no base counterpart: not checked`);
      continue;
    }
    for (const metric of overheadMetrics) {
      const read = comparedMetrics[metric];
      const after = overheadByRound(v, ours, read);
      const before = overheadByRound(base, theirs, read);
      const pairs = [...after].flatMap(([round, o]) => (before.has(round) ? [{ after: o.overhead, before: before.get(round)!.overhead, block: o.block }] : []));
      if (pairs.length < 2) continue;
      const sign = metricRules[metric].worse === 'up' ? 1 : -1;
      const pct = (x: number) => (x - 1) * 100 * sign;
      // Both trees' processes of a block are fresh together: the interval is over blocks, so the twins'
      // process-to-process offset is in it (with one block, over its rounds only).
      const groups = new Map<string, number[]>();
      for (const p of pairs) if (p.after > 0 && p.before > 0) groups.set(p.block, [...(groups.get(p.block) ?? []), Math.log(p.after / p.before)]);
      const { change: estimate, levels } = twoLevelChange([...groups.values()]);
      const [low, high] = [pct(estimate.low), pct(estimate.high)].sort((x, y) => x - y);
      const test = levels.method === 'blocks-t' ? blockTest([...groups.values()]) : pairedRatioTest(pairs.map((p) => [p.after, p.before] as [number, number]));
      const change = pct(estimate.ratio);
      const significant = test.p < alpha && change > 0;
      const exceedsThreshold = high > thresholds[metric];
      const undecided = isUndecided(significant && exceedsThreshold, high, thresholds[metric]);
      rows.push({
        variant: v.name,
        metric,
        label: metricRules[metric].label,
        unit: '%',
        before: geometricMean(pairs.map((p) => p.before)),
        after: geometricMean(pairs.map((p) => p.after)),
        change,
        low,
        high,
        test: { method: 'paired-t', ...test },
        threshold: thresholds[metric],
        significant,
        exceedsThreshold,
        failed: significant && exceedsThreshold,
        undecided,
        // The time that would narrow the interval to the distance between the change and the threshold.
        ...(undecided ? { neededSec: timeToDecide([...groups.values()], thresholds[metric] - Math.max(0, change), run.design) } : {}),
      });
    }
    // The summaries' delivery: received ÷ ended over every process, null where not known.
    const [after, before] = [v.summary.deliveryRatio, base.summary.deliveryRatio];
    if (after !== null && before !== null) {
      // Exact counts from the collectors: no sampling noise to test against.
      const change = (before - after) * 100;
      rows.push({
        variant: v.name,
        metric: 'deliveryRatio',
        label: metricRules.deliveryRatio.label,
        unit: 'pp',
        before,
        after,
        change,
        low: change,
        high: change,
        test: { method: 'counts', p: Number.NaN },
        threshold: thresholds.deliveryRatio,
        significant: change > 0,
        exceedsThreshold: change > thresholds.deliveryRatio,
        failed: change > thresholds.deliveryRatio,
      });
    }
  }
  if (rows.length === 0) notes.push('nothing was compared: no variant of this tree had two rounds beside its base counterpart');
  return verdictOf('same-run', rows, notes);
}

/** The t test over blocks that goes with twoLevelChange, in the gate's paired-t shape (rounds: the blocks tested). */
function blockTest(groups: number[][]): { t: number; rounds: number; p: number } {
  const { t, df } = twoLevelT(groups);
  return { t, rounds: df + 1, p: studentTTwoSidedP(t, df) };
}

/** Seconds of blocks and rounds that would likely bring a two-level interval to ±targetPts at its own variance components (null: over an hour, or the run's costs are unknown). */
function timeToDecide(groups: number[][], targetPts: number, design: RunDocument['design'] | undefined): number | null {
  const [blockSec, roundSec] = [design?.blockOverheadSec, design?.roundSec];
  if (!(targetPts > 0) || blockSec === undefined || roundSec === undefined || !(roundSec > 0)) return null;
  const seconds = secondsToReach(varianceComponents(groups), targetPts, blockSec, roundSec);
  return Number.isFinite(seconds) ? seconds : null;
}

function geometricMean(values: readonly number[]): number {
  return Math.exp(values.reduce((a, x) => a + Math.log(x), 0) / values.length);
}

/**
 * The verdict after a confirmation rerun of the failing variants: a metric fails only when it failed
 * in the first run and again in the rerun, so a one-off noisy run does not fail the check.
 */
export function confirmVerdict(first: Verdict, rerun: Verdict): Verdict {
  const key = (r: VerdictRow) => `${r.variant}\u0000${r.metric}`;
  const again = new Set(rerun.rows.filter((r) => r.failed).map(key));
  // A failure the rerun did not repeat takes the rerun's word: cleared, or undecided where the rerun's interval still reaches past the threshold.
  const open = new Set(rerun.rows.filter((r) => r.undecided).map(key));
  const rows = first.rows.map((r) => (r.failed && !again.has(key(r)) ? { ...r, failed: false, undecided: open.has(key(r)) } : r));
  const failures = rows.filter((r) => r.failed);
  const cleared = first.failures.length - failures.length;
  const notes = [
    ...first.notes,
    `confirmation rerun of ${[...new Set(first.failures.map((r) => r.variant))].join(', ')}: ${failures.length} of ${first.failures.length} failures confirmed${cleared > 0 ? `, ${cleared} cleared as noise` : ''}`,
  ];
  const outcome = outcomeOf(rows);
  return { mode: first.mode, outcome, passed: outcome === 'pass', rows, failures, notes };
}
