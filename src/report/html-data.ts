// What a load run's report.html draws, taken from run.json alone (so an old run renders the same way): the
// overhead curve against the sampling ratio, the latency distributions from the HDR histograms, every
// round's CPU per request, the span funnel, and --explain's prediction against the measurement. Plain
// numbers; the page turns them into charts.
import { decodeHistogram, mergeEncoded } from '../measure/histogram.ts';
import { platformOf } from '../scenario/runtime.ts';
import { samplerRatio } from '../tracing/samplers/registry.ts';
import type { ChartSeries, ChartSpec, Explanation, MetricComparison, RunDocument, TrialResult } from '../model/index.ts';

/** Dapper's published C++ latency overheads (Sigelman et al. 2010): +16.3% at 1/1, +2.1% at 1/16, within noise (drawn as 0) at 1/1024. */
const dapperLatencyPct: readonly [number, number][] = [
  [1, 16.3],
  [1 / 16, 2.1],
  [1 / 1024, 0],
];

const pct = (ratio: number) => (ratio - 1) * 100;
const legendNote = ' Click a name in the legend to hide or show its series.';
const finiteOrNull = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? null : x);

/**
 * The ratio variants of this tree, by family: a sampler on one runtime and SDK set (named by them when the
 * run has several). Only families with two ratios or more make a curve.
 */
function ratioVariants(run: RunDocument) {
  const all = run.variants.flatMap((v) => {
    if (v.config.kind !== 'sdk' || v.tree === 'base' || v.comparison.cpuUsPerRequest.change === null) return [];
    const ratio = samplerRatio(v.config.sampler);
    return ratio === undefined || ratio <= 0 ? [] : [{ v, ratio, sampler: v.config.sampler.name, platform: platformOf(v.runtime, v.sdk) }];
  });
  const platforms = new Set(all.map((p) => p.platform));
  const named = all.map((p) => ({ ...p, family: platforms.size > 1 ? `${p.sampler} on ${p.platform}` : p.sampler }));
  return named.filter((p) => new Set(named.filter((q) => q.family === p.family).map((q) => q.ratio)).size >= 2);
}

/** Δ of one metric against the sampling ratio, per sampler family, with intervals; the fit where there is one; Dapper's points for latency. */
function overheadChart(run: RunDocument, id: string, title: string, pick: (c: RunDocument['variants'][number]['comparison']) => MetricComparison, fitMetric?: 'cpuUsPerRequest' | 'serverTimeP50', dapper = false): ChartSpec | null {
  const points = ratioVariants(run);
  if (points.length === 0) return null;
  const fits = run.fits.filter((f) => f.metric === fitMetric);
  const families = [...new Set(points.map((p) => p.family))];
  // Families measured at the same ratios are drawn a little apart (a few hundredths of a decade), so one's
  // whiskers do not hide another's.
  const dodge = (family: string) => 10 ** (0.02 * (families.indexOf(family) - (families.length - 1) / 2));
  const placed = points.map((p) => ({ ...p, x: p.ratio * dodge(p.family) }));
  const measured = [...placed.map((p) => p.x), ...(dapper ? dapperLatencyPct.map(([r]) => r) : [])];
  // The fitted line is straight in the ratio but curved on a log axis: it is drawn through points in between too.
  const [lo, hi] = [Math.min(...measured), Math.max(...measured)];
  const between = fits.length > 0 ? Array.from({ length: 23 }, (_, i) => lo * (hi / lo) ** ((i + 1) / 24)) : [];
  const x = [...new Set([...measured, ...between])].sort((a, b) => a - b);
  const series: ChartSeries[] = families.map((family) => {
    const change = (at: number) => {
      const p = placed.find((q) => q.family === family && q.x === at);
      return p ? pick(p.v.comparison).change : undefined;
    };
    const percent = (at: number, bound: 'ratio' | 'low' | 'high') => {
      const c = change(at);
      return c ? finiteOrNull(pct(c[bound])) : null;
    };
    return { label: `${family} (measured)`, values: x.map((at) => percent(at, 'ratio')), low: x.map((at) => percent(at, 'low')), high: x.map((at) => percent(at, 'high')), style: 'points' };
  });
  for (const fit of fits) {
    // The fit's own baseline, the one its floor is a share of.
    const baselineMedian = (fit.floor.value * 100) / fit.floorPctOfBaseline;
    if (!Number.isFinite(baselineMedian) || baselineMedian <= 0) continue;
    series.push({ label: `${fit.family}: floor + ratio × per trace`, colorOf: `${fit.family} (measured)`, values: x.map((r) => finiteOrNull(((fit.floor.value + r * fit.perTrace.value) / baselineMedian) * 100)), style: 'line' });
  }
  if (dapper) series.push({ label: 'Dapper (C++, latency, 2010)', values: x.map((r) => dapperLatencyPct.find(([d]) => d === r)?.[1] ?? null), style: 'points' });
  const note =
    'Each measured point is the paired median change against untraced with its 95% interval as a whisker; samplers measured at the same ratio sit a little apart.' +
    (fits.length > 0 ? ' The lines are the least-squares fits of the table below.' : '') +
    legendNote;
  return { id, title, note, xLabel: 'sampling ratio (log scale)', yLabel: 'Δ against untraced, %', xLog: true, x, series };
}

/** p of the percentile curves, and where each sits on a 1/(1−p) axis. */
const curvePercentiles = [50, 75, 90, 95, 99, 99.9, 99.99];

