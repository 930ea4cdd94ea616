// A variant's trials and processes → one summary. Throughput and CPU are medians across trials (robust
// to one noisy trial); latency percentiles come from the trials' HDR histograms merged; span counts are
// sums over the variant's service processes.
import { mergeEncoded, percentiles, unknownPercentiles } from '../measure/histogram.ts';
import { totalPauseMs } from '../measure/gc.ts';
import { twoLevelChange, type LogGroups } from './levels.ts';
import { verdictOf } from './precision.ts';
import { mannWhitneyU, medianCI } from './stats.ts';
import type { ComparedMetric, Comparison, MetricComparison, ServiceLife, SpanCounters, TrialResult, VariantSummary } from '../model/index.ts';

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

export function summarizeVariant(trials: readonly TrialResult[], lives: readonly ServiceLife[]): VariantSummary {
  const collectors = lives.map((l) => l.collector);
  const received = collectors.every((c) => c !== null) ? sum(collectors.map((c) => c!.spans)) : null;
  // The service's own span counts, where every process had tracetax's SDK setup to count them.
  const counted = lives.every((l) => l.final.spans !== undefined);
  const spansOf = (pick: (s: SpanCounters) => number) => (counted ? sum(lives.map((l) => pick(l.final.spans!))) : null);
  const started = spansOf((s) => s.started);
  const ended = spansOf((s) => s.ended);
  const handedToExporter = spansOf((s) => s.handedToExporter);
  const requests = sum(lives.map((l) => l.final.requests ?? l.answeredRequests));
  const loadedSec = sum(lives.map((l) => l.loadedSec));
  // Untraced processes have no exporter, hence no queue.
  const waits = lives.flatMap((l) => (l.final.queueWait ? [l.final.queueWait] : []));
  const queued = waits.length > 0 ? { spans: sum(waits.map((w) => w.spans)), totalMs: sum(waits.map((w) => w.totalMs)) } : null;
  const lag = received !== null && received > 0 ? percentiles(mergeEncoded(collectors.map((c) => c!.exportLagHistogram)), 1000) : null;
  const serverTimes = trials.flatMap((t) => (t.window.serverTimeHistogram === undefined ? [] : [t.window.serverTimeHistogram]));
  return {
    trials: trials.length,
    requestsPerSec: median(trials.map((t) => t.load.requestsPerSec)),
    clientLatencyMs: percentiles(mergeEncoded(trials.flatMap((t) => (t.load.latencyHistogram === undefined ? [] : [t.load.latencyHistogram]))), 1000),
    serverTimeUs: serverTimes.length > 0 ? percentiles(mergeEncoded(serverTimes)) : unknownPercentiles,
    cpuUsPerRequest: median(trials.map((t) => t.cpuUsPerRequest)),
    eventLoopUtilization: median(trials.map((t) => t.window.cost.eventLoopUtilization)),
    peakRssBytes: Math.max(...trials.map((t) => t.window.cost.peakRssBytes)),
    peakHeapUsedBytes: Math.max(...trials.map((t) => t.window.cost.peakHeapUsedBytes)),
    failedRequests: sum(trials.map((t) => t.load.errors + t.load.non2xx)),
    requests,
    spansPerRequest: started !== null && requests > 0 ? started / requests : Number.NaN,
    receivedSpansPerRequest: received !== null && requests > 0 ? received / requests : null,
    sampledTraces: spansOf((s) => s.sampledRoots),
    spans: {
      started,
      sampled: spansOf((s) => s.sampled),
      ended,
      dropped: ended !== null && handedToExporter !== null ? ended - handedToExporter : null,
      exported: spansOf((s) => s.exported),
      exportFailed: spansOf((s) => s.exportFailed),
      received,
    },
    deliveryRatio: received !== null && ended !== null && ended > 0 ? received / ended : null,
    receivedSpansPerSec: received === null ? null : received / loadedSec,
    exportLagMs: lag ? { p50: lag.p50, p99: lag.p99 } : null,
    processorSpansPerSec: queued && ended !== null ? ended / loadedSec : null,
    meanQueueWaitMs: queued && queued.spans > 0 ? queued.totalMs / queued.spans : null,
    gc: gcSummary(trials),
    allFlushed: lives.every((l) => l.final.flushed),
  };
}

