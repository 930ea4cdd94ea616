// The comparison rows every printer shows, computed once from a run document.
import { samplerRatio } from '../tracing/samplers/registry.ts';
import { halfWidthPts } from '../compare/precision.ts';
import { cpuDeltaTrend } from '../compare/trend.ts';
import { confidenceWarning, formatEstimate, signedPercent } from '../compare/stats.ts';
import { num, ratio } from './format.ts';
import { mergeEncoded, percentiles } from '../measure/histogram.ts';
import type { Interval, MetricComparison, RoundsSetting, RunDocument, SamplingFit, TracingConfig } from '../model/index.ts';

export interface ComparisonRow {
  readonly variant: string;
  readonly isBaseline: boolean;
  readonly cells: Readonly<Record<ComparisonColumn, string>>;
}

// The most direct measure of tracing's cost first, so a narrow window shows it without scrolling.
export const comparisonColumns = [
  'CPU µs/req',
  'Δ CPU',
  'req/s',
  'Δ req/s',
  'client p50 ms',
  'client p99 ms',
  'Δ client p99',
  'server p50 µs',
  'Δ server p50',
  'server p99 µs',
  'Δ server p99',
] as const;
export type ComparisonColumn = (typeof comparisonColumns)[number];

export const spanColumns = [
  'spans/req',
  'received/req',
  'started',
  'sampled',
  'ended',
  'dropped',
  'exported',
  'export failed',
  'received',
  'delivery',
  'received spans/s',
  'export lag p50/p99 ms',
] as const;
export type SpanColumn = (typeof spanColumns)[number];

/** "+41.7% ±1.4 differs": the paired change, its 95% half-width in points and its verdict; '' for the baseline. */
export function changeCell(m: MetricComparison): string {
  if (!m.change || !m.verdict) return '';
  // A metric the service could not give (an external service's server time) has no change to show.
  if (Number.isNaN(m.change.ratio)) return '–';
  const half = halfWidthPts(m.change);
  return `${signedPercent((m.change.ratio - 1) * 100)} ±${Number.isFinite(half) ? half.toFixed(1) : '∞'} ${m.verdict}`;
}

/** How many rounds ran and why they stopped, for the report's header. */
export function roundsLine(run: RunDocument): string {
  const d = run.design;
  const rounds = `${d.roundsRun} round${d.roundsRun === 1 ? '' : 's'}`;
  switch (d.stoppedBecause) {
    case 'fixed':
      return `${rounds} (fixed)`;
    case 'precise':
      return `${rounds}, until every Δ CPU/request was within ±${d.precisionPts} points (${Math.round(d.measuredSec)} s)`;
    case 'budget':
      return `${rounds}, when the ${d.rounds.kind === 'until-precise' ? d.rounds.maxTimeSec : '?'} s budget was spent before every Δ CPU/request reached ±${d.precisionPts} points`;
  }
}

/** What a scenario asks for: "3 rounds", or "rounds until ±2 points (at most 300 s)". */
export function roundsSettingText(rounds: RoundsSetting): string {
  return rounds.kind === 'fixed' ? `${rounds.count} rounds` : `rounds until ±${rounds.precisionPts} points (at most ${rounds.maxTimeSec} s)`;
}

/** The base checkout's variants are against their own untraced. */
export function baseNote(run: RunDocument): string {
  const base = run.variants.find((v) => v.tree === 'base' && v.comparison.cpuUsPerRequest.change === null);
  return run.base && base ? ` (the base checkout's against ${base.name})` : '';
}