function distributionChart(run: RunDocument, id: string, title: string, histograms: (t: TrialResult) => string | undefined, scale: number): ChartSpec | null {
  const x = curvePercentiles.map((p) => 1 / (1 - p / 100));
  const series: ChartSeries[] = run.variants.flatMap((v) => {
    const encoded = v.trials.map(histograms).filter((h): h is string => h !== undefined);
    if (encoded.length === 0) return [];
    const merged = encoded.length === 1 ? decodeHistogram(encoded[0]) : mergeEncoded(encoded);
    if (merged.totalCount === 0) return [];
    return [{ label: v.name, values: curvePercentiles.map((p) => merged.getValueAtPercentile(p) / scale), style: 'line' as const }];
  });
  const note = `Each variant's HDR histograms merged over all its trials (${run.variants[0]?.trials.length ?? 0} for the baseline).${legendNote}`;
  return series.length === 0 ? null : { id, title, note, xLabel: 'percentile (log scale of 1/(1−p))', yLabel: 'ms', xLog: true, xPercentile: true, x, series };
}

/** Each variant's CPU µs/request in every round: drift and outliers at a glance. */
function roundsChart(run: RunDocument): ChartSpec | null {
  const rounds = [...new Set(run.variants.flatMap((v) => v.trials.map((t) => t.trial)))].sort((a, b) => a - b);
  if (rounds.length === 0) return null;
  const series: ChartSeries[] = run.variants.map((v) => ({
    label: v.name,
    values: rounds.map((r) => {
      const values = v.trials.filter((t) => t.trial === r).map((t) => t.cpuUsPerRequest).filter(Number.isFinite);
      return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
    }),
    style: 'line',
  }));
  const note = `Each variant's CPU µs per request in each round (the mean of its slices there). A round where every line jumps is the machine, not tracing: each Δ is paired within its round.${legendNote}`;
  return { id: 'rounds', title: 'CPU per request in every round', note, xLabel: 'round', yLabel: 'CPU µs/request', xLog: false, x: rounds, series };
}

/**
 * The stages a span passes, in order, each counting the spans still on their way: what the sampler kept,
 * what ended, what the processor handed to the exporter (ended − dropped), what the exporter reported
 * exported, and what the collector received.
 */
const funnelStages = ['started', 'sampled', 'ended', 'ended − dropped', 'exported', 'received'] as const;

/** Spans per request at each stage, per variant with tracetax's SDK setup: where spans fall away. */
function funnelChart(run: RunDocument): ChartSpec | null {
  const series: ChartSeries[] = run.variants.flatMap((v) => {
    const { spans, requests } = v.summary;
    if (v.config.kind !== 'sdk' || !(requests > 0)) return [];
    const kept = spans.ended === null || spans.dropped === null ? null : spans.ended - spans.dropped;
    const counts = [spans.started, spans.sampled, spans.ended, kept, spans.exported, spans.received];
    return [{ label: v.name, values: counts.map((n) => (n === null ? null : n / requests)), style: 'line' as const }];
  });
  return series.length === 0
    ? null
    : {
        id: 'funnel',
        title: 'The span funnel: spans per request at each stage',
        note:
          `Counts over each service process's whole life, per request it served: the sampler keeps some, a full queue drops some (ended − dropped), export can fail, and the collector counts what arrived.` +
          (series.some((s) => s.values.includes(null)) ? ' An external service or zero-code instrumentation reports no counts of its own: only what the collector received is known there.' : '') +
          legendNote,
        xLabel: 'stage', yLabel: 'spans per request', xLog: false, xCategories: funnelStages, x: funnelStages.map((_, i) => i), series };
}

/** --explain: the micro-benchmarks' predicted µs/request next to the measured Δ and its interval, per variant. */
function explainChart(e: Explanation): ChartSpec | null {
  if (e.rows.length === 0) return null;
  return {
    id: 'explain',
    title: 'Predicted from the micro-benchmarks against measured: tracing’s CPU per request',
    note: 'Measured: the paired change against untraced in µs per request, with its 95% interval; predicted: the sum of the micro-benchmarks’ parts in the table below.',
    xLabel: 'variant',
    yLabel: 'CPU µs per request over untraced',
    xLog: false,
    xCategories: e.rows.map((r) => r.variant),
    horizontal: true,
    x: e.rows.map((_, i) => i),
    series: [
      { label: 'measured Δ (95% interval)', values: e.rows.map((r) => r.measured?.us ?? null), low: e.rows.map((r) => r.measured?.lowUs ?? null), high: e.rows.map((r) => r.measured?.highUs ?? null), style: 'points' },
      { label: 'predicted', values: e.rows.map((r) => r.predictedUs), style: 'points' },
    ],
  };
}

export function htmlCharts(run: RunDocument): ChartSpec[] {
  return [
    overheadChart(run, 'curve-cpu', 'Δ CPU per request against the sampling ratio', (c) => c.cpuUsPerRequest, 'cpuUsPerRequest'),
    overheadChart(run, 'curve-server-p50', 'Δ server time p50 against the sampling ratio (with Dapper’s latency overheads)', (c) => c.serverTimeP50, 'serverTimeP50', true),
    overheadChart(run, 'curve-throughput', 'Δ requests/s against the sampling ratio', (c) => c.requestsPerSec),
    distributionChart(run, 'latency-client', 'Client latency by percentile', (t) => t.load.latencyHistogram, 1000),
    distributionChart(run, 'latency-server', 'Server time by percentile', (t) => t.window.serverTimeHistogram, 1000),
    roundsChart(run),
    funnelChart(run),
    run.explain ? explainChart(run.explain) : null,
  ].filter((c): c is ChartSpec => c !== null);
}
