// report.md: the run's head, then its sections (src/report/sections.ts) in Markdown, and the gate's verdict.
import { runHeaderLines } from './describe.ts';
import type { Output } from './output.ts';
import { markdownSections } from './render-markdown.ts';
import { loadRunSections } from './sections.ts';
import { markdownVerdict } from './verdict.ts';
import type { RunDocument } from '../model/index.ts';

export function markdownReport(run: RunDocument): string {
  return [`# tracetax: ${run.scenario.name}`, '', run.scenario.description, '', ...runHeaderLines(run).map((line) => `- ${line}`), ...markdownSections(loadRunSections(run)), ''].join('\n');
}

/** report.md, with the gate's verdict at the end when there is one. */
export const reportMd: Output = {
  target: { file: 'report.md' },
  render: ({ run, verdict }) => markdownReport(run) + (verdict ? `\n${markdownVerdict(verdict)}` : ''),
};