export function comparisonRows(run: RunDocument): ComparisonRow[] {
  return run.variants.map((variant) => {
    const c = variant.comparison;
    return {
      variant: variant.name,
      // The run's baseline, or a base checkout's own untraced: nothing to compare with.
      isBaseline: variant.comparison.cpuUsPerRequest.change === null,
      cells: {
        'req/s': formatEstimate(c.requestsPerSec.estimate),
        'Δ req/s': changeCell(c.requestsPerSec),
        'client p50 ms': formatEstimate(c.clientLatencyP50.estimate),
        'client p99 ms': formatEstimate(c.clientLatencyP99.estimate),
        'Δ client p99': changeCell(c.clientLatencyP99),
        'server p50 µs': formatEstimate(c.serverTimeP50.estimate),
        'Δ server p50': changeCell(c.serverTimeP50),
        'server p99 µs': formatEstimate(c.serverTimeP99.estimate),
        'Δ server p99': changeCell(c.serverTimeP99),
        'CPU µs/req': formatEstimate(c.cpuUsPerRequest.estimate),
        'Δ CPU': changeCell(c.cpuUsPerRequest),
      },
    };
  });
}

export function spanRows(run: RunDocument): { variant: string; cells: Record<SpanColumn, string> }[] {
  return run.variants.map((variant) => {
    const s = variant.summary;
    const count = (n: number | null) => (n === null ? '–' : n.toLocaleString('en-US'));
    return {
      variant: variant.name,
      cells: {
        'spans/req': num(s.spansPerRequest),
        'received/req': num(s.receivedSpansPerRequest),
        started: count(s.spans.started),
        sampled: count(s.spans.sampled),
        ended: count(s.spans.ended),
        dropped: count(s.spans.dropped),
        exported: count(s.spans.exported),
        'export failed': count(s.spans.exportFailed),
        received: count(s.spans.received),
        delivery: ratio(s.deliveryRatio),
        'received spans/s': num(s.receivedSpansPerSec),
        'export lag p50/p99 ms': s.exportLagMs ? `${num(s.exportLagMs.p50)} / ${num(s.exportLagMs.p99)}` : '–',
      },
    };
  });
}

export const batchingColumns = ['to processor spans/s', 'queue wait ms', 'batches sent by', 'GC pause µs/req', 'scavenges/s', 'mark-sweeps/s'] as const;
export type BatchingColumn = (typeof batchingColumns)[number];

/**
 * What sent the batch processor's batches, and how it reads: a full batch ('size'), or the delay's timer
 * with whatever had queued ('timer'). The JS SDK exports as soon as maxExportBatchSize spans wait, else
 * scheduledDelayMillis after the first one queued.
 */
export function batchRegime(config: TracingConfig, spansPerSec: number | null): { kind: 'size' | 'timer' | 'other'; text: string } {
  if (config.kind !== 'sdk') return { kind: 'other', text: '–' };
  if (config.processor.kind === 'simple') return { kind: 'other', text: 'each span (simple)' };
  if (!spansPerSec) return { kind: 'other', text: 'nothing sampled' };
  const { maxExportBatchSize, scheduledDelayMillis } = config.processor;
  const fillSec = maxExportBatchSize / spansPerSec;
  const delaySec = scheduledDelayMillis / 1000;
  const delay = scheduledDelayMillis >= 1000 ? `${delaySec}-s` : `${scheduledDelayMillis}-ms`;
  return fillSec < delaySec
    ? { kind: 'size', text: `size: ${maxExportBatchSize} spans in ${num(fillSec)} s` }
    : { kind: 'timer', text: `${delay} timer: ~${num(spansPerSec * delaySec)} spans` };
}

/** The batching regime each variant was in, and what garbage collection cost it. */
export function batchingRows(run: RunDocument): { variant: string; cells: Record<BatchingColumn, string> }[] {
  return run.variants.map((v) => {
    const s = v.summary;
    return {
      variant: v.name,
      cells: {
        'to processor spans/s': num(s.processorSpansPerSec),
        'queue wait ms': num(s.meanQueueWaitMs),
        'batches sent by': batchRegime(v.config, s.processorSpansPerSec).text,
        'GC pause µs/req': num(s.gc.pauseUsPerRequest),
        'scavenges/s': num(s.gc.minorPerSec),
        'mark-sweeps/s': num(s.gc.majorPerSec),
      },
    };
  });
}

