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
const { baseline, charts: data } = JSON.parse(document.getElementById('chart-data').textContent);
data.baseline = baseline;
const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
window.tracetaxCharts = [];
// Each measured point's 95% interval as a vertical whisker at its own x: a band between points would
// draw an interval where nothing was measured.
function whiskers(intervals) {
  return (u) => {
    const ctx = u.ctx;
    ctx.save();
    ctx.lineWidth = 1.5 * devicePixelRatio;
    for (const { low, high, color } of intervals) {
      ctx.strokeStyle = color;
      u.data[0].forEach((x, i) => {
        if (low[i] == null || high[i] == null) return;
        const px = u.valToPos(x, 'x', true);
        const top = u.valToPos(high[i], 'y', true);
        const bottom = u.valToPos(low[i], 'y', true);
        const cap = 4 * devicePixelRatio;
        ctx.beginPath();
        ctx.moveTo(px, top); ctx.lineTo(px, bottom);
        ctx.moveTo(px - cap, top); ctx.lineTo(px + cap, top);
        ctx.moveTo(px - cap, bottom); ctx.lineTo(px + cap, bottom);
        ctx.stroke();
      });
    }
    ctx.restore();
  };
}
for (const chart of data) {
  const el = document.getElementById('chart-' + chart.id);
  const columns = [chart.x];
  const series = [{ label: chart.xLabel }];
  const intervals = [];
  chart.series.forEach((s, i) => {
    // The baseline in black; past the palette's end, the colours come again dashed.
    const color = s.label === data.baseline ? '#000000' : palette[i % palette.length];
    const dash = i >= palette.length ? [6, 3] : undefined;
    columns.push(s.values);
    series.push(s.style === 'points'
      ? { label: s.label, stroke: color, width: 0, points: { show: true, size: 8, fill: color } }
      : { label: s.label, stroke: color, width: s.label === data.baseline ? 3 : 2, dash, points: { show: false } });
    if (s.low && s.high) intervals.push({ low: s.low, high: s.high, color });
  });
  // The y range covers the whiskers too.
  const ys = [...chart.series.flatMap((s) => [...s.values, ...(s.low || []), ...(s.high || [])])].filter((v) => v != null);
  const width = Math.min(960, el.clientWidth || 960);
  new uPlot({
    width, height: 320, series,
    scales: { x: chart.xLog ? { distr: 3, time: false } : { time: false }, y: ys.length ? { range: [Math.min(0, ...ys), Math.max(...ys) * 1.05 || 1] } : {} },
    // A percentile axis reads p90, p99, p99.9 rather than 1/(1−p).
    axes: [chart.xPercentile
      ? { label: chart.xLabel, values: (u, splits) => splits.map((v) => (chart.x.some((x) => Math.abs(x - v) < 1e-6 * x) ? 'p' + String(+(100 * (1 - 1 / v)).toPrecision(6)) : '')) }
      : { label: chart.xLabel }, { label: chart.yLabel }],
    hooks: { draw: [whiskers(intervals)] },
  }, columns, el);
  window.tracetaxCharts.push({ id: chart.id, series: chart.series.length, points: chart.x.length });
}
`;

export function htmlReport(run: RunDocument): string {
  const env = run.environment;
  const charts = htmlCharts(run);
  // The most direct measure of tracing's cost first, so a narrow window shows it without scrolling.
  const columns = [...comparisonColumns.filter((c) => c === 'CPU µs/req' || c === 'Δ CPU'), ...comparisonColumns.filter((c) => c !== 'CPU µs/req' && c !== 'Δ CPU')];
  const comparison = comparisonRows(run).map((r) => [r.variant, ...columns.map((c) => r.cells[c])]);
  const spans = spanRows(run).map((r) => [r.variant, ...spanColumns.map((c) => r.cells[c])]);
  const exports = exportRows(run).map((r) => [r.variant, ...exportColumns.map((c) => r.cells[c])]);
  const notes = warnings(run);
  const section = (id: string, title: string, body: string) => `<section id="${id}"><h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
  const chartBox = (id: string) => {
    const c = charts.find((x) => x.id === id);
    return c ? `<h3>${escapeHtml(c.title)}</h3><div class="chart" id="chart-${c.id}"></div>` : '';
  };
  const pinning = env.pinning.pinned ? `service on CPU ${env.pinning.serviceCpus}, load generator and collector on CPU ${env.pinning.harnessCpus}` : `not pinned (${env.pinning.reason})`;
  // `</` inside a script element would end it: the data block escapes it.
  const dataBlock = JSON.stringify({ baseline: run.baseline, charts }).replace(/<\//g, '<\\/');
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
${section('comparison', 'Overhead against the untraced baseline', `<div class="scroll">${table(['variant', ...columns], comparison)}</div>`)}
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
