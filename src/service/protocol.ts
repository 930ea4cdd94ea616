// Messages between the harness and the service process over Node's IPC channel, and the service's
// settings, which travel in one environment variable beside the variant's OTEL_* variables.
import type { ProcessCost } from '../measure/process-cost.ts';
import type { SpanCounters } from '../tracing/counting.ts';
import type { Hop, ServiceShape } from './shape.ts';
import type { ExportedTraceSample } from './trace-reservoir.ts';

export const serviceSettingsEnvKey = 'TRACETAX_SERVICE_SETTINGS';

export interface ServiceSettings {
  readonly shape: ServiceShape;
  readonly iterationsPerUs: number;
  readonly host: string;
  readonly port: number;
  readonly serviceName: string;
  /** Keep a uniform sample of up to this many exported trace ids (for --jaeger-query); absent or 0: none. */
  readonly exportedTraceSample?: number;
}

export type HarnessMessage =
  | { readonly type: 'begin-window' }
  | { readonly type: 'end-window' }
  | { readonly type: 'shutdown'; readonly flushTimeoutMs: number };

export interface WindowStats {
  /** Frontend responses finished inside the window. */
  readonly requests: number;
  readonly failedRequests: number;
  /** Frontend time per request (arrival → response finished), µs, encoded HDR histogram. */
  readonly serverTimeHistogram: string;
  readonly cost: ProcessCost;
}

export interface FinalStats {
  /** Requests that arrived at the frontend over the process's whole life, warm-up included: the denominator of the span counts. */
  readonly requests: number;
  readonly spans: SpanCounters;
  /** False when the SDK's flush on shutdown ran out of time: spans may still have been queued. */
  readonly flushed: boolean;
  /** Exporter's own time per export call, µs, encoded HDR histogram; absent when untraced. */
  readonly exportLatencyHistogram?: string;
  /** Traces exported and a uniform sample of their ids; present when the settings asked for it. */
  readonly exportedTraces?: ExportedTraceSample;
}

export type ServiceMessage =
  | { readonly type: 'ready'; readonly frontendUrl: string; readonly ports: Readonly<Record<Hop, number>>; readonly tracing: string }
  | { readonly type: 'window'; readonly stats: WindowStats }
  | { readonly type: 'final'; readonly stats: FinalStats }
  | { readonly type: 'fatal'; readonly message: string };
