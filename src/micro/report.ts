// A micro run's report: its sections (for report.md and report.html) and a terminal table. Printers return strings.
import { num } from '../report/format.ts';
import { markdownSections } from '../report/render-markdown.ts';
import { textTable } from '../report/table.ts';
import type { MeanSd, MicroDocument, MicroResult, ReportSection } from '../model/index.ts';

const ns = (r: MicroResult) => num(r.nsPerOp);
const ops = (r: MicroResult) => Math.round(r.opsPerSec).toLocaleString('en-US');
const rme = (r: MicroResult) => `±${r.rmePercent.toFixed(1)}%`;
const meanSdText = (m: MeanSd, digits = 1) => `${m.mean.toFixed(digits)} ± ${m.sd.toFixed(digits)}`;
const int = (n: number) => Math.round(n).toLocaleString('en-US');

const headers = ['suite', 'operation', 'ns/op', 'ops/s', 'rme', 'samples × ops'];
const rows = (doc: MicroDocument) => doc.results.map((r) => [r.suite, r.name, ns(r), ops(r), rme(r), `${r.samples} × ${r.opsPerSample}`]);

/** The exporter's highest span rate next to the collector's decode rate: how much headroom the collector has. */
export function rateLines(doc: MicroDocument): string[] {
  const lines = [`collector decode: ${int(doc.collectorDecode.spansPerSec)} spans/s (±${doc.collectorDecode.rmePercent.toFixed(1)}%, ${doc.collectorDecode.batchSpans}-span batches of ${int(doc.collectorDecode.payloadBytes)} bytes)`];
  if (doc.spec) {
    const m = doc.spec.maxRate;
    lines.push(
      `exporter's highest rate: ${int(m.spansPerSec)} spans/s created and exported on one core (${m.cpuPercent.toFixed(0)}% CPU, ${num(m.cpuUsPerSpan)} CPU µs/span, ${doc.spec.attributes}; BatchSpanProcessor + OTLP/gRPC exporter)`,
      `decode rate / export rate: ${(doc.collectorDecode.spansPerSec / m.spansPerSec).toFixed(1)}×`,
    );
  }
  return lines;
}

/** The specification benchmark's fixed-rate windows: CPU per processor, with its caption; null without them. */
function specTable(doc: MicroDocument): { caption: string; headers: string[]; rows: string[][] } | null {
  const f = doc.spec?.fixedRate;
  if (!doc.spec || !f) return null;
  const row = (name: string, s: typeof f.simple) => [
    name,
    `${meanSdText(s.cpuPercent)}%`,
    int(s.achievedPerSec.mean),
    s.cpuPercent.mean > 0 ? num((s.cpuPercent.mean * 1e4) / s.achievedPerSec.mean) : '–',
    int(s.exportFailed),
    s.cpuPercent.values.map((v) => v.toFixed(1)).join(', '),
  ];
  return {
    caption: `CPU at ${int(f.targetPerSec)} spans/s offered for ${f.seconds} s, ${f.repeats} runs each in fresh processes${doc.spec.pinnedTo ? ` pinned to CPU ${doc.spec.pinnedTo}` : ''} (mean ± sd):`,
    headers: ['processor', 'CPU % of one core', 'spans/s created', 'CPU µs/span', 'spans in failed exports', 'runs'],
    rows: [row('simple', f.simple), row('batch', f.batch)],
  };
}

/** The run's head, a line each. */
export function microHeaderLines(doc: MicroDocument): string[] {
  const env = doc.environment;
  const pinning = env.pinning.pinned ? `exporting process pinned to CPU ${env.pinning.serviceCpus}, suites on CPU ${env.pinning.harnessCpus}` : `not pinned (${env.pinning.reason})`;
  return [
    `Run: ${doc.startedAt} → ${doc.finishedAt} (${doc.wallSec.toFixed(0)} s)`,
    `Machine: ${env.cpuModel} × ${env.cpuCount}, Node.js ${env.node} (${env.platform}/${env.arch}); ${pinning}`,
    `Packages: ${Object.entries(env.packages).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `tinybench: ${doc.scenario.taskTimeMs} ms per task after ${doc.scenario.taskWarmupMs} ms of warm-up; each sample times a batch of operations (samples × ops), ns/op is the mean; rme is the 95% relative margin of error of the mean`,
  ];
}

/** A micro run's report as sections, for report.md and report.html alike. */
export function microSections(doc: MicroDocument): ReportSection[] {
  const spec = specTable(doc);
  const a = doc.asyncResources;
  return [
    {
      id: 'operations',
      title: 'Per operation',
      blocks: [
        { kind: 'table', headers, rows: rows(doc) },
        {
          kind: 'text',
          text:
            'Span start+end tasks use a tracer with no span processor (the processors are measured on their own); child spans take their parent from a pool of 1,024 traces sampled by the same sampler, so ratio samplers see the real mix. ' +
            'Notes: ' + doc.results.filter((r) => r.note).map((r) => `*${r.name}*: ${r.note}`).join('; ') + '.',
        },
      ],
    },
    { id: 'export', title: 'Collector and exporter', blocks: [{ kind: 'list', items: rateLines(doc) }] },
    ...(spec ? [{ id: 'spec', title: 'The specification benchmark at a fixed rate', blocks: [{ kind: 'text' as const, text: spec.caption }, { kind: 'table' as const, headers: spec.headers, rows: spec.rows }] }] : []),
    ...(a
      ? [{
          id: 'async',
          title: 'Async resources per request',
          blocks: [{
            kind: 'text' as const,
            text:
              `The untraced service created ${num(a.perRequest)} async resources per request (async_hooks init events over ${a.requests} requests, all four hops): ` +
              Object.entries(a.byType).map(([type, n]) => `${type} ${num(n)}`).join(', ') +
              '. Under the AsyncLocalStorage context manager each one carries the active context.',
          }],
        }]
      : []),
  ];
}

export function markdownMicroReport(doc: MicroDocument): string {
  return [`# tracetax: ${doc.scenario.name}`, '', doc.scenario.description, '', ...microHeaderLines(doc).map((l) => `- ${l}`), ...markdownSections(microSections(doc))].join('\n') + '\n';
}

export function terminalMicroReport(doc: MicroDocument): string {
  // A terminal table aligns its first column left and the rest right: the operation goes first.
  const spec = specTable(doc);
  const termRows = doc.results.map((r) => [`${r.suite}: ${r.name}`, ns(r), ops(r), rme(r), `${r.samples} × ${r.opsPerSample}`]);
  return [
    `${doc.scenario.name}: ${doc.results.length} micro-benchmarks, Node.js ${doc.environment.node} on ${doc.environment.cpuModel} (${doc.wallSec.toFixed(0)} s)`,
    textTable(['operation', ...headers.slice(2)], termRows),
    '',
    ...rateLines(doc),
    ...(spec ? ['', spec.caption, '', textTable(spec.headers, spec.rows)] : []),
    ...(doc.asyncResources ? ['', `async resources per request (untraced service): ${num(doc.asyncResources.perRequest)}`] : []),
  ].join('\n');
}
