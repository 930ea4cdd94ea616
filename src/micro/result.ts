// What a micro run produces: per-operation costs from tinybench, the collector's decode rate, the
// specification's benchmark, and the async resources one request of the service creates.
import type { MachineDescription } from '../run/pinning.ts';

export const microSchemaVersion = 1;

/** One tinybench task. Each sample times `opsPerSample` operations, so the timer's own cost is amortized. */
export interface MicroResult {
  /** Stable key, used by the explain model (e.g. `span.root.always_on`). */
  readonly id: string;
  readonly suite: string;
  readonly name: string;
  readonly nsPerOp: number;
  readonly opsPerSec: number;
  /** tinybench's relative margin of error of the mean, percent (95%, Student's t). */
  readonly rmePercent: number;
  readonly samples: number;
  readonly opsPerSample: number;
  readonly note?: string;
}

export interface MeanSd {
  readonly mean: number;
  readonly sd: number;
  readonly values: readonly number[];
}

/** One exporting process's measured window. */
export interface ExportWindow {
  readonly processor: 'batch' | 'simple';
  /** Offered spans/s, or null when the producer ran as fast as export kept up. */
  readonly targetPerSec: number | null;
  readonly seconds: number;
  readonly created: number;
  /** Spans whose export the exporter reported successful, in the window. */
  readonly exported: number;
  readonly exportFailed: number;
  /** Spans the embedded collector decoded over the process's whole life. */
  readonly received: number;
  /** Process CPU (user + system, every thread) over wall time of the window, percent of one core. */
  readonly cpuPercent: number;
  /** CPU µs per span created in the window. */
  readonly cpuUsPerSpan: number;
  /** Span end → receipt at the collector, over the process's whole life (NaN when nothing arrived). */
  readonly exportLagMs: { readonly p50: number; readonly p99: number };
}

export interface SpecBenchmarkResult {
  readonly attributes: string;
  readonly pinnedTo: string | null;
  /** Spans created and exported per second on one core, the producer held back only by export. */
  readonly maxRate: ExportWindow & { readonly spansPerSec: number };
  readonly fixedRate: {
    readonly targetPerSec: number;
    readonly seconds: number;
    readonly repeats: number;
    readonly simple: { readonly cpuPercent: MeanSd; readonly achievedPerSec: MeanSd; readonly exportFailed: number; readonly windows: readonly ExportWindow[] };
    readonly batch: { readonly cpuPercent: MeanSd; readonly achievedPerSec: MeanSd; readonly exportFailed: number; readonly windows: readonly ExportWindow[] };
  } | null;
}

export interface CollectorDecodeResult {
  readonly spansPerSec: number;
  readonly rmePercent: number;
  readonly samples: number;
  readonly batchSpans: number;
  readonly payloadBytes: number;
}

export interface AsyncResourceCount {
  readonly requests: number;
  /** Async resources created per request across all four hops (async_hooks init events), untraced. */
  readonly perRequest: number;
  readonly byType: Readonly<Record<string, number>>;
}

export interface MicroDocument {
  readonly schemaVersion: number;
  readonly kind: 'micro';
  readonly tool: { readonly name: 'tracetax'; readonly version: string };
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly scenario: { readonly name: string; readonly description: string; readonly source: string; readonly taskTimeMs: number; readonly taskWarmupMs: number };
  readonly environment: MachineDescription & { readonly packages: Readonly<Record<string, string>> };
  readonly results: readonly MicroResult[];
  readonly collectorDecode: CollectorDecodeResult;
  readonly asyncResources: AsyncResourceCount | null;
  readonly spec: SpecBenchmarkResult | null;
  /** Wall time of the whole micro run, s. */
  readonly wallSec: number;
}

export function meanSd(values: readonly number[]): MeanSd {
  const n = values.length;
  const mean = n === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / n;
  const sd = n < 2 ? 0 : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { mean, sd, values };
}
