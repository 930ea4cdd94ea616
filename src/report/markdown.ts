// report.md: every variant against the untraced baseline, span accounting, and the Dapper-style table.
import { markdownExplain } from '../micro/explain-report.ts';
import { bytes, num } from './format.ts';
import { jaegerSamplingReportLines } from './jaeger-sampling.ts';
import type { Output } from './output.ts';
import { baseNote, batchingColumns, batchingRows, comparisonColumns, comparisonRows, dapperRows, exportColumns, exportRows, fitLines, jaegerColumns, jaegerRows, roundsLine, spanColumns, spanRows, warnings } from './rows.ts';
import { runtimeColumns, runtimeRows } from './runtimes.ts';
import { markdownTable } from './table.ts';
import { markdownVerdict } from './verdict.ts';
import type { RunDocument } from '../model/index.ts';

function loadDescription(run: RunDocument): string {
  const load = run.scenario.load;
  if (!run.openLoop) return `closed loop, ${load.connections} connections`;
  const sat = run.openLoop.saturation;
  const from = sat ? ` (${Math.round(sat.share * 100)}% of the untraced saturation throughput, ${num(sat.requestsPerSec)} req/s, measured first)` : '';
  const together = load.concurrent ? '; every variant of a round at the same time, each at this rate, on the same core' : '';
  return `open loop at ${num(run.openLoop.ratePerSec)} req/s${from}, at most ${load.connections} requests in flight${together}`;
}

function designDescription(run: RunDocument): string {
  const d = run.design;
  const warm = d.harnessWarmupSec > 0 ? `, after an unmeasured ${d.harnessWarmupSec} s trial that warms the load generator and the collector` : '';
  if (d.order === 'side-by-side') return `every variant of a round at once, in fresh processes${warm}`;
  const processes = {
    pool: 'one warm process per variant for the whole run, warmed once and measured in slices; each slice charged with all its process did since its previous slice',
    pairs:
      'one warm process per variant for the whole run, warmed once; every traced variant measured in slices side by side with a slice of the baseline, on the same core; each slice charged with all its process did since its previous slice',
    fresh: 'a fresh, warmed process per trial',
  }[d.processes];
  const p = run.positionEffect;
  const check = p
    ? `; mean deviation from the variant's median CPU/request by place in the round: ${p.positions.map((x) => `${x.position}: ${signedPct(x.meanDeviationPct)} (noise ±${x.noisePct.toFixed(1)}%)`).join(', ')}`
    : '';
  return `${processes}; one variant after another, shuffled in every round (seed ${d.seed})${warm}${check}`;
}

/** Which service ran, and where each figure comes from when it was measured from outside. */
function serviceDescription(run: RunDocument): string {
  const auto = run.variants.filter((v) => v.instrumentation === 'auto').map((v) => `\`${v.name}\``);
  const autoNote = auto.length > 0 ? `; ${auto.join(', ')}: zero-code instrumentation (the register hook of @opentelemetry/auto-instrumentations-node), whose spans are counted at the collector only` : '';
  const service = run.scenario.service;
  if (service?.kind !== 'external') return `the built-in topology (frontend → users → db, frontend → auth), spans written by hand${autoNote}`;
  const remote = service.allowRemoteTarget ? ' The load target is off this machine, allowed by --allow-remote-target.' : '';
  return (
    `\`${service.command.join(' ')}\` (an external service, started by tracetax in a process group of its own; load to ${service.url})${autoNote}. ` +
    'Measured from outside: CPU (the scheduler\'s run time of every thread) and peak RSS (each process\'s, summed) of its process group from /proc; ' +
    'requests and latency from the load driver; spans, traces, bytes and export lag at the collector. Not known from outside, so left out: ' +
    `server time, event-loop use, heap, and the SDK's own counts (started, sampled, ended, dropped), hence delivery.${remote}`
  );
}

/** Runtimes side by side, when the variants ran on more than one. */
function runtimeSection(run: RunDocument): string[] {
  const rows = runtimeRows(run);
  if (rows.length === 0) return [];
  return [
    '',
    '## Runtimes and SDK sets',
    '',
    markdownTable(['runtime', ...runtimeColumns], rows.map((r) => [r.runtime, ...runtimeColumns.map((c) => r.cells[c])])),
    '',
    'Every overhead is against the untraced variant on the same runtime and flags. The untraced figures across runtimes compare ' +
      'rounds, not slices (two baselines never share a slice): each round\'s mean CPU per request over the run\'s baseline\'s, geometric mean with its 95% interval.',
  ];
}

