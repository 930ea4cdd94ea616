// A load run's report.html: report.md's sections (src/report/sections.ts) with the charts of
// html-data.ts beside the tables they illustrate, the latency distributions and every round, and the
// environment, in one self-contained page (html-page.ts).
import { runHeaderLines } from './describe.ts';
import { htmlCharts } from './html-data.ts';
import { chartBox, htmlPage, htmlSection, htmlText } from './html-page.ts';
import type { Output } from './output.ts';
import { roundsLine } from './rows.ts';
import { loadRunSections } from './sections.ts';
import { verdictSection } from './verdict.ts';
import type { ReportSection, RunDocument, Verdict } from '../model/index.ts';

/** Which charts lead which section. */
const chartsOfSection: Readonly<Record<string, readonly string[]>> = {
  sampling: ['curve-cpu', 'curve-server-p50', 'curve-throughput'],
  spans: ['funnel'],
  explain: ['explain'],
};

/** With --check, the gate's verdict follows the comparison table. */
function htmlReport(run: RunDocument, verdict?: Verdict): string {
  const charts = htmlCharts(run);
  const boxes = (ids: readonly string[]) => ids.map((id) => chartBox(charts, id)).join('\n');
  const render = (s: ReportSection) => htmlSection(s, boxes(chartsOfSection[s.id] ?? []));
  const sections = loadRunSections(run);
  const [comparison, ...rest] = sections;
  // The overhead curve comes right after the table, with the Dapper-style table it draws.
  const sampling = rest.find((s) => s.id === 'sampling');
  const chartsOnly = (id: string, title: string, ids: readonly string[]) => (ids.some((c) => charts.some((x) => x.id === c)) ? htmlSection({ id, title, blocks: [] }, boxes(ids)) : '');
  const body = [
    htmlText(run.scenario.description),
    htmlText(`${roundsLine(run)}. Every Δ is against the untraced variant of its runtime in the same rounds, ± the half-width of its 95% interval in points.`),
    render(comparison),
    verdict ? htmlSection(verdictSection(verdict)) : '',
    sampling ? render(sampling) : chartsOnly('sampling', 'The overhead curve', chartsOfSection.sampling),
    chartsOnly('latency', 'Latency distributions', ['latency-client', 'latency-server']),
    chartsOnly('rounds', 'Every round', ['rounds']),
    ...rest.filter((s) => s !== sampling).map(render),
    htmlSection({ id: 'environment', title: 'Environment and design', blocks: [{ kind: 'list', items: runHeaderLines(run) }] }),
  ];
  return htmlPage(`tracetax: ${run.scenario.name}`, body.join('\n'), charts, run.variants.map((v) => v.name), run.baseline);
}

export const reportHtml: Output = { target: { file: 'report.html' }, render: ({ run, verdict }) => htmlReport(run, verdict) };
