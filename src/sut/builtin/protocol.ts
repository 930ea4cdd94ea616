// Messages between the harness and the service process over Node's IPC channel, and the service's
// settings, which travel in one environment variable beside the variant's OTEL_* variables.
import type { FinalStats, Hop, Instrumentation, ServiceShape, WindowStats } from '../../model/index.ts';

export const serviceSettingsEnvKey = 'TRACETAX_SERVICE_SETTINGS';

/**
 * Raised whenever a message changes. A base checkout's service (a same-run check) must speak the
 * harness's protocol; its ready message says which it speaks.
 */
export const protocolVersion = 1;

export interface ServiceSettings {
  readonly shape: ServiceShape;
  readonly iterationsPerUs: number;
  readonly host: string;
  readonly port: number;
  readonly serviceName: string;
  /** Keep a uniform sample of up to this many exported trace ids (for --jaeger-query); absent or 0: none. */
  readonly exportedTraceSample?: number;
  /**
   * 'auto': the zero-code instrumentation preloaded by NODE_OPTIONS makes the spans, so the service's
   * hand-written spans and its own SDK setup are off. Absent: 'service'.
   */
  readonly instrumentation?: Instrumentation;
}

export type HarnessMessage =
  | { readonly type: 'begin-window' }
  | { readonly type: 'end-window' }
  | { readonly type: 'read-cpu' }
  | { readonly type: 'shutdown'; readonly flushTimeoutMs: number };

export type ServiceMessage =
  | {
      readonly type: 'ready';
      /** Absent from services older than the field. */
      readonly protocol?: number;
      readonly frontendUrl: string;
      /** process.version of the service; absent from services older than the field. */
      readonly node?: string;
      /** The SDK line its tracing code loaded; absent from services older than the field. */
      readonly sdk?: string;
      readonly ports: Readonly<Record<Hop, number>>;
      readonly tracing: string;
    }
  | { readonly type: 'window'; readonly stats: WindowStats }
  /** The process's CPU time since it started, user + system, µs. */
  | { readonly type: 'cpu'; readonly cpuUs: number }
  | { readonly type: 'final'; readonly stats: FinalStats }
  | { readonly type: 'fatal'; readonly message: string };