const signedPct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}%`;

/** `explain`, when present (--explain), is the micro-benchmarks' prediction of each variant's CPU cost. */
export function markdownReport(run: RunDocument): string {
  const env = run.environment;
  const load = run.scenario.load;
  const pinning = env.pinning.pinned
    ? `service on CPU ${env.pinning.serviceCpus}, load generator and collector on CPU ${env.pinning.harnessCpus}`
    : `not pinned (${env.pinning.reason})`;
  const out: string[] = [
    `# tracetax: ${run.scenario.name}`,
    '',
    run.scenario.description,
    '',
    `- Run: ${run.startedAt} → ${run.finishedAt}`,
    `- Machine: ${env.cpuModel} × ${env.cpuCount}, ${bytes(env.totalMemoryBytes)}, Node.js ${env.node} (${env.platform}/${env.arch}); ${pinning}`,
    `- Load: ${loadDescription(run)}, ${load.warmupSec} s warm-up (not counted) + ${load.durationSec} s measured ${run.design.processes === 'fresh' ? 'per trial' : 'per slice'}; ${roundsLine(run)}`,
    `- Service: ${serviceDescription(run)}`,
    `- Order: ${designDescription(run)}`,
    `- Export target: ${
      env.exportTarget.kind === 'embedded'
        ? `embedded OTLP collector (gRPC here; variants on OTLP/HTTP to its HTTP receiver)${run.scenario.collector.responseDelayMs > 0 ? `, answering each export after ${run.scenario.collector.responseDelayMs} ms` : ''}`
        : 'remote OTLP/gRPC endpoint'
    } at ${env.exportTarget.endpoint}`,
    `- Baseline: \`${run.baseline}\` (no SDK). Every Δ is against it${baseNote(run)}. Spans per request when all are sampled: ${run.spansPerRequestExpected}.`,
    ...(run.base ? [`- Base checkout: \`${run.base.path}\`${run.base.commit ? ` at ${run.base.commit.slice(0, 12)}` : ''}: its service and tracing code ran the \`base:\` variants in the same rounds.`] : []),
    '',
    '## Overhead against the untraced baseline',
    '',
    markdownTable(
      ['variant', ...comparisonColumns],
      comparisonRows(run).map((r) => [r.isBaseline ? `**${r.variant}**` : r.variant, ...comparisonColumns.map((c) => r.cells[c])]),
    ),
    '',
    'Each value is the median over trials ± the half-width of its 95% confidence interval (distribution-free, from order statistics). ' +
      'Each Δ is the median, over rounds of the interleaved trials, of the variant\'s value over the baseline\'s in the same round ' +
      '(so it need not equal the ratio of the medians shown), ± the half-width of its 95% interval in percentage points (bootstrap over whole rounds), ' +
      `and its verdict: differs (the interval excludes no change), same (it includes no change and lies within ±${run.design.precisionPts} points) or undecided. ` +
      (run.openLoop
        ? 'Client latency runs from each request\'s intended start (coordinated omission corrected). '
        : 'Client latency is autocannon\'s, from send to response. ') +
      (run.scenario.service?.kind === 'external' ? '' : 'Server time is the frontend\'s own, from arrival to response finished. ') +
      (run.design.processes !== 'fresh'
        ? 'CPU is user + system time of the service process since its previous slice (this slice, and whatever it did while others were measured), per request served in the slice.'
        : 'CPU is user + system time of the service process in the measured window, per request served in it.') +
      (run.design.processes === 'pairs'
        ? ' In pairs each traced process shared its core with the baseline during its slice, so Δ req/s and Δ latency compare two shares of one core: ' +
          'read them as indications; their intervals held no change less often than 95% of the time in A/A runs, Δ CPU/request\'s about as often as claimed (docs/findings.md).'
        : ''),
    ...runtimeSection(run),
    '',
    '## Span accounting',
    '',
    markdownTable(
      ['variant', ...spanColumns],
      spanRows(run).map((r) => [r.variant, ...spanColumns.map((c) => r.cells[c])]),
    ),
    '',
    'Counts cover each service process\'s whole life (warm-up included), summed over trials. started: spans the instrumentation began; ' +
      'sampled/ended: seen by a counting span processor; dropped: ended but never handed to the exporter; exported/export failed: ' +
      'the exporter\'s results; received: what the collector decoded. delivery = received / ended.',
  ];
  out.push(
    '',
    '## Export throughput',
    '',
    markdownTable(['variant', ...exportColumns], exportRows(run).map((r) => [r.variant, ...exportColumns.map((c) => r.cells[c])])),
    '',
    'The exporter\'s own view, for any endpoint: export calls (batches) sent and failed, spans exported, and the time from each export call to its result. ' +
      (env.exportTarget.kind === 'embedded'
        ? 'received: what the embedded collector decoded; export lag: its receipt time minus each span\'s end. '
        : 'The endpoint is not ours, so what it received is not known here. ') +
      'Rates are per second of load (warm-up and measured window), summed over trials.',
  );
  out.push(
    '',
    '## Batching and garbage collection',
    '',
    markdownTable(['variant', ...batchingColumns], batchingRows(run).map((r) => [r.variant, ...batchingColumns.map((c) => r.cells[c])])),
    '',
    'to processor: sampled spans that ended, per second of load; queue wait: mean time from a span\'s end to its hand-over to the exporter ' +
      '(the batch processor\'s queue); batches sent by: whether a batch filled up before the delay ran out, at that rate. ' +
      'GC: pauses of the main thread in the measured windows, medians over trials (concurrent marking shows in CPU only). ' +
      'At a low rate a sparse sampler keeps its spans queued for the whole delay, where a full one sends them within a fraction of a second: read Δ CPU with the regime.',
  );
  const jaeger = jaegerRows(run);
  if (run.jaeger && jaeger.length > 0) {
    out.push(
      '',
      '## Delivery checked in Jaeger',
      '',
      markdownTable(['variant', ...jaegerColumns], jaeger.map((r) => [r.variant, ...jaegerColumns.map((c) => r.cells[c])])),
      '',
      `Asked ${run.jaeger.queryUrl} (API ${run.jaeger.api ?? 'unknown'}) after the run, for service \`${run.jaeger.serviceName}\`` +
        `${run.jaeger.settled ? `, once its count had stopped changing (${(run.jaeger.settleMs / 1000).toFixed(1)} s)` : ', without it settling'}. ` +
        'exported traces: root spans the exporter reported exported. Each service process kept a uniform random sample of their ids; ' +
        `found / looked up: a seeded random sample of those (seed ${run.jaeger.seed}) asked for by id (GET /api/traces/{id}), with the Wilson 95% interval of the share found. ` +
        'spans per found trace: distinct spans Jaeger holds per found trace. in Jaeger search: distinct traces its search returns for the service in the variant\'s trial windows.',
    );
  }
  const dapper = dapperRows(run);
  if (dapper.length > 0) {
    out.push(
      '',
      '## Sampling ratio against overhead (after Dapper, table 2)',
      '',
      markdownTable(
        ['sampler', 'ratio', 'server p50 Δ', 'client p99 Δ', 'throughput Δ', 'CPU/req Δ', 'CPU Δ µs/req [95% CI]', 'on the fitted line'],
        dapper.map((d) => [d.sampler, String(d.ratio), d.serverP50Change, d.clientP99Change, d.throughputChange, d.cpuChange, d.cpuDeltaUs, d.cpuFittedUs]),
      ),
      '',
      ...(run.fits.length > 0
        ? [
            'Fitted over the ratio variants of each sampler, Δ = floor + ratio × cost per sampled trace (least squares on each variant\'s median change against the baseline of the same round; 95% intervals by resampling whole rounds):',
            '',
            ...fitLines(run).map((line) => `- ${line}`),
            '',
          ]
        : []),
      'Dapper (C++, 2010) reported +16.3% latency at 1/1 sampling, +2.1% at 1/16 and noise at 1/1024. ' +
        (run.openLoop
          ? `These rows come from a fixed rate of ${num(run.openLoop.ratePerSec)} req/s (open loop; client latency from each request's intended start), as in Dapper.`
          : 'These rows come from closed-loop saturation, so latency changes include queueing from lost throughput; a fixed rate (--rate 50% --processes pool) compares latency as Dapper did.'),
    );
  }
  if (run.explain) out.push('', markdownExplain(run.explain).trimEnd());
  out.push(...jaegerSamplingReportLines(run));
  const notes = warnings(run);
  if (notes.length > 0) out.push('', '## Warnings', '', ...notes.map((w) => `- ${w}`));
  out.push('', '## Variants', '', ...run.variants.map((v) => `- \`${v.name}\`: ${v.description}`), '');
  return out.join('\n');
}

/** report.md, with the gate's verdict at the end when there is one. */
export const reportMd: Output = {
  target: { file: 'report.md' },
  render: ({ run, verdict }) => markdownReport(run) + (verdict ? `\n${markdownVerdict(verdict)}` : ''),
};
