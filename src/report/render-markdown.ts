// Report sections as Markdown: `## title`, then each block, a blank line between.
import { markdownTable } from './table.ts';
import type { ReportBlock, ReportSection } from '../model/index.ts';

function blockLines(block: ReportBlock): string[] {
  switch (block.kind) {
    case 'table':
      return [markdownTable(block.headers, block.rows.map((r, i) => (block.strongRows?.includes(i) ? [`**${r[0]}**`, ...r.slice(1)] : r)))];
    case 'text':
      return [block.text];
    case 'list':
      return block.items.map((item) => `- ${item}`);
    case 'heading':
      return [`### ${block.text}`];
  }
}

export function markdownSection(section: ReportSection): string[] {
  return [`## ${section.title}`, ...section.blocks.flatMap((b) => ['', ...blockLines(b)])];
}

/** Each section after a blank line. */
export const markdownSections = (sections: readonly ReportSection[]): string[] => sections.flatMap((s) => ['', ...markdownSection(s)]);