export interface DapperRow {
  readonly sampler: string;
  readonly ratio: number;
  readonly serverP50Change: string;
  readonly clientP99Change: string;
  readonly throughputChange: string;
  readonly cpuChange: string;
  /** Δ CPU µs/request measured (median over rounds, with its interval), and on the family's fitted line. */
  readonly cpuDeltaUs: string;
  readonly cpuFittedUs: string;
}

/** Sampling ratio → overhead, as in the Dapper paper's table; empty when no variant samples by ratio. */
export function dapperRows(run: RunDocument): DapperRow[] {
  return run.variants
    .flatMap((v) => {
      if (v.config.kind !== 'sdk' || v.name === run.baseline || v.tree === 'base') return [];
      const ratio = samplerRatio(v.config.sampler);
      if (ratio === undefined) return [];
      const c = v.comparison;
      return [
        {
          sampler: v.config.sampler.name,
          ratio,
          serverP50Change: changeCell(c.serverTimeP50),
          clientP99Change: changeCell(c.clientLatencyP99),
          throughputChange: changeCell(c.requestsPerSec),
          cpuChange: changeCell(c.cpuUsPerRequest),
          ...cpuFitCells(run, v.name),
        },
      ];
    })
    .sort((a, b) => a.sampler.localeCompare(b.sampler) || b.ratio - a.ratio);
}

/** The variant's point in its family's CPU fit: measured Δ µs with its interval, and the line's value there. */
function cpuFitCells(run: RunDocument, variant: string): { cpuDeltaUs: string; cpuFittedUs: string } {
  for (const fit of run.fits) {
    const p = fit.metric === 'cpuUsPerRequest' ? fit.points.find((x) => x.variant === variant) : undefined;
    if (p) return { cpuDeltaUs: intervalCell(p.measured), cpuFittedUs: num(p.fitted) };
  }
  return { cpuDeltaUs: '–', cpuFittedUs: '–' };
}

/** "25.1 [20.0, 30.2]" */
export function intervalCell(i: Interval): string {
  return `${num(i.value)} [${num(i.low)}, ${num(i.high)}]`;
}

const fitMetricLabel: Record<SamplingFit['metric'], string> = { cpuUsPerRequest: 'CPU µs/request', serverTimeP50: 'server p50 µs' };

/** One line per fit: the floor, the cost per sampled trace and per span, each with its interval. */
export function fitLines(run: RunDocument): string[] {
  return run.fits.map(
    (f) =>
      `${f.family}, ${fitMetricLabel[f.metric]}: floor ${intervalCell(f.floor)} (${f.floorPctOfBaseline.toFixed(1)}% of untraced), ` +
      `per sampled trace ${intervalCell(f.perTrace)}, per sampled span ${intervalCell(f.perSpan)} (${f.points.length} ratios, ${f.rounds} rounds)`,
  );
}

