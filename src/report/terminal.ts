// The comparison table printed at the end of a run: the columns that fit a terminal; report.md has them all.
import { terminalExplain } from '../micro/explain-report.ts';
import type { Output } from './output.ts';
import { baseNote, batchingRows, comparisonRows, fitLines, jaegerColumns, jaegerRows, roundsLine, spanRows, warnings } from './rows.ts';
import { aaCheckLine, noiseLine } from './noise.ts';
import { runtimeColumns, runtimeRows } from './runtimes.ts';
import { textTable } from './table.ts';
import type { RunDocument } from '../model/index.ts';

const terminalColumns = ['req/s', 'Δ req/s', 'server p99 µs', 'Δ server p99', 'CPU µs/req', 'Δ CPU'] as const;
const terminalSpanColumns = ['spans/req', 'received/req', 'sampled', 'dropped', 'export failed', 'delivery'] as const;
const terminalBatchingColumns = ['to processor spans/s', 'queue wait ms', 'batches sent by', 'GC pause µs/req', 'mark-sweeps/s'] as const;

export function terminalReport(run: RunDocument): string {
  const spans = new Map(spanRows(run).map((r) => [r.variant, r.cells]));
  const headers = ['variant', ...terminalColumns, ...terminalSpanColumns];
  const rows = comparisonRows(run).map((r) => [
    r.variant,
    ...terminalColumns.map((c) => r.cells[c]),
    ...terminalSpanColumns.map((c) => spans.get(r.variant)![c]),
  ]);
  const notes = warnings(run).map((w) => `! ${w}`);
  const noise = [aaCheckLine(run), noiseLine(run)].filter((line): line is string => line !== null);
  const title =
    `${run.scenario.name}: ${roundsLine(run)}; median ± 95% CI; Δ against ${run.baseline}${baseNote(run)} paired by round, ± its 95% half-width in points over blocks of processes, ` +
    `verdict at ±${run.design.precisionPts} (differs / same / undecided)`;
  const jaeger = jaegerRows(run);
  const jaegerTable =
    jaeger.length > 0
      ? [`\nIn Jaeger (${run.jaeger!.queryUrl}, service ${run.jaeger!.serviceName}):`, textTable(['variant', ...jaegerColumns], jaeger.map((r) => [r.variant, ...jaegerColumns.map((c) => r.cells[c])]))]
      : [];
  const fits = fitLines(run).map((line) => `fit: ${line}`);
  const runtimes = runtimeRows(run);
  const runtimeTable =
    runtimes.length > 0
      ? ['\nRuntimes and SDK sets (each overhead against the untraced variant on the same runtime):', textTable(['runtime', ...runtimeColumns], runtimes.map((r) => [r.runtime, ...runtimeColumns.map((c) => r.cells[c])]))]
      : [];
  // At a fixed rate the batching regime explains the CPU column (docs/low-traffic.md); at saturation batches fill at once.
  const traced = batchingRows(run).filter((r) => r.cells['to processor spans/s'] !== '–');
  const batching =
    run.scenario.load.mode === 'open' && traced.length > 0
      ? ['\nBatching at this rate:', textTable(['variant', ...terminalBatchingColumns], traced.map((r) => [r.variant, ...terminalBatchingColumns.map((c) => r.cells[c])]))]
      : [];
  return [title, textTable(headers, rows), ...noise, ...fits, ...runtimeTable, ...batching, ...jaegerTable, ...notes, ...(run.explain ? ['', terminalExplain(run.explain)] : [])].join('\n');
}

export const terminalOutput: Output = { target: 'terminal', render: ({ run }) => terminalReport(run) };
