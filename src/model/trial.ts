// One trial's result: what the load driver saw, what the service measured in its window and over its
// life, and what the collector received.

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
}

/** What every load driver reports for a measured window. */
interface LoadResultBase {
  /** The planned duration of the window. */
  readonly durationSec: number;
  /** 2xx responses. */
  readonly requests: number;
  readonly requestsPerSec: number;
  /** Failed requests (connection errors, cut-off bodies), timeouts included, as autocannon counts them. */
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  /** Client latency of 2xx responses, ms (in the open loop: from the intended start). */
  readonly latencyMs: Percentiles;
  /** The same, µs, encoded HDR histogram; absent for a driver that cannot give one. */
  readonly latencyHistogram?: string;
}

/** Closed loop (autocannon): each connection sends its next request when the previous one answered. */
export interface ClosedLoopResult extends LoadResultBase {
  readonly kind: 'closed';
  readonly latencyHistogram: string;
}

export interface SchedulerLag {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Open loop (undici) at a fixed rate: latency from each request's intended start, and what only this driver knows. */
export interface OpenLoopResult extends LoadResultBase {
  readonly kind: 'open';
  readonly latencyHistogram: string;
  /** Latency of 2xx responses from the actual send, ms. */
  readonly sendLatencyMs: Percentiles;
  /** The same, µs, encoded HDR histogram. */
  readonly sendLatencyHistogram: string;
  readonly targetRatePerSec: number;
  /** Sent requests per second of the scheduling window (longer than durationSec if the generator fell behind). */
  readonly sentRatePerSec: number;
  /** Requests planned: ceil(ratePerSec × durationSec). intended = sent + unsent. */
  readonly intended: number;
  readonly sent: number;
  /** Sent more than lateThresholdMs after the intended time, for whatever reason. */
  readonly late: number;
  /** Of the sent requests, those that found every connection busy and waited in the FIFO (the service's doing). */
  readonly waitedForConnection: number;
  /** Still waiting for a connection when scheduling stopped: abandoned, never sent. */
  readonly unsent: number;
  /** Dispatch − intended time of requests that found a free connection (the generator's own delay), ms. NaN when none. */
  readonly schedulerLagMs: SchedulerLag;
  /** Set when the generator itself could not keep the rate: the other numbers then understate the load. */
  readonly generatorWarning?: string;
}

/** A load driver's result, told apart by `kind` (the driver's mode). */
export type LoadResult = ClosedLoopResult | OpenLoopResult;

/** Garbage-collection pauses of one kind: how many, and the main thread's time in them. */
export interface PauseTally {
  readonly count: number;
  readonly ms: number;
}

/** V8's collections as Node's perf_hooks report them: scavenges of the young generation, full mark-sweep-compacts, incremental marking steps and weak callbacks. */
export interface GcPauses {
  readonly minor: PauseTally;
  readonly major: PauseTally;
  readonly incremental: PauseTally;
  readonly weakCallbacks: PauseTally;
}

/** Cost measured inside the service process over one window. */
export interface ProcessCost {
  readonly wallMs: number;
  readonly cpuUserUs: number;
  readonly cpuSystemUs: number;
  /** Event-loop utilization over the window, in [0, 1]; NaN where it cannot be seen from outside (an external service). */
  readonly eventLoopUtilization: number;
  /** Peak resident set size of the process so far (the kernel's high-water mark); for an external service, summed over its process tree. */
  readonly peakRssBytes: number;
  /** Highest V8 heap use seen by the sampler during the window; NaN for an external service. */
  readonly peakHeapUsedBytes: number;
  /**
   * Collections that ended in the window (their pauses; concurrent marking threads show in CPU only).
   * Absent from a base checkout's service from before it was measured (the same-run gate).
   */
  readonly gc?: GcPauses;
}

/** Live span counters of one traced process. */
export interface SpanCounters {
  /** Spans the instrumentation asked for, sampled or not (counted by the service). */
  started: number;
  /** Spans that the sampler recorded and sampled (seen by onStart with the sampled flag). */
  sampled: number;
  /** Sampled spans with no parent: one per sampled trace. */
  sampledRoots: number;
  /** Sampled spans that ended and so went to the processor. */
  ended: number;
  /** Spans handed to the exporter. Ended minus this, after a completed flush, is what the queue dropped. */
  handedToExporter: number;
  exported: number;
  exportFailed: number;
  exportBatches: number;
  exportFailedBatches: number;
}

/** What the service reports: how many traces it exported, and a uniform sample of their ids. */
export interface ExportedTraceSample {
  /** Root spans the exporter reported exported: one per exported trace. */
  readonly seen: number;
  /** At most the reservoir's capacity of those traces' ids (32 lowercase hex), each equally likely. */
  readonly ids: readonly string[];
}

/** The service's side of a measured window. */
export interface WindowStats {
  /** Frontend responses finished inside the window; null when the service does not count them (an external one): the load driver's count is used. */
  readonly requests: number | null;
  readonly failedRequests: number | null;
  /** Frontend time per request (arrival → response finished), µs, encoded HDR histogram; absent for an external service. */
  readonly serverTimeHistogram?: string;
  readonly cost: ProcessCost;
}

/** Spans handed to the exporter and their summed wait since they ended, ms (the SDK's clock: about 1 ms resolution). */
export interface QueueWait {
  readonly spans: number;
  readonly totalMs: number;
}

/** The service's whole life, reported when it shuts down. */
export interface FinalStats {
  /**
   * Requests that arrived at the frontend over the process's whole life, warm-up included: the denominator
   * of the span counts. Absent when the service does not count them (an external one).
   */
  readonly requests?: number;
  /**
   * The span accounting of tracetax's own SDK setup. Absent where the SDK in the process is not
   * tracetax's (an external service, or automatic instrumentation): only the collector counts then.
   */
  readonly spans?: SpanCounters;
  /**
   * False when the SDK's flush on shutdown ran out of time: spans may still have been queued. For an
   * external service: false when it did not end by itself within the flush timeout after SIGTERM.
   */
  readonly flushed: boolean;
  /** Exporter's own time per export call, µs, encoded HDR histogram; absent when untraced. */
  readonly exportLatencyHistogram?: string;
  /** Time each span handed to the exporter had waited since it ended (the processor's queue), summed; absent when untraced. */
  readonly queueWait?: QueueWait;
  /** Traces exported and a uniform sample of their ids; present when the settings asked for it. */
  readonly exportedTraces?: ExportedTraceSample;
}

/** What the embedded collector received. */
export interface CollectorSnapshot {
  /** Export requests accepted (requests that failed to decode count only in decodeErrors). */
  requests: number;
  spans: number;
  /** Request payload bytes, as handed over by gRPC (after any decompression). */
  bytes: number;
  /** Distinct trace ids. */
  traces: number;
  /** Traces with exactly one root span whose every referenced parent is a span of the trace. */
  completeTraces: number;
  rootSpans: number;
  decodeErrors: number;
  /** Receipt time minus span end time. NaN when no spans. */
  exportLagMs: { p50: number; p99: number };
  /** encodeHistogram() of the export lag in µs. */
  exportLagHistogram: string;
}

export type TrialPhase = 'starting' | 'warm-up' | 'measuring' | 'flushing';

/** One measured window of one variant: a trial of its own process, or a slice of a pooled one. */
export interface TrialResult {
  readonly variant: string;
  /** 1-based round: every variant has one trial per round. */
  readonly trial: number;
  /** 1-based position in the run's order of measured windows (a pair's two windows share one). */
  readonly order: number;
  /** 1-based block: the set of processes this window was measured in (absent in the fresh design, where every trial is a process of its own). */
  readonly block?: number;
  /** In the pairs design, on the baseline's trials: the variant this window ran side by side with. */
  readonly pairedWith?: string;
  /** process.version of the service process measured, as it reported it (the built-in service) or as pinned; absent where unknown. */
  readonly node?: string;
  /** The OpenTelemetry SDK line the service's tracing code loaded, as it reported it (the built-in service). */
  readonly sdk?: string;
  readonly startedAt: string;
  /** From the trial's start (its process's start in the fresh design, its slice's start in the pool) to its end. */
  readonly wallMs: number;
  /** Client side of the measured window; open-loop latency is measured from each request's intended start. */
  readonly load: LoadResult;
  /** Service side of the measured window. */
  readonly window: WindowStats;
  /**
   * CPU µs (user + system) of the service process charged to this trial: its window's in the fresh design;
   * in the pool, everything the process did since the end of its previous slice, so work a slice defers
   * (an export after it ends) is charged to the same variant's next slice.
   */
  readonly cpuUs: number;
  /** cpuUs / window.requests. */
  readonly cpuUsPerRequest: number;
  readonly serverTimeUs: Percentiles;
  /** What the scheduler saw of the process over the window (/proc), where its pid is known: why a slice cost what it did. */
  readonly sched?: SliceSched;
}

/** The scheduler's view of a service process over one measured window (src/measure/sched.ts). */
export interface SliceSched {
  /** Run time of the main (JavaScript) thread, µs. */
  readonly mainThreadUs: number;
  /** Run time of every other thread (GC helpers, the compiler, libuv's pool), µs. */
  readonly helperThreadsUs: number;
  /** Time its threads were ready to run but waited for a CPU, µs: what something else on its core took. */
  readonly runQueueWaitUs: number;
  readonly voluntarySwitches: number;
  /** Preemptions: the scheduler took the CPU from a thread that still wanted it. */
  readonly involuntarySwitches: number;
  /** Steal of the whole machine over the window (the hypervisor ran another guest), µs of CPU time, 10-ms resolution. */
  readonly machineStealUs: number;
}

/** One service process from start to shutdown: its span accounting, and what the collector received from it. */
export interface ServiceLife {
  readonly variant: string;
  /** The block of processes it belonged to (the pool); absent for a fresh process. */
  readonly block?: number;
  /** The rounds measured in this process: one in the fresh design, all of its block's in the pool. */
  readonly rounds: readonly number[];
  readonly startedAt: string;
  /** From the process's start to the end of its flush. */
  readonly wallMs: number;
  /** Seconds the process was under load, warm-up included. */
  readonly loadedSec: number;
  /** 2xx responses the load driver counted from this process over its whole life, warm-ups included. */
  readonly answeredRequests: number;
  /** The service's own counts over its whole life, warm-up included. */
  readonly final: FinalStats;
  /** What the embedded collector received from this process; null for a remote endpoint. */
  readonly collector: CollectorSnapshot | null;
}
