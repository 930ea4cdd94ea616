// report.html: one self-contained file (uPlot and the data inlined, no network) with the comparison
// table, the overhead curve, the latency distributions, every round, the span funnel, the environment
// and the warnings. The tables are the same rows as report.md's.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { htmlCharts } from './html-data.ts';
import type { Output } from './output.ts';
import { comparisonColumns, comparisonRows, exportColumns, exportRows, roundsLine, spanColumns, spanRows, warnings } from './rows.ts';
import type { RunDocument } from '../model/index.ts';

const require = createRequire(import.meta.url);
const uplotDir = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((cell, i) => `<td${i > 0 ? ' class="num"' : ''}>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Draws every chart of the data block with uPlot and lists them in window.tracetaxCharts (the browser test reads it). */
const drawCharts = `
const data = JSON.parse(document.getElementById('chart-data').textContent);
const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
window.tracetaxCharts = [];
for (const chart of data) {
  const el = document.getElementById(chart.id);
  const columns = [chart.x];
  const series = [{ label: chart.xLabel }];
  const bands = [];
  chart.series.forEach((s, i) => {
    const color = palette[i % palette.length];
    columns.push(s.values);
    const main = columns.length - 1;
    series.push(s.style === 'points'
      ? { label: s.label, stroke: color, width: 0, points: { show: true, size: 8, fill: color } }
      : { label: s.label, stroke: color, width: 2, points: { show: false } });
    if (s.low && s.high) {
      columns.push(s.high, s.low);
      series.push({ label: s.label + ' (95% high)', stroke: color, width: 1, dash: [4, 4], points: { show: false } });
      series.push({ label: s.label + ' (95% low)', stroke: color, width: 1, dash: [4, 4], points: { show: false } });
      bands.push({ series: [main + 1, main + 2], fill: color + '22' });
    }
  });
  const width = Math.min(960, el.clientWidth || 960);
  new uPlot({
    width, height: 320, series, bands,
    scales: { x: chart.xLog ? { distr: 3, time: false } : { time: false } },
    axes: [{ label: chart.xLabel }, { label: chart.yLabel }],
  }, columns, el);
  window.tracetaxCharts.push({ id: chart.id, series: chart.series.length, points: chart.x.length });
}
`;

export function htmlReport(run: RunDocument): string {
  const env = run.environment;
  const charts = htmlCharts(run);
  const comparison = comparisonRows(run).map((r) => [r.variant, ...comparisonColumns.map((c) => r.cells[c])]);
  const spans = spanRows(run).map((r) => [r.variant, ...spanColumns.map((c) => r.cells[c])]);
  const exports = exportRows(run).map((r) => [r.variant, ...exportColumns.map((c) => r.cells[c])]);
  const notes = warnings(run);
  const section = (id: string, title: string, body: string) => `<section id="${id}"><h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
  const chartBox = (id: string) => {
    const c = charts.find((x) => x.id === id);
    return c ? `<h3>${escapeHtml(c.title)}</h3><div class="chart" id="${c.id}"></div>` : '';
  };
  const pinning = env.pinning.pinned ? `service on CPU ${env.pinning.serviceCpus}, load generator and collector on CPU ${env.pinning.harnessCpus}` : `not pinned (${env.pinning.reason})`;
  // `</` inside a script element would end it: the data block escapes it.
  const dataBlock = JSON.stringify(charts).replace(/<\//g, '<\\/');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tracetax: ${escapeHtml(run.scenario.name)}</title>
<style>${readFileSync(path.join(uplotDir, 'uPlot.min.css'), 'utf8')}
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; padding: 0 16px; color: #222; }
table { border-collapse: collapse; font-size: 12.5px; margin: 8px 0 16px; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart { margin: 8px 0 24px; } .warn { color: #8a4b00; } .scroll { overflow-x: auto; }
</style></head><body>
<h1>tracetax: ${escapeHtml(run.scenario.name)}</h1>
<p>${escapeHtml(run.scenario.description)}</p>
<p>${escapeHtml(roundsLine(run))}. Every Δ is against the untraced variant of its runtime in the same rounds, ± the half-width of its 95% interval in points.</p>
${section('comparison', 'Overhead against the untraced baseline', `<div class="scroll">${table(['variant', ...comparisonColumns], comparison)}</div>`)}
${charts.some((c) => c.id.startsWith('curve-')) ? section('curve', 'The overhead curve', ['curve-cpu', 'curve-server-p50', 'curve-throughput'].map(chartBox).join('\n')) : ''}
${section('latency', 'Latency distributions', ['latency-client', 'latency-server'].map(chartBox).join('\n'))}
${section('rounds', 'Every round', chartBox('rounds'))}
${section('spans', 'The span funnel', `<div class="scroll">${table(['variant', ...spanColumns], spans)}</div><div class="scroll">${table(['variant', ...exportColumns], exports)}</div>`)}
${section('environment', 'Environment', `<ul>
<li>Run: ${escapeHtml(run.startedAt)} → ${escapeHtml(run.finishedAt)}</li>
<li>Machine: ${escapeHtml(`${env.cpuModel} × ${env.cpuCount}, Node.js ${env.node} (${env.platform}/${env.arch}); ${pinning}`)}</li>
<li>Design: ${escapeHtml(`${run.design.processes}, order ${run.design.order}, seed ${run.design.seed}, ${run.design.roundsRun} rounds (${run.design.stoppedBecause})`)}</li>
<li>Export target: ${escapeHtml(`${env.exportTarget.kind} ${env.exportTarget.endpoint}`)}</li>
</ul>`)}
${section('warnings', 'Warnings', notes.length === 0 ? '<p>None.</p>' : `<ul>${notes.map((w) => `<li class="warn">${escapeHtml(w)}</li>`).join('\n')}</ul>`)}
<script>${readFileSync(path.join(uplotDir, 'uPlot.iife.min.js'), 'utf8')}</script>
<script type="application/json" id="chart-data">${dataBlock}</script>
<script>${drawCharts}</script>
</body></html>
`;
}

export const reportHtml: Output = { target: { file: 'report.html' }, render: ({ run }) => htmlReport(run) };