/** Notes the reader must not miss: failed requests, drops, export failures, flushes that timed out. */
export function warnings(run: RunDocument): string[] {
  const out: string[] = [];
  const undecided = run.variants.filter((v) => v.comparison.cpuUsPerRequest.verdict === 'undecided').map((v) => v.name);
  if (undecided.length > 0) {
    out.push(
      `Δ CPU/request undecided (its interval is wider than ±${run.design.precisionPts} points and includes no change) for ${undecided.join(', ')}: give it more time with --max-time, or accept a coarser --precision`,
    );
  }
  const estimate = run.variants[0].comparison.cpuUsPerRequest.estimate;
  if (confidenceWarning(estimate)) {
    out.push(`${estimate.n} trials per variant: each ± is the range of the trials, a ${(estimate.confidence * 100).toFixed(1)}% interval (${confidenceWarning(estimate)})`);
  }
  for (const v of run.variants) {
    const s = v.summary;
    if (s.failedRequests > 0) out.push(`${v.name}: ${s.failedRequests} requests failed (errors, timeouts or non-2xx) in the measured windows`);
    const { dropped, exportFailed } = s.spans;
    if (dropped !== null && dropped > 0) out.push(`${v.name}: ${dropped.toLocaleString('en-US')} sampled spans never reached the exporter (batch queue full)`);
    if (exportFailed !== null && exportFailed > 0) out.push(`${v.name}: ${exportFailed.toLocaleString('en-US')} spans failed to export`);
    if (!s.allFlushed) {
      out.push(
        v.lives.some((l) => l.final.spans === undefined)
          ? `${v.name}: a process did not end by itself within the flush timeout after SIGTERM and was killed; spans it still held are lost`
          : `${v.name}: the SDK's flush on shutdown timed out; queued spans count as dropped`,
      );
    }
    for (const t of v.trials) {
      if (t.load.kind !== 'open') continue;
      if (t.load.generatorWarning) out.push(`${v.name} trial ${t.trial}: ${t.load.generatorWarning}`);
      if (t.load.unsent > 0) out.push(`${v.name} trial ${t.trial}: ${t.load.unsent} of ${t.load.intended} intended requests were never sent (every connection busy): the service could not keep the rate`);
    }
  }
  for (const f of run.fits) {
    if (f.straight) continue;
    const off = f.points.filter((p) => p.offLine).map((p) => `${p.variant} (measured ${intervalCell(p.measured)}, line ${num(p.fitted)})`);
    out.push(`${f.family}: a straight line (floor + ratio × per-trace cost) does not fit ${fitMetricLabel[f.metric]}: ${off.join('; ')} lie off it`);
  }
  out.push(...mixedRegimeWarnings(run), ...trendWarnings(run));
  for (const p of run.positionEffect?.positions ?? []) {
    if (!p.beyondNoise) continue;
    out.push(
      `the trials run at place ${p.position} of their round read ${p.meanDeviationPct >= 0 ? '+' : '−'}${Math.abs(p.meanDeviationPct).toFixed(1)}% off their variants' medians (noise ±${p.noisePct.toFixed(1)}%): the order moved the results; run more rounds so the shuffle spreads it`,
    );
  }
  out.push(...jaegerWarnings(run), ...pairsWarning(run), ...(run.noise?.warnings ?? []));
  return out;
}

/**
 * In pairs one baseline process is loaded beside each of its traced variants, so it serves several slices
 * a round to their one each: in short blocks it is the older, cheaper process, and an A/A copy read +7%
 * (docs/findings.md, issue 22).
 */
function pairsWarning(run: RunDocument): string[] {
  if (run.design.processes !== 'pairs' || !run.design.roundsPerBlock) return [];
  const besideEach = new Map<string, number>();
  for (const v of run.variants) for (const t of v.trials) if (t.pairedWith !== undefined && t.trial === v.trials[0].trial) besideEach.set(v.name, (besideEach.get(v.name) ?? 0) + 1);
  const busiest = [...besideEach].sort((a, b) => b[1] - a[1])[0];
  if (!busiest || busiest[1] < 2) return [];
  return [
    `pairs: \`${busiest[0]}\` was loaded beside ${busiest[1]} traced variants a round, each of them once, so it aged faster than they did; in short blocks that biased an A/A copy by about +7% (docs/findings.md): prefer processes 'pool' for more than one traced variant`,
  ];
}

/** A trend this significant that moved Δ by more than its whole interval's width is worth a warning. */
const trendAlpha = 0.05;

/** Variants whose Δ CPU/request drifted over the rounds: the run did not measure one steady cost. */
function trendWarnings(run: RunDocument): string[] {
  const byName = new Map(run.variants.map((v) => [v.name, v]));
  return run.variants.flatMap((v) => {
    const own = v.comparedWith ?? run.baseline;
    const change = v.comparison.cpuUsPerRequest.change;
    if (v.name === own || !change) return [];
    const trend = cpuDeltaTrend(v.trials, byName.get(own)?.trials ?? []);
    const widthPts = (change.high - change.low) * 100;
    if (!trend || !(trend.p < trendAlpha) || !(Math.abs(trend.lastPct - trend.firstPct) > Math.max(widthPts, run.design.precisionPts))) return [];
    const moved = `Δ CPU/request moved from ${signedPercent(trend.firstPct)} in round ${trend.firstRound} to ${signedPercent(trend.lastPct)} in round ${trend.lastRound} (p = ${trend.p.toPrecision(2)})`;
    return [
      trend.lastPct < trend.firstPct
        ? `${v.name}: ${moved}: its cost fell as its process aged, so the rounds did not measure one steady cost (at a low rate a young process's cost lasts about a minute: docs/low-traffic.md): lengthen load.warmupSec, or read the last rounds`
        : `${v.name}: ${moved}: its cost grew over the run; something accumulated over the process's life`,
    ];
  });
}

