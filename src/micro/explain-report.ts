// The explain section of a load report: predicted against measured tracing CPU per request, and the
// floor's breakdown. Printers return strings.
import { textTable } from '../report/table.ts';
import { fmt as us } from './explain.ts';
import { markdownSection } from '../report/render-markdown.ts';
import type { ExplainRow, Explanation, Interval, ReportBlock, ReportSection } from '../model/index.ts';
const measuredCell = (r: ExplainRow) => (r.measured ? `${us(r.measured.us)} [${us(r.measured.lowUs)}, ${us(r.measured.highUs)}]` : '–');
const ratioCell = (r: ExplainRow) => (r.ratio === null ? '–' : `${r.ratio.toFixed(2)}×`);
const verdictCell = (r: ExplainRow) => (r.measured === null ? '–' : r.differs ? 'differ by > 30%' : 'agree within 30%');

const headers = ['variant', 'sampled spans/req', 'predicted µs/req', 'measured Δ CPU µs/req [95% CI]', 'predicted / measured', 'verdict'];
const rows = (e: Explanation) =>
  e.rows.map((r) => [r.variant, r.sampledPerRequest.toFixed(2), us(r.predictedUs), measuredCell(r), ratioCell(r), verdictCell(r)]);

const componentNames: Record<keyof ExplainRow['predicted'], string> = {
  contextWith: 'context.with',
  asyncContext: 'async context',
  propagation: 'propagation',
  nonRecordingSpans: 'non-recording spans',
  recordedSpans: 'recorded spans',
  attributesAndEvents: 'attributes+events',
  processor: 'processor',
  serialization: 'OTLP serialization',
  planted: 'planted',
};

function floorRows(e: Explanation): string[][] {
  const f = e.floor;
  const c = e.costs;
  const p = e.profile;
  return [
    ['context manager: context.with', `${p.contextWith} × ${us(c.contextWithExtra * 1000)} ns (AsyncLocalStorage − no manager)`, us(f.contextWith)],
    [
      'context manager: async resources',
      c.asyncResourcesPerRequest === null ? 'not counted' : `${us(c.asyncResourcesPerRequest)} × ${us(c.perAsyncResourceExtra * 1000)} ns (per promise under AsyncLocalStorage)`,
      us(f.asyncContext),
    ],
    ['propagation', `${p.injects} inject × ${us(c.inject * 1000)} ns + ${p.extractsWithParent} extract × ${us(c.extract * 1000)} ns + ${p.extractsWithoutParent} empty extract × ${us(c.extractNone * 1000)} ns`, us(f.propagation)],
    ['non-recording spans', `${p.rootSpans} root × ${us(c.rootOff * 1000)} ns + ${p.childSpans} child × ${us(c.childOff * 1000)} ns`, us(f.nonRecordingSpans)],
    ['total predicted floor', '', us(f.total)],
    ...f.measured.map((m) => [`measured: ${m.variant}`, '', m.measured ? `${us(m.measured.us)} [${us(m.measured.lowUs)}, ${us(m.measured.highUs)}]` : '–']),
  ];
}

const interval = (i: Interval) => `${us(i.value)} [${us(i.low)}, ${us(i.high)}]`;
const times = (predicted: number, fitted: Interval) => (fitted.value > 0 ? `${(predicted / fitted.value).toFixed(2)}×` : '–');

/** The prediction against the run's floor + per-trace fit, per sampler family. */
function fitRows(e: Explanation): string[][] {
  return e.fitChecks.flatMap((f) => [
    [f.family, 'floor µs/request', us(f.predictedFloorUs), interval(f.fittedFloorUs), times(f.predictedFloorUs, f.fittedFloorUs)],
    [f.family, 'per sampled span µs', us(f.predictedPerSpanUs), interval(f.fittedPerSpanUs), times(f.predictedPerSpanUs, f.fittedPerSpanUs)],
    ...(f.predictedPerSpanWithTransportUs === null
      ? []
      : [[f.family, 'per sampled span, with export transport', us(f.predictedPerSpanWithTransportUs), interval(f.fittedPerSpanUs), times(f.predictedPerSpanWithTransportUs, f.fittedPerSpanUs)]]),
  ]);
}
const fitHeaders = ['sampler', 'quantity', 'predicted', 'fitted [95% CI]', 'predicted / fitted'];

