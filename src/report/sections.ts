// A load run's report as sections of tables and words, built once from run.json: report.md and
// report.html both print these, so they say the same.
import { explainSection } from '../micro/explain-report.ts';
import { num } from './format.ts';
import { jaegerSamplingItems } from './jaeger-sampling.ts';
import { batchingColumns, batchingRows, comparisonColumns, comparisonRows, dapperRows, exportColumns, exportRows, fitLines, jaegerColumns, jaegerRows, spanColumns, spanRows, warnings } from './rows.ts';
import { runtimeColumns, runtimeRows } from './runtimes.ts';
import type { ReportBlock, ReportSection, RunDocument } from '../model/index.ts';

const text = (t: string): ReportBlock => ({ kind: 'text', text: t });
const table = (headers: readonly string[], rows: readonly (readonly string[])[], strongRows?: number[]): ReportBlock => ({ kind: 'table', headers, rows, strongRows });

function comparisonCaption(run: RunDocument): string {
  return (
    'Each value is the median over trials ± the half-width of its 95% confidence interval (distribution-free, from order statistics). ' +
    'Each Δ is the median, over rounds of the interleaved trials, of the variant\'s value over the baseline\'s in the same round ' +
    '(so it need not equal the ratio of the medians shown), ± the half-width of its 95% interval in percentage points (bootstrap over whole rounds), ' +
    `and its verdict: differs (the interval excludes no change), same (it includes no change and lies within ±${run.design.precisionPts} points) or undecided. ` +
    (run.openLoop ? 'Client latency runs from each request\'s intended start (coordinated omission corrected). ' : 'Client latency is autocannon\'s, from send to response. ') +
    (run.scenario.service?.kind === 'external' ? '' : 'Server time is the frontend\'s own, from arrival to response finished. ') +
    (run.design.processes !== 'fresh'
      ? 'CPU is user + system time of the service process since its previous slice (this slice, and whatever it did while others were measured), per request served in the slice.'
      : 'CPU is user + system time of the service process in the measured window, per request served in it.') +
    (run.design.processes === 'pairs'
      ? ' In pairs each traced process shared its core with the baseline during its slice, so Δ req/s and Δ latency compare two shares of one core: ' +
        'read them as indications; their intervals held no change less often than 95% of the time in A/A runs, Δ CPU/request\'s about as often as claimed (docs/findings.md).'
      : '')
  );
}

function comparisonSection(run: RunDocument): ReportSection {
  const rows = comparisonRows(run);
  return {
    id: 'comparison',
    title: 'Overhead against the untraced baseline',
    blocks: [
      table(['variant', ...comparisonColumns], rows.map((r) => [r.variant, ...comparisonColumns.map((c) => r.cells[c])]), rows.flatMap((r, i) => (r.isBaseline ? [i] : []))),
      text(comparisonCaption(run)),
    ],
  };
}

/** Runtimes side by side, when the variants ran on more than one. */
function runtimeSection(run: RunDocument): ReportSection[] {
  const rows = runtimeRows(run);
  if (rows.length === 0) return [];
  return [{
    id: 'runtimes',
    title: 'Runtimes and SDK sets',
    blocks: [
      table(['runtime', ...runtimeColumns], rows.map((r) => [r.runtime, ...runtimeColumns.map((c) => r.cells[c])])),
      text(
        'Every overhead is against the untraced variant on the same runtime and flags. The untraced figures across runtimes compare ' +
          'rounds, not slices (two baselines never share a slice): each round\'s mean CPU per request over the run\'s baseline\'s, geometric mean with its 95% interval.',
      ),
    ],
  }];
}

function spanSection(run: RunDocument): ReportSection {
  return {
    id: 'spans',
    title: 'Span accounting',
    blocks: [
      table(['variant', ...spanColumns], spanRows(run).map((r) => [r.variant, ...spanColumns.map((c) => r.cells[c])])),
      text(
        'Counts cover each service process\'s whole life (warm-up included), summed over trials. started: spans the instrumentation began; ' +
          'sampled/ended: seen by a counting span processor; dropped: ended but never handed to the exporter; exported/export failed: ' +
          'the exporter\'s results; received: what the collector decoded. delivery = received / ended.',
      ),
    ],
  };
}

function exportSection(run: RunDocument): ReportSection {
  return {
    id: 'export',
    title: 'Export throughput',
    blocks: [
      table(['variant', ...exportColumns], exportRows(run).map((r) => [r.variant, ...exportColumns.map((c) => r.cells[c])])),
      text(
        'The exporter\'s own view, for any endpoint: export calls (batches) sent and failed, spans exported, and the time from each export call to its result. ' +
          (run.environment.exportTarget.kind === 'embedded'
            ? 'received: what the embedded collector decoded; export lag: its receipt time minus each span\'s end. '
            : 'The endpoint is not ours, so what it received is not known here. ') +
          'Rates are per second of load (warm-up and measured window), summed over trials.',
      ),
    ],
  };
}