/** Medians over the trials that measured GC (NaN, shown as '–', where none did). */
function gcSummary(trials: readonly TrialResult[]): VariantSummary['gc'] {
  const measured = trials.flatMap((t) => (t.window.cost.gc ? [{ gc: t.window.cost.gc, seconds: t.window.cost.wallMs / 1000, requests: t.window.requests ?? t.load.requests }] : []));
  return {
    pauseUsPerRequest: median(measured.map((m) => (totalPauseMs(m.gc) * 1000) / m.requests)),
    minorPerSec: median(measured.map((m) => m.gc.minor.count / m.seconds)),
    majorPerSec: median(measured.map((m) => m.gc.major.count / m.seconds)),
  };
}

/** The per-trial metrics compared with the baseline, each a function of one trial. */
export const comparedMetrics: Readonly<Record<ComparedMetric, (t: TrialResult) => number>> = {
  requestsPerSec: (t) => t.load.requestsPerSec,
  clientLatencyP50: (t) => t.load.latencyMs.p50,
  clientLatencyP99: (t) => t.load.latencyMs.p99,
  serverTimeP50: (t) => t.serverTimeUs.p50,
  serverTimeP99: (t) => t.serverTimeUs.p99,
  cpuUsPerRequest: (t) => t.cpuUsPerRequest,
};

/**
 * The baseline trial each variant trial is compared with: the one that ran side by side with it (the
 * pairs design), else the one of the same round.
 */
export function baselineFinder(baseline: readonly TrialResult[]): (t: TrialResult) => TrialResult | undefined {
  const byKey = new Map(baseline.map((b) => [b.pairedWith === undefined ? `${b.trial}` : `${b.trial}|${b.pairedWith}`, b]));
  return (t) => byKey.get(`${t.trial}|${t.variant}`) ?? byKey.get(`${t.trial}`);
}

/** Pairs of (variant, baseline) values measured together; trials without a baseline are left out. */
export function roundPairs(trials: readonly TrialResult[], baseline: readonly TrialResult[], metric: (t: TrialResult) => number): [number, number][] {
  const find = baselineFinder(baseline);
  return trials.flatMap((t) => {
    const b = find(t);
    return b === undefined ? [] : [[metric(t), metric(b)] as [number, number]];
  });
}

/** The process a trial was measured in, as a group key: its block in the pool, or (fresh) its own round. */
const processGroup = (t: TrialResult) => (t.block === undefined ? `round ${t.trial}` : `block ${t.block}`);

/**
 * log(variant ÷ baseline) per round, grouped by the block of processes the round ran in (each round its
 * own group in the fresh design): the input of the two-level interval. Pairs with a value ≤ 0 or NaN are left out.
 */
export function blockGroups(trials: readonly TrialResult[], baseline: readonly TrialResult[], metric: (t: TrialResult) => number): number[][] {
  const find = baselineFinder(baseline);
  const groups = new Map<string, number[]>();
  for (const t of trials) {
    const b = find(t);
    if (b === undefined) continue;
    const [v, base] = [metric(t), metric(b)];
    if (!(v > 0 && base > 0)) continue;
    const key = processGroup(t);
    groups.set(key, [...(groups.get(key) ?? []), Math.log(v / base)]);
  }
  return [...groups.values()];
}

/** A variant's change in one metric against its baseline, with both levels in its interval. */
export function changeOf(trials: readonly TrialResult[], baseline: readonly TrialResult[], metric: (t: TrialResult) => number) {
  return twoLevelChange(blockGroups(trials, baseline, metric) as LogGroups);
}

/** Every metric's estimate, and its change against the baseline with the verdict its interval supports at ±precisionPts. */
export function compareWithBaseline(trials: readonly TrialResult[], baseline: readonly TrialResult[] | null, precisionPts: number): Comparison {
  const out = {} as Record<ComparedMetric, MetricComparison>;
  for (const [name, metric] of Object.entries(comparedMetrics) as [ComparedMetric, (t: TrialResult) => number][]) {
    const values = trials.map(metric);
    const two = baseline ? changeOf(trials, baseline, metric) : null;
    out[name] = {
      estimate: medianCI(values),
      change: two?.change ?? null,
      test: baseline ? mannWhitneyU(values, baseline.map(metric)) : null,
      verdict: two ? verdictOf(two.change, precisionPts) : null,
      levels: two?.levels ?? null,
    };
  }
  return out;
}
