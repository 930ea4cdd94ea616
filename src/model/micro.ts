// What a micro run produces (micro.json), and --explain's prediction built from it.
import type { Interval } from './compare.ts';
import type { MachineDescription } from './machine.ts';
import type { RuntimeSetting, SdkSet } from './scenario.ts';

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
  readonly environment: MachineDescription & {
    readonly packages: Readonly<Record<string, string>>;
    /** Which Node.js and SDK set the benchmarks ran on; absent from runs older than the settings (tracetax's own). */
    readonly runtime?: RuntimeSetting;
    readonly sdk?: SdkSet;
    /** The SDK line the benchmarks loaded. */
    readonly sdkLine?: string;
  };
  readonly results: readonly MicroResult[];
  readonly collectorDecode: CollectorDecodeResult;
  readonly asyncResources: AsyncResourceCount | null;
  readonly spec: SpecBenchmarkResult | null;
  /** Wall time of the whole micro run, s. */
  readonly wallSec: number;
}

/** What one request of the service does that tracing pays for, read off src/sut/builtin/topology.ts. */
export interface RequestProfile {
  /** The frontend's SERVER span, started from headers with no traceparent. */
  readonly rootSpans: number;
  /** simulateWork (INTERNAL), 3 CLIENT calls, and the SERVER spans of users, db and auth (remote parents). */
  readonly childSpans: number;
  /** Attributes on a recorded request: 2 at start per SERVER span, 3 per CLIENT span, 3 on simulateWork, and the status code set on each SERVER and CLIENT span at its end. */
  readonly attributes: number;
  /** simulateWork's two events. */
  readonly events: number;
  /** One inject per CLIENT call. */
  readonly injects: number;
  /** users, db and auth extract a traceparent. */
  readonly extractsWithParent: number;
  /** The frontend extracts from the load generator's headers, which have none. */
  readonly extractsWithoutParent: number;
  /** context.with: one per SERVER handler, one around simulateWork's work. */
  readonly contextWith: number;
}

/** Per-operation costs in µs, taken from a micro run. */
export interface MicroCosts {
  readonly rootOn: number;
  readonly childOn: number;
  readonly rootOff: number;
  readonly childOff: number;
  readonly setAttribute: number;
  readonly addEvent: number;
  readonly batchOnEnd: number;
  readonly simpleOnEnd: number;
  /** OTLP protobuf serialization per span of the service's kind. */
  readonly serializePerSpan: number;
  readonly inject: number;
  readonly extract: number;
  readonly extractNone: number;
  /** context.with under AsyncLocalStorage minus with no context manager. */
  readonly contextWithExtra: number;
  /** What AsyncLocalStorage adds per async resource: (await under ALS − await without) / 2 promises. */
  readonly perAsyncResourceExtra: number;
  /** Async resources one request creates; null when not counted. */
  readonly asyncResourcesPerRequest: number | null;
  /**
   * CPU per exported span in the specification benchmark's fixed-rate windows beyond its in-process
   * parts (span with 10 attributes through the processor, serialization): the gRPC/HTTP2 transport,
   * timers and GC on the exporting process's event loop. Null without the specification benchmark; a
   * processor's value is null when none of its windows can measure it (see usableExportWindow).
   */
  readonly transportPerSpan: { readonly batch: number | null; readonly simple: number | null } | null;
}

/** Predicted µs per request, by where it goes. */
export interface PredictedComponents {
  /** context.with under AsyncLocalStorage instead of the API's no-op. */
  readonly contextWith: number;
  /** AsyncLocalStorage carrying the context through every async resource of the request. */
  readonly asyncContext: number;
  readonly propagation: number;
  readonly nonRecordingSpans: number;
  readonly recordedSpans: number;
  readonly attributesAndEvents: number;
  readonly processor: number;
  readonly serialization: number;
  readonly planted: number;
}

export interface MeasuredDelta {
  /** Variant minus untraced CPU µs per request: the paired median ratio's change applied to the baseline's median. */
  readonly us: number;
  /** The same from the bounds of the ratio's bootstrap 95% interval. */
  readonly lowUs: number;
  readonly highUs: number;
}

/** The floor: what a traced service pays per request when nothing is sampled, µs. */
export interface FloorComponents {
  readonly contextManager: number;
  readonly contextWith: number;
  readonly asyncContext: number;
  readonly propagation: number;
  readonly nonRecordingSpans: number;
  readonly total: number;
}

export interface ExplainRow {
  readonly variant: string;
  readonly description: string;
  readonly sampledPerRequest: number;
  readonly predicted: PredictedComponents;
  readonly predictedUs: number;
  readonly measured: MeasuredDelta | null;
  /** predicted / measured; null when there is no positive measurement. */
  readonly ratio: number | null;
  readonly differs: boolean;
  /** The likely missing (or overstated) cost, when they differ. */
  readonly finding: string | null;
}

/** The micro-benchmarks' floor and cost per sampled span against the run's floor + per-trace fit of one sampler family. */
export interface ExplainFitCheck {
  readonly family: string;
  readonly predictedFloorUs: number;
  readonly fittedFloorUs: Interval;
  /** Predicted µs per sampled span: the model at every span sampled minus at none, over the spans of a request. */
  readonly predictedPerSpanUs: number;
  /** The same plus the export transport the specification benchmark measured per exported span; null without it. */
  readonly predictedPerSpanWithTransportUs: number | null;
  readonly fittedPerSpanUs: Interval;
}

export interface Explanation {
  readonly micro: { readonly startedAt: string; readonly source: string; readonly node: string; readonly cpuModel: string };
  /** Traced variants left out because they ran on another runtime or SDK set than the micro-benchmarks: like is compared with like only. */
  readonly elsewhere?: readonly { readonly variant: string; readonly ranOn: string; readonly microOn: string }[];
  readonly profile: RequestProfile;
  readonly costs: MicroCosts;
  readonly floor: FloorComponents & {
    /** Measured Δ of variants that recorded (almost) nothing: always_off, or a ratio that sampled under 1% of requests. */
    readonly measured: readonly { readonly variant: string; readonly measured: MeasuredDelta | null }[];
  };
  readonly rows: readonly ExplainRow[];
  /** Per sampler family with a CPU fit in the run: the prediction against the fitted floor and cost per sampled span. */
  readonly fitChecks: readonly ExplainFitCheck[];
}