function batchingSection(run: RunDocument): ReportSection {
  return {
    id: 'batching',
    title: 'Batching and garbage collection',
    blocks: [
      table(['variant', ...batchingColumns], batchingRows(run).map((r) => [r.variant, ...batchingColumns.map((c) => r.cells[c])])),
      text(
        'to processor: sampled spans that ended, per second of load; queue wait: mean time from a span\'s end to its hand-over to the exporter ' +
          '(the batch processor\'s queue); batches sent by: whether a batch filled up before the delay ran out, at that rate. ' +
          'GC: pauses of the main thread in the measured windows, medians over trials (concurrent marking shows in CPU only). ' +
          'At a low rate a sparse sampler keeps its spans queued for the whole delay, where a full one sends them within a fraction of a second: read Δ CPU with the regime.',
      ),
    ],
  };
}

function jaegerSection(run: RunDocument): ReportSection[] {
  const rows = jaegerRows(run);
  const check = run.jaeger;
  if (!check || rows.length === 0) return [];
  return [{
    id: 'jaeger',
    title: 'Delivery checked in Jaeger',
    blocks: [
      table(['variant', ...jaegerColumns], rows.map((r) => [r.variant, ...jaegerColumns.map((c) => r.cells[c])])),
      text(
        `Asked ${check.queryUrl} (API ${check.api ?? 'unknown'}) after the run, for service \`${check.serviceName}\`` +
          `${check.settled ? `, once its count had stopped changing (${(check.settleMs / 1000).toFixed(1)} s)` : ', without it settling'}. ` +
          'exported traces: root spans the exporter reported exported. Each service process kept a uniform random sample of their ids; ' +
          `found / looked up: a seeded random sample of those (seed ${check.seed}) asked for by id (GET /api/traces/{id}), with the Wilson 95% interval of the share found. ` +
          'spans per found trace: distinct spans Jaeger holds per found trace. in Jaeger search: distinct traces its search returns for the service in the variant\'s trial windows.',
      ),
    ],
  }];
}

function samplingSection(run: RunDocument): ReportSection[] {
  const dapper = dapperRows(run);
  if (dapper.length === 0) return [];
  return [{
    id: 'sampling',
    title: 'Sampling ratio against overhead (after Dapper, table 2)',
    blocks: [
      table(
        ['sampler', 'ratio', 'server p50 Δ', 'client p99 Δ', 'throughput Δ', 'CPU/req Δ', 'CPU Δ µs/req [95% CI]', 'on the fitted line'],
        dapper.map((d) => [d.sampler, String(d.ratio), d.serverP50Change, d.clientP99Change, d.throughputChange, d.cpuChange, d.cpuDeltaUs, d.cpuFittedUs]),
      ),
      ...(run.fits.length > 0
        ? [
            text('Fitted over the ratio variants of each sampler, Δ = floor + ratio × cost per sampled trace (least squares on each variant\'s median change against the baseline of the same round; 95% intervals by resampling whole rounds):'),
            { kind: 'list' as const, items: fitLines(run) },
          ]
        : []),
      text(
        'Dapper (C++, 2010) reported +16.3% latency at 1/1 sampling, +2.1% at 1/16 and noise at 1/1024. ' +
          (run.openLoop
            ? `These rows come from a fixed rate of ${num(run.openLoop.ratePerSec)} req/s (open loop; client latency from each request's intended start), as in Dapper.`
            : 'These rows come from closed-loop saturation, so latency changes include queueing from lost throughput; a fixed rate (--rate 50% --processes pool) compares latency as Dapper did.'),
      ),
    ],
  }];
}

export function loadRunSections(run: RunDocument): ReportSection[] {
  const items = jaegerSamplingItems(run);
  const notes = warnings(run);
  return [
    comparisonSection(run),
    ...runtimeSection(run),
    spanSection(run),
    exportSection(run),
    batchingSection(run),
    ...jaegerSection(run),
    ...samplingSection(run),
    ...(run.explain ? [explainSection(run.explain)] : []),
    ...(items.length > 0 ? [{ id: 'jaeger-sampling', title: 'Jaeger remote sampling', blocks: [{ kind: 'list' as const, items }] }] : []),
    ...(notes.length > 0 ? [{ id: 'warnings', title: 'Warnings', blocks: [{ kind: 'list' as const, items: notes }] }] : []),
    { id: 'variants', title: 'Variants', blocks: [{ kind: 'list', items: run.variants.map((v) => `\`${v.name}\`: ${v.description}`) }] },
  ];
}
