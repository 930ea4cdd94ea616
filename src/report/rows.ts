// The comparison rows every printer shows, computed once from a run document.
import type { RunDocument } from '../run/run.ts';
import { usesRatio } from '../tracing/config.ts';
import { change, num, ratio } from './format.ts';

export interface ComparisonRow {
  readonly variant: string;
  readonly isBaseline: boolean;
  readonly cells: Readonly<Record<ComparisonColumn, string>>;
}

export const comparisonColumns = [
  'req/s',
  'Δ req/s',
  'client p50 ms',
  'client p99 ms',
  'Δ client p99',
  'server p50 µs',
  'Δ server p50',
  'server p99 µs',
  'Δ server p99',
  'CPU µs/req',
  'Δ CPU',
] as const;
export type ComparisonColumn = (typeof comparisonColumns)[number];

export const spanColumns = [
  'spans/req',
  'started',
  'sampled',
  'ended',
  'dropped',
  'exported',
  'export failed',
  'received',
  'delivery',
  'received spans/s',
  'export lag p50/p99 ms',
] as const;
export type SpanColumn = (typeof spanColumns)[number];

export function comparisonRows(run: RunDocument): ComparisonRow[] {
  return run.variants.map((variant) => {
    const s = variant.summary;
    const d = variant.changeVsBaseline ?? undefined;
    const isBaseline = variant.name === run.baseline;
    return {
      variant: variant.name,
      isBaseline,
      cells: {
        'req/s': num(s.requestsPerSec),
        'Δ req/s': change(d?.requestsPerSec),
        'client p50 ms': num(s.clientLatencyMs.p50),
        'client p99 ms': num(s.clientLatencyMs.p99),
        'Δ client p99': change(d?.clientLatencyP99),
        'server p50 µs': num(s.serverTimeUs.p50),
        'Δ server p50': change(d?.serverTimeP50),
        'server p99 µs': num(s.serverTimeUs.p99),
        'Δ server p99': change(d?.serverTimeP99),
        'CPU µs/req': num(s.cpuUsPerRequest),
        'Δ CPU': change(d?.cpuUsPerRequest),
      },
    };
  });
}

export function spanRows(run: RunDocument): { variant: string; cells: Record<SpanColumn, string> }[] {
  return run.variants.map((variant) => {
    const s = variant.summary;
    const count = (n: number | null) => (n === null ? '–' : n.toLocaleString('en-US'));
    return {
      variant: variant.name,
      cells: {
        'spans/req': num(s.spansPerRequest),
        started: count(s.spans.started),
        sampled: count(s.spans.sampled),
        ended: count(s.spans.ended),
        dropped: count(s.spans.dropped),
        exported: count(s.spans.exported),
        'export failed': count(s.spans.exportFailed),
        received: count(s.spans.received),
        delivery: ratio(s.deliveryRatio),
        'received spans/s': num(s.receivedSpansPerSec),
        'export lag p50/p99 ms': s.exportLagMs ? `${num(s.exportLagMs.p50)} / ${num(s.exportLagMs.p99)}` : '–',
      },
    };
  });
}

export interface DapperRow {
  readonly sampler: string;
  readonly ratio: number;
  readonly serverP50Change: string;
  readonly clientP99Change: string;
  readonly throughputChange: string;
  readonly cpuChange: string;
}

/** Sampling ratio → overhead, as in the Dapper paper's table; empty when no variant samples by ratio. */
export function dapperRows(run: RunDocument): DapperRow[] {
  return run.variants
    .filter((v) => v.config.kind === 'sdk' && usesRatio(v.config.sampler.name) && v.changeVsBaseline)
    .map((v) => {
      const config = v.config as Extract<typeof v.config, { kind: 'sdk' }>;
      const d = v.changeVsBaseline!;
      return {
        sampler: config.sampler.name,
        ratio: config.sampler.ratio,
        serverP50Change: change(d.serverTimeP50),
        clientP99Change: change(d.clientLatencyP99),
        throughputChange: change(d.requestsPerSec),
        cpuChange: change(d.cpuUsPerRequest),
      };
    })
    .sort((a, b) => a.sampler.localeCompare(b.sampler) || b.ratio - a.ratio);
}

/** Notes the reader must not miss: failed requests, drops, export failures, flushes that timed out. */
export function warnings(run: RunDocument): string[] {
  const out: string[] = [];
  for (const v of run.variants) {
    const s = v.summary;
    if (s.failedRequests > 0) out.push(`${v.name}: ${s.failedRequests} requests failed (errors, timeouts or non-2xx) in the measured windows`);
    if (s.spans.dropped > 0) out.push(`${v.name}: ${s.spans.dropped.toLocaleString('en-US')} sampled spans never reached the exporter (batch queue full)`);
    if (s.spans.exportFailed > 0) out.push(`${v.name}: ${s.spans.exportFailed.toLocaleString('en-US')} spans failed to export`);
    if (!s.allFlushed) out.push(`${v.name}: the SDK's flush on shutdown timed out; queued spans count as dropped`);
  }
  return out;
}