/**
 * A fit's line assumes one cost per sampled span; ratios whose batches went by size and ratios whose
 * batches waited for the timer may not share one (docs/low-traffic.md), so such a fit is flagged.
 */
function mixedRegimeWarnings(run: RunDocument): string[] {
  return run.fits.flatMap((f) => {
    if (f.metric !== 'cpuUsPerRequest') return [];
    const regimes = f.points.map((p) => {
      const v = run.variants.find((x) => x.name === p.variant)!;
      return { variant: p.variant, regime: batchRegime(v.config, v.summary.processorSpansPerSec) };
    });
    const bySize = regimes.filter((r) => r.regime.kind === 'size').map((r) => r.variant);
    const byTimer = regimes.filter((r) => r.regime.kind === 'timer').map((r) => r.variant);
    if (bySize.length === 0 || byTimer.length === 0) return [];
    return [
      `${f.family}: the batches of ${bySize.join(', ')} went by size, those of ${byTimer.join(', ')} waited for the timer: ` +
        'the fitted line assumes one cost per sampled span, which two batching regimes need not share (see the batching table)',
    ];
  });
}

export const exportColumns = [
  'batches sent',
  'batches failed',
  'spans exported',
  'exported spans/s',
  'export latency p50/p99 ms',
  'received spans/s',
  'received batches/s',
  'received bytes/s',
  'bytes/span',
  'export lag p50/p99 ms',
] as const;
export type ExportColumn = (typeof exportColumns)[number];

const bytesPerSpan = (bytes: number, spans: number) => (spans > 0 ? num(bytes / spans) : '–');

/**
 * Export throughput per variant: the exporter's own view (every endpoint) and, with the embedded
 * collector, what arrived. Rates are per second of load (warm-ups and measured windows) over the variant's processes.
 */
export function exportRows(run: RunDocument): { variant: string; cells: Record<ExportColumn, string> }[] {
  return run.variants.map((v) => {
    const seconds = v.lives.reduce((sum, l) => sum + l.loadedSec, 0);
    const total = (pick: (l: (typeof v.lives)[number]) => number) => v.lives.reduce((sum, l) => sum + pick(l), 0);
    const latencies = v.lives.map((l) => l.final.exportLatencyHistogram).filter((h): h is string => h !== undefined);
    const latency = latencies.length > 0 ? percentiles(mergeEncoded(latencies), 1000) : null;
    const collectors = v.lives.map((l) => l.collector);
    const received = collectors.every((c) => c !== null) ? collectors : null;
    const traced = latencies.length > 0;
    const count = (n: number) => (traced ? n.toLocaleString('en-US') : '–');
    const perSec = (n: number | null) => (n === null || !(seconds > 0) ? '–' : num(n / seconds));
    return {
      variant: v.name,
      cells: {
        'batches sent': count(total((l) => (l.final.spans?.exportBatches ?? 0) + (l.final.spans?.exportFailedBatches ?? 0))),
        'batches failed': count(total((l) => l.final.spans?.exportFailedBatches ?? 0)),
        'spans exported': count(total((l) => l.final.spans?.exported ?? 0)),
        'exported spans/s': traced ? perSec(total((l) => l.final.spans?.exported ?? 0)) : '–',
        'export latency p50/p99 ms': latency && !Number.isNaN(latency.p50) ? `${num(latency.p50)} / ${num(latency.p99)}` : '–',
        'received spans/s': perSec(received ? received.reduce((sum, c) => sum + c!.spans, 0) : null),
        'received batches/s': perSec(received ? received.reduce((sum, c) => sum + c!.requests, 0) : null),
        'received bytes/s': perSec(received ? received.reduce((sum, c) => sum + c!.bytes, 0) : null),
        // The wire format's size, request payload after any decompression: what a protocol costs the network and the backend.
        'bytes/span': received ? bytesPerSpan(received.reduce((sum, c) => sum + c!.bytes, 0), received.reduce((sum, c) => sum + c!.spans, 0)) : '–',
        'export lag p50/p99 ms': v.summary.exportLagMs ? `${num(v.summary.exportLagMs.p50)} / ${num(v.summary.exportLagMs.p99)}` : '–',
      },
    };
  });
}

