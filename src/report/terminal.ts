// The comparison table printed at the end of a run.
import type { RunDocument } from '../run/run.ts';
import { comparisonRows, spanRows, warnings } from './rows.ts';
import { textTable } from './table.ts';

const terminalColumns = ['req/s', 'Δ req/s', 'client p99 ms', 'server p50 µs', 'Δ server p50', 'server p99 µs', 'CPU µs/req', 'Δ CPU'] as const;
const terminalSpanColumns = ['spans/req', 'sampled', 'dropped', 'export failed', 'received', 'delivery'] as const;

export function terminalReport(run: RunDocument): string {
  const spans = new Map(spanRows(run).map((r) => [r.variant, r.cells]));
  const headers = ['variant', ...terminalColumns, ...terminalSpanColumns];
  const rows = comparisonRows(run).map((r) => [
    r.variant,
    ...terminalColumns.map((c) => r.cells[c]),
    ...terminalSpanColumns.map((c) => spans.get(r.variant)![c]),
  ]);
  const notes = warnings(run).map((w) => `! ${w}`);
  return [`${run.scenario.name}: every Δ against ${run.baseline}`, textTable(headers, rows), ...notes].join('\n');
}