/** Where prediction and measurement part, and the variants left unpredicted. */
function explainFindings(e: Explanation): string[] {
  return [
    ...e.rows.filter((r) => r.finding).map((r) => `${r.variant}: ${r.finding}`),
    ...(e.elsewhere ?? []).map((x) => `${x.variant}: not predicted: it ran on ${x.ranOn}, the micro-benchmarks on ${x.microOn} (run them there: --scenario micro --runtime … --sdk …)`),
  ];
}

const caption = (e: Explanation) =>
  `Predicted from the micro-benchmarks (${e.micro.startedAt}, Node.js ${e.micro.node}, ${e.micro.cpuModel}) and what one request does ` +
  `(${e.profile.rootSpans} root + ${e.profile.childSpans} child spans, ${e.profile.attributes} attributes and ${e.profile.events} events when recorded, ` +
  `${e.profile.injects} injects, ${e.profile.extractsWithParent + e.profile.extractsWithoutParent} extracts, ${e.profile.contextWith} context.with); ` +
  'measured: the variant\'s paired CPU change against untraced applied to untraced\'s median CPU µs/request, with its bootstrap interval.';

/** The explain section's tables in order, each with its title and caption: every printer shows these. */
function explainTables(e: Explanation): { title: string; headers: readonly string[]; rows: string[][]; caption?: string }[] {
  const components = Object.keys(componentNames) as (keyof ExplainRow['predicted'])[];
  return [
    { title: 'Where the cost goes: predicted against measured', headers, rows: rows(e), caption: caption(e) },
    { title: 'Predicted µs/request by component', headers: ['variant', ...components.map((c) => componentNames[c])], rows: e.rows.map((r) => [r.variant, ...components.map((c) => us(r.predicted[c]))]) },
    { title: 'The floor: what nothing sampled still costs', headers: ['part', 'from', 'µs/request'], rows: floorRows(e) },
    ...(e.fitChecks.length > 0
      ? [{
          title: 'Against the fit: floor and cost per sampled span',
          headers: fitHeaders,
          rows: fitRows(e),
          caption: 'Fitted: the run\'s least-squares line Δ CPU = floor + ratio × cost per sampled trace over each sampler\'s ratio variants, per span = per trace / spans per request.',
        }]
      : []),
  ];
}

/** The explain section of a report: the prediction, its parts, the floor and the fit, and where they differ. */
export function explainSection(e: Explanation): ReportSection {
  const tables = explainTables(e);
  const findings = explainFindings(e);
  const blocks: ReportBlock[] = tables.flatMap((t, i) => [
    ...(i === 0 ? [] : [{ kind: 'heading' as const, text: t.title }]),
    { kind: 'table' as const, headers: t.headers, rows: t.rows },
    ...(t.caption ? [{ kind: 'text' as const, text: t.caption }] : []),
  ]);
  if (findings.length > 0) blocks.push({ kind: 'heading', text: 'Where they differ' }, { kind: 'list', items: findings });
  return { id: 'explain', title: tables[0].title, blocks };
}

export const markdownExplain = (e: Explanation): string => `${markdownSection(explainSection(e)).join('\n')}\n`;

export function terminalExplain(e: Explanation): string {
  return [
    'where the cost goes: predicted from micro-benchmarks against measured Δ CPU',
    textTable(headers, rows(e)),
    '',
    'the floor (nothing sampled):',
    textTable(['part', 'from', 'µs/request'], floorRows(e)),
    ...(e.fitChecks.length > 0 ? ['', 'against the fit (floor + ratio × per-trace cost):', textTable(fitHeaders, fitRows(e))] : []),
    ...explainFindings(e).map((f) => `! ${f}`),
  ].join('\n');
}
