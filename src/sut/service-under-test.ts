// The service-under-test seam: something tracetax can start with a variant's tracing settings, load,
// measure over a window, and stop with every span accounted for. One entry per kind in registry.ts.
import type { FinalStats, Instrumentation, RuntimeSetting, SdkSet, WindowStats } from '../model/index.ts';

/** A service that could not start, or stopped answering: its message says which and why. */
export class ServiceStartError extends Error {}

/** The same error with its message led by `prefix` (whose service, which round): its class still decides the exit code. */
export function prefixed<E extends Error>(error: E, prefix: string): E {
  error.message = `${prefix}${error.message}`;
  return error;
}

/** How a variant's service is launched, resolved once per variant by the run and passed whole to every process of it. */
export interface VariantLaunch {
  /** The variant's OTEL_* variables: the only tracing settings the service sees. */
  readonly tracingEnv: Readonly<Record<string, string>>;
  /** Who creates the spans: the service's own code, or the zero-code instrumentation tracetax preloads. */
  readonly instrumentation: Instrumentation;
  /** Which Node.js runs it, with which flags; tracetax's own when `runtime` is absent. */
  readonly runtime?: RuntimeSetting;
  /** The OpenTelemetry JS set its tracing code loads (the built-in service); tracetax's own when absent. */
  readonly sdk?: SdkSet;
}

/** One process of a variant: its launch, and what the run decides per process. */
export interface ServiceStart extends VariantLaunch {
  /** taskset CPU list for the service (e.g. "0"), or undefined for no pinning. */
  readonly cpus?: string;
  /**
   * Bytes of an unused environment variable: drawn at random per process, so the size of the environment
   * (which moves the stack's alignment, Mytkowicz et al.) varies between processes instead of biasing one variant.
   */
  readonly envPaddingBytes?: number;
}

/** The unused variable that pads a service's environment to envPaddingBytes. */
export function envPadding(bytes: number | undefined): Record<string, string> {
  return bytes && bytes > 0 ? { TRACETAX_ENV_PADDING: 'x'.repeat(bytes) } : {};
}

export interface RunningService {
  /** Where the load goes. */
  readonly url: string;
  /** True when the user allowed a target off the loopback range (--allow-remote-target). */
  readonly allowRemote?: boolean;
  /** Requests tracetax sent while starting it (readiness probes) that it answered: they count among its requests, as their spans do. */
  readonly startupRequests?: number;
  /** The service's process id, where tracetax started it as one process: the scheduler's view of its windows is read from /proc. */
  readonly pid?: number;
  /** The Node.js version the service runs on (process.version), where it is known. */
  readonly nodeVersion?: string;
  /** The OpenTelemetry SDK line its tracing code loaded, where it is known (the built-in service). */
  readonly sdkLine?: string;
  /** Starts the measured window: counters and clocks of the window start at zero. */
  beginWindow(): void;
  endWindow(): Promise<WindowStats>;
  /** The process's CPU time (user + system) since it started, µs: what the pool charges each slice from. */
  cpuTimeUs(): Promise<number>;
  /** Stops serving, flushes the SDK (bounded by flushTimeoutMs) and returns the lifetime counts; the service is gone after. */
  shutdown(flushTimeoutMs: number): Promise<FinalStats>;
  /** Ends it at once, whatever state it is in. */
  kill(): void;
}

/** What a kind of service can tell or do, so the rest of tracetax asks for a capability, not a kind. */
export interface ServiceCapabilities {
  /** It measures its own time per request (server time). */
  readonly serverTime: boolean;
  /** Its tracing code counts its own spans (started, sampled, ended, exported): tracetax's own SDK setup. */
  readonly ownSpanCounts: boolean;
  /** Every request makes a known number of spans when all are sampled (the per-span cost of a fit). */
  readonly knownSpansPerRequest: boolean;
  /** A base branch's checkout can run it beside this tree (the same-run gate). */
  readonly baseCheckout: boolean;
}

export interface ServiceUnderTest {
  readonly capabilities: ServiceCapabilities;
  start(options: ServiceStart): Promise<RunningService>;
}
