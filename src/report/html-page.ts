// The shell of every report.html (a load run's, a micro run's): one self-contained file with uPlot, its
// CSS, the charts' data and the script that draws them inlined, so it opens offline and makes no request.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ChartSpec, ReportBlock, ReportSection } from '../model/index.ts';

const require = createRequire(import.meta.url);
const uplotDir = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
const drawScript = new URL('./charts.browser.js', import.meta.url);

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Escaped text with its `code`, **strong** and *emphasis* (the Markdown the reports' words use) set as such. */
const inline = (text: string) =>
  escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[\s(])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>');

/** A table of names and figures. */
function htmlTable(headers: readonly string[], rows: readonly (readonly string[])[], strongRows: readonly number[] = []): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  // Figures align right; names (the first column, and any other that is words) left.
  // A change's verdict shows at a glance: differs in bold, undecided in grey.
  const verdict = (text: string) => / (differs|undecided)$/.exec(text)?.[1];
  const cell = (text: string, i: number) =>
    i > 0 && /^[-+−–±≥\d.]/.test(text) ? `<td class="num${verdict(text) ? ` ${verdict(text)}` : ''}">${escapeHtml(text)}</td>` : `<td>${inline(text)}</td>`;
  const body = rows.map((r, i) => `<tr${strongRows.includes(i) ? ' class="strong"' : ''}>${r.map(cell).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

const htmlList = (items: readonly string[]) => `<ul>${items.map((i) => `<li>${inline(i)}</li>`).join('\n')}</ul>`;

function htmlBlock(block: ReportBlock): string {
  switch (block.kind) {
    case 'table':
      return htmlTable(block.headers, block.rows, block.strongRows);
    case 'text':
      return `<p class="caption">${inline(block.text)}</p>`;
    case 'list':
      return htmlList(block.items);
    case 'heading':
      return `<h3>${escapeHtml(block.text)}</h3>`;
  }
}

/** A paragraph of text (which may hold `code`). */
export const htmlText = (text: string) => `<p>${inline(text)}</p>`;

/** A section: its title, then `lead` (charts), then its blocks. */
export function htmlSection(section: ReportSection, lead = ''): string {
  return `<section id="${section.id}"><h2>${escapeHtml(section.title)}</h2>\n${lead}${section.blocks.map(htmlBlock).join('\n')}\n</section>`;
}

/** The place of chart `id`, with its title; '' when the run has no such chart. */
export function chartBox(charts: readonly ChartSpec[], id: string): string {
  const c = charts.find((x) => x.id === id);
  return c ? `<h3>${escapeHtml(c.title)}</h3><div class="chart" id="chart-${c.id}"></div>${c.note ? `<p class="caption">${inline(c.note)}</p>` : ''}` : '';
}

/**
 * The whole page: `body` is HTML, `charts` are drawn into their chartBox. A series named in `names` has
 * the colour of its place there in every chart; the one named `baseline` is drawn in black.
 */
export function htmlPage(title: string, body: string, charts: readonly ChartSpec[], names: readonly string[] = [], baseline?: string): string {
  // `</` inside a script element would end it: the data block escapes it.
  const dataBlock = JSON.stringify({ baseline, names, charts }).replace(/<\//g, '<\\/');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${readFileSync(path.join(uplotDir, 'uPlot.min.css'), 'utf8')}
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; padding: 0 16px; color: #222; }
table { border-collapse: collapse; font-size: 12.5px; margin: 8px 0 16px; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } tr.strong td, td.differs { font-weight: 600; } td.undecided { color: #777; }
.chart { margin: 8px 0 4px; } #warnings li { color: #8a4b00; } .scroll { overflow-x: auto; }
p.caption { font-size: 12.5px; color: #555; max-width: 60em; }
</style></head><body>
<h1>${escapeHtml(title)}</h1>
${body}
<script>${readFileSync(path.join(uplotDir, 'uPlot.iife.min.js'), 'utf8')}</script>
<script type="application/json" id="chart-data">${dataBlock}</script>
<script>${readFileSync(drawScript, 'utf8')}</script>
</body></html>
`;
}
