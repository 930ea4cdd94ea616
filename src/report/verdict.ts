// The gate's verdict: a short table naming each checked metric, its change with its interval, and its threshold.
import { duration as minutes, json } from './format.ts';
import type { Output } from './output.ts';
import { markdownSection } from './render-markdown.ts';
import { textTable } from './table.ts';
import type { ReportSection, Verdict, VerdictRow } from '../model/index.ts';

const headers = ['variant', 'metric', 'before → after', 'change (worse +)', '95% CI', 'p', 'threshold', 'verdict'];

function signed(value: number, unit: string): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(unit === 'pp' ? 2 : 1)}${unit === 'pp' ? ' pp' : '%'}`;
}

function shown(row: VerdictRow, value: number): string {
  return row.unit === 'pp' ? `${(value * 100).toFixed(2)}%` : `×${value.toFixed(3)}`;
}

function cells(row: VerdictRow): string[] {
  const verdict = row.failed ? 'FAIL' : row.undecided ? 'undecided' : row.significant ? 'ok (within threshold)' : 'ok (~)';
  return [
    row.variant,
    row.label,
    `${shown(row, row.before)} → ${shown(row, row.after)}`,
    signed(row.change, row.unit),
    row.unit === 'pp' ? '–' : `[${signed(row.low, row.unit)}, ${signed(row.high, row.unit)}]`,
    Number.isNaN(row.test.p) ? '–' : row.test.p < 0.001 ? '<0.001' : row.test.p.toFixed(3),
    `${signed(row.threshold, row.unit)}`,
    verdict,
  ];
}

/** How the rows were compared, for the reader of report.md. */
const method: Record<Verdict['mode'], string> = {
  'saved-baseline':
    "Overheads are the variant over untraced in the same round (×1.000 = no overhead), compared with the baseline file's by " +
    'ratio of medians (bootstrap CI over whole samples) and a Mann–Whitney U test. A metric fails only when its change is ' +
    'significant and worse than its threshold; it is undecided when it did not fail but its interval reaches past the threshold.',
  'same-run':
    "Before is the base checkout's overhead, after this tree's, each over its own untraced (×1.000 = no overhead), both measured in " +
    "the same rounds. The change is the mean over blocks of fresh processes of each block's geometric-mean ratio of the two, with a Student-t 95% " +
    'interval over the blocks and p. A metric fails when its change is significant and its interval reaches the threshold; it is undecided ' +
    'when it did not fail but its interval still reaches past the threshold. Delivery compares exact span counts.',
};


function summaryLine(verdict: Verdict): string {
  const against = verdict.mode === 'same-run' ? 'against the base checkout in the same run' : 'against the saved baseline';
  if (verdict.passed) return `PASS: no metric got significantly worse by its threshold (${verdict.rows.length} checked, ${against})`;
  if (verdict.outcome === 'undecided') {
    const open = verdict.rows.filter((r) => r.undecided);
    const needed = open.map((r) => r.neededSec).filter((s): s is number => typeof s === 'number');
    const time = needed.length === open.length && needed.length > 0 ? `; about ${minutes(Math.max(...needed))} of rounds would likely decide it (--max-time)` : open.some((r) => r.neededSec === null) ? '; at this noise, more than an hour would be needed' : '';
    const names = open.map((r) => `${r.variant} ${r.label} ${signed(r.change, r.unit)} [${signed(r.low, r.unit)}, ${signed(r.high, r.unit)}] (threshold ${signed(r.threshold, r.unit)})`);
    return `UNDECIDED: neither ruled out nor confirmed ${against}: ${names.join('; ')}${time}`;
  }
  const names = verdict.failures.map((r) => `${r.variant} ${r.label} ${signed(r.change, r.unit)} (threshold ${signed(r.threshold, r.unit)})`);
  return `FAIL: ${names.join('; ')}`;
}

export function terminalVerdict(verdict: Verdict): string {
  return [textTable(headers, verdict.rows.map(cells)), ...verdict.notes.map((n) => `! ${n}`), summaryLine(verdict)].join('\n');
}

/** The verdict as a report section, for report.md and report.html. */
export function verdictSection(verdict: Verdict): ReportSection {
  return {
    id: 'verdict',
    title: 'Regression check',
    blocks: [
      { kind: 'table', headers, rows: verdict.rows.map(cells) },
      { kind: 'text', text: method[verdict.mode] },
      ...(verdict.notes.length > 0 ? [{ kind: 'list' as const, items: verdict.notes }] : []),
      { kind: 'text', text: `**${summaryLine(verdict)}**` },
    ],
  };
}

export const markdownVerdict = (verdict: Verdict): string => `${markdownSection(verdictSection(verdict)).join('\n')}\n`;

export const verdictJson: Output = { target: { file: 'verdict.json' }, render: ({ verdict }) => verdict && json(verdict) };

export const terminalVerdictOutput: Output = { target: 'terminal', render: ({ verdict }) => verdict && terminalVerdict(verdict) };