export const jaegerColumns = ['exported traces', 'found / looked up', 'found (95% CI)', 'spans per found trace', 'in Jaeger search'] as const;
export type JaegerColumn = (typeof jaegerColumns)[number];

/** What a real Jaeger held of each variant's exported traces (run.jaeger); empty without --jaeger-query. */
export function jaegerRows(run: RunDocument): { variant: string; cells: Record<JaegerColumn, string> }[] {
  const check = run.jaeger;
  if (!check) return [];
  const percent = (x: number) => `${(x * 100).toFixed(x === 1 || x === 0 ? 0 : 1)}%`;
  return check.variants.map((v) => ({
    variant: v.variant,
    cells: {
      'exported traces': v.exportedTraces.toLocaleString('en-US'),
      'found / looked up': v.lookedUp > 0 ? `${v.found} / ${v.lookedUp}` : '–',
      'found (95% CI)': v.foundRatio ? `${percent(v.foundRatio.ratio)} (${percent(v.foundRatio.low)}–${percent(v.foundRatio.high)})` : '–',
      'spans per found trace': v.spansPerFoundTrace === null ? '–' : `${num(v.spansPerFoundTrace)} of ${check.expectedSpansPerTrace}`,
      'in Jaeger search': v.searchTotal === null ? (v.searchError ? 'failed' : '–') : `${v.searchCapped ? '≥ ' : ''}${v.searchTotal.toLocaleString('en-US')}`,
    },
  }));
}

function jaegerWarnings(run: RunDocument): string[] {
  const check = run.jaeger;
  if (!check) return [];
  const out: string[] = [];
  if (!check.settled) {
    out.push(`Jaeger at ${check.queryUrl} had not settled after ${(check.settleMs / 1000).toFixed(1)} s${check.settleError ? ` (${check.settleError})` : ' (its count was still changing)'}: traces still on their way count as not found`);
  }
  if (check.windowsOverlap) {
    out.push('the variants ran at the same time under one service name, so Jaeger\'s search cannot count each one\'s traces: no search totals (found / looked up is by id and holds)');
  }
  if (check.exportedTraces > check.memoryLimitTraces) {
    out.push(`the run exported ${check.exportedTraces.toLocaleString('en-US')} traces, more than Jaeger's in-memory store keeps (${check.memoryLimitTraces.toLocaleString('en-US')}): it evicts the oldest, so found / looked up undercounts what arrived`);
  }
  for (const v of check.variants) {
    if (v.lookupErrors > 0) out.push(`${v.variant}: ${v.lookupErrors} Jaeger lookups failed (left out of found / looked up)`);
    if (v.found < v.lookedUp) out.push(`${v.variant}: ${v.lookedUp - v.found} of ${v.lookedUp} looked-up exported traces are not in Jaeger`);
    if (v.completeFoundTraces < v.found) out.push(`${v.variant}: ${v.found - v.completeFoundTraces} of ${v.found} found traces in Jaeger do not have exactly ${check.expectedSpansPerTrace} spans`);
    if (v.searchError) out.push(`${v.variant}: Jaeger's search failed: ${v.searchError}`);
  }
  return out;
}
