// What a scenario file says (the *Spec types, user input) and the resolved, validated scenario the run takes.
import type { GateThresholds } from './gate.ts';
import type { LoadResult } from './trial.ts';

/** The built-in service's hops. */
export type Hop = 'frontend' | 'users' | 'db' | 'auth';

export interface HopWork {
  /** Microseconds of real CPU work per request (a calibrated loop, not a clock spin). */
  readonly cpuUs: number;
  /** Milliseconds of sleep per request (I/O wait), 0 for none. */
  readonly sleepMs: number;
}

/** What the built-in service does per request: the work at each hop. */
export type ServiceShape = Readonly<Record<Hop, HopWork>>;

/** An OTEL_* value; numbers are accepted for convenience and written as strings. */
export type EnvValue = string | number | boolean;

/**
 * Who creates the spans. 'service': the service's own code (the built-in topology's hand-written spans,
 * or whatever SDK setup an external service has). 'auto': zero-code instrumentation, the register hook of
 * @opentelemetry/auto-instrumentations-node from tracetax's own node_modules, loaded with --require.
 */
export type Instrumentation = 'service' | 'auto';

/** The OpenTelemetry JS sets a service's tracing code can load: tracetax's own (0.223 line) or the newest (sdks/otel-latest). */
export type SdkSet = 'otel-0.223' | 'otel-latest';

/** The pinned Node.js runtimes a service can run on (versions in src/sut/runtimes.ts). */
export type RuntimeName = 'node20' | 'node22' | 'node24';

/**
 * Which Node.js runs the service: a pinned runtime (installed by `npm run runtimes -- --install`) with its
 * flags, or, when `runtime` is absent, the one running tracetax.
 */
export interface RuntimeSetting {
  readonly runtime?: RuntimeName;
  /** Node.js flags for the service process only, e.g. ['--experimental-async-context-frame']. */
  readonly nodeFlags: readonly string[];
}

/** One variant, written with the standard OpenTelemetry variable names. */
export interface VariantSpec {
  readonly name: string;
  readonly env: Readonly<Record<string, EnvValue>>;
  /** Default 'service'. Ignored for an untraced variant (OTEL_SDK_DISABLED=true), which gets no instrumentation. */
  readonly instrumentation?: Instrumentation;
  /** The Node.js runtime of the service; default: the one running tracetax. */
  readonly runtime?: RuntimeName;
  /** Node.js flags for the service process. */
  readonly nodeFlags?: readonly string[];
  /** The OpenTelemetry JS set its tracing code loads; default 'otel-0.223'. 'otel-latest' needs runtime node22 or node24. */
  readonly sdk?: SdkSet;
}

/** A matrix: the cartesian product of its values, each combination one variant. */
export interface MatrixSpec {
  readonly matrix: Readonly<Record<string, readonly EnvValue[]>>;
  /** Settings shared by every combination. */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** Name template: `${OTEL_TRACES_SAMPLER_ARG}` is replaced by the combination's value. Default: the values joined by a space. */
  readonly name?: string;
  /** Shared by every combination; default 'service'. */
  readonly instrumentation?: Instrumentation;
  /** Shared by every combination, unless the matrix has a `runtime` key (a list of runtimes to expand over). */
  readonly runtime?: RuntimeName;
  readonly nodeFlags?: readonly string[];
}

/** The load modes, one per load driver (src/load/registry.ts): the kinds of their results. */
export type LoadMode = LoadResult['kind'];

export interface LoadSpec {
  /** closed (default): saturation, each connection sends when answered. open: a fixed rate, whatever the answers. */
  readonly mode?: LoadMode;
  /** For open: requests per second, or a share of the untraced saturation throughput such as '50%'. */
  readonly rate?: number | string;
  /** Closed: concurrent connections. Open: the most requests in flight (one per keep-alive connection). */
  readonly connections?: number;
  readonly durationSec?: number;
  readonly warmupSec?: number;
  /** Warm each process until it has answered this many requests instead of for warmupSec (at most 120 s). */
  readonly warmupRequests?: number;
  /**
   * Open loop only: run every variant of a round at the same time, each at the rate, on the same core.
   * The machine's drift then hits all of them within the same window, which pairs rounds far more tightly.
   */
  readonly concurrent?: boolean;
}

/**
 * Any HTTP service started by a command: measured from outside (its process tree's CPU and memory from
 * /proc, latency from the load driver, spans at the collector), with no change to its code.
 */
export interface ExternalServiceSpec {
  /** The program and its arguments, run without a shell. `{port}` in an argument becomes the port tracetax chose for this process. */
  readonly command: readonly string[];
  /** Where the load goes, e.g. 'http://127.0.0.1:{port}/items'. With `{port}`, every process gets a free port of its own (also as PORT); with a fixed port, only one process can run at a time (processes: 'fresh'). */
  readonly url: string;
  /** Ready when this path answers 2xx ('/health'), or when this text appears in a line of its stdout (anything not starting with '/'). Default: the url answers 2xx. */
  readonly ready?: string;
  /** Seconds the service may take to be ready (default 30). */
  readonly readyTimeoutSec?: number;
  /** Extra environment for the service (not OTEL_*: those are the variants'). `{port}` in a value is replaced too. */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** Working folder, relative to the scenario file (default: the folder tracetax runs in). */
  readonly cwd?: string;
}

/** The built-in topology's work per hop; unnamed hops get the default light work. */
export type BuiltinServiceSpec = Partial<Record<Hop, Partial<HopWork>>>;

export interface ScenarioSpec {
  readonly name: string;
  readonly description: string;
  /** The built-in topology's work per hop, or an external service started by a command (told apart by `command`). */
  readonly service?: BuiltinServiceSpec | ExternalServiceSpec;
  readonly load?: LoadSpec;
  /** The regression gate: how much worse each metric may get (percent; delivery in points) and the significance level. */
  readonly gate?: { readonly thresholds?: Partial<GateThresholds>; readonly alpha?: number };
  /** The embedded collector's behaviour (ignored with --otlp-endpoint). */
  readonly collector?: { readonly responseDelayMs?: number };
  /** Jaeger remote sampling: the strategies file (Jaeger's format, relative to this file) the embedded sampling server answers jaeger_remote variants from. */
  readonly sampling?: { readonly strategiesFile?: string };
  /** A fixed number of rounds (one trial of every variant per round); leave out for rounds until precise. */
  readonly trials?: number;
  /** Rounds until every Δ CPU/request's 95% half-width is at most this many percentage points (default 2). */
  readonly precision?: number;
  /** The time budget of the rounds until precise, seconds (default 300). */
  readonly maxTimeSec?: number;
  /** Blocks of fresh processes in the pool and pairs designs (default: 3 with a fixed number of rounds, as many as precision needs otherwise, at least 3). */
  readonly blocks?: number;
  /** An untraced copy of the baseline, 'untraced B', compared with it as the run's own A/A check (default: on in the pool and pairs designs, rounds until precise). */
  readonly sentinel?: boolean;
  /** 'pool' (default): one process per variant, warmed once, measured in short slices; 'pairs': the pool, each slice side by side with the baseline's; 'fresh': a new, warmed process per trial. */
  readonly processes?: ProcessDesign;
  readonly variants: readonly (VariantSpec | MatrixSpec)[];
}

/**
 * How the service processes live. pool: one per variant for the whole run, warmed once, then measured
 * in slices of load.durationSec, so no time goes to per-trial start-up and drift reaches every variant
 * within seconds. pairs: the pool, but every traced variant's slice runs at the same time as a slice of
 * the baseline, both loaded, on the same core, so the machine's fast changes hit both alike. fresh: a new
 * process per trial with its own warm-up, so the variance of start-up and JIT is part of the answer.
 * Side by side (load.concurrent) always starts fresh processes.
 */
export type ProcessDesign = 'pool' | 'pairs' | 'fresh';

/**
 * Blocks of processes (pool and pairs): each block a fresh set of service processes, one per variant,
 * started in a shuffled order and warmed, that lives for a few rounds. fixed: exactly this many (a fixed
 * number of rounds is split over them). auto: rounds until precise add blocks until every Δ is precise
 * or the budget is spent, at least `min` of them before 'precise'.
 */
export type BlocksSetting = { readonly kind: 'fixed'; readonly count: number } | { readonly kind: 'auto'; readonly min: number };

/** How many rounds: a fixed number, or rounds until every Δ CPU/request is known to ±precisionPts or the budget is spent. */
export type RoundsSetting =
  | { readonly kind: 'fixed'; readonly count: number }
  | { readonly kind: 'until-precise'; readonly precisionPts: number; readonly maxTimeSec: number; readonly minRounds: number };

export interface Variant {
  readonly name: string;
  /** The OTEL_* variables the service process gets, as strings. */
  readonly env: Readonly<Record<string, string>>;
  /** 'service' for an untraced variant too: it gets no instrumentation at all. */
  readonly instrumentation: Instrumentation;
  /** Which Node.js runs its service; every traced variant is compared with the untraced one on the same runtime and flags. */
  readonly runtime: RuntimeSetting;
  readonly sdk: SdkSet;
  /** The run's A/A check: an untraced copy of the baseline under another name, added by the scenario's `sentinel`. */
  readonly sentinel?: true;
}

/** An external service, resolved: paths absolute, values strings, defaults filled in. */
export interface ExternalServiceSettings {
  readonly kind: 'external';
  readonly command: readonly string[];
  readonly url: string;
  /** A path that must answer 2xx, or a text a stdout line must contain. */
  readonly ready: { readonly kind: 'path'; readonly path: string } | { readonly kind: 'line'; readonly text: string };
  readonly readyTimeoutSec: number;
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** True when the url holds `{port}`: each process gets a port of its own, so several can run at once. */
  readonly portPerProcess: boolean;
  /** The url is off the loopback range, and the user allowed it (--allow-remote-target). */
  readonly allowRemoteTarget: boolean;
}

/** Which service a scenario runs: the built-in topology (shaped by Scenario.shape) or an external one. */
export type ScenarioService = { readonly kind: 'builtin' } | ExternalServiceSettings;

/** A fixed rate, or a share of the saturation throughput that the harness measures first on the baseline. */
export type RateSetting = { readonly kind: 'fixed'; readonly perSec: number } | { readonly kind: 'saturation-share'; readonly share: number };

export interface LoadSettings {
  readonly mode: LoadMode;
  /** Set when the mode's driver needs a rate (open). */
  readonly rate?: RateSetting;
  readonly connections: number;
  readonly durationSec: number;
  readonly warmupSec: number;
  /** Set when the warm-up counts requests (each process answers this many first); warmupSec is then unused. */
  readonly warmupRequests?: number;
  /** Every variant of a round measured at the same time (open loop only). */
  readonly concurrent: boolean;
}

export interface GateSettings {
  readonly thresholds: GateThresholds;
  readonly alpha: number;
}

export interface CollectorSettings {
  /** The embedded collector holds each answer this long: a distant or busy backend. */
  readonly responseDelayMs: number;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** Where it was read from: a shipped name or a file path. */
  readonly source: string;
  readonly service: ScenarioService;
  /** The built-in topology's work per hop (unused by an external service). */
  readonly shape: ServiceShape;
  readonly load: LoadSettings;
  readonly collector: CollectorSettings;
  readonly gate: GateSettings;
  readonly rounds: RoundsSetting;
  /** Ignored (fresh) when load.concurrent. */
  readonly processes: ProcessDesign;
  /** Blocks of processes; null in the fresh design (every trial is a process of its own). */
  readonly blocks: BlocksSetting | null;
  /** The run adds an untraced copy of the baseline (src/scenario/sentinel.ts) as its own A/A check. */
  readonly sentinel: boolean;
  /** The untraced baseline comes first. */
  readonly variants: readonly Variant[];
  /** The scenario's strategies file for jaeger_remote variants, as an absolute path. */
  readonly sampling?: { readonly strategiesFile: string };
}

/** The OpenTelemetry specification's performance benchmark, run by a micro scenario (all optional). */
export interface SpecBenchmarkSpec {
  /** Uncounted seconds at the start of each exporting process. */
  readonly warmupSec?: number;
  /** Measured seconds of the highest-rate run. */
  readonly maxRateSec?: number;
  /** Spans per second offered in the CPU runs (the specification's 10,000). */
  readonly fixedRatePerSec?: number;
  /** Measured seconds of each CPU run (the specification asks for at least 15). */
  readonly fixedRateSec?: number;
  /** CPU runs per span processor, interleaved simple, batch, simple, batch …, in fresh processes. */
  readonly repeats?: number;
}

/** A micro-benchmark scenario: runs the tinybench suites of src/micro instead of load. */
export interface MicroScenarioSpec {
  readonly kind: 'micro';
  readonly name: string;
  readonly description: string;
  /** tinybench's time budget per task, ms. */
  readonly taskTimeMs?: number;
  /** tinybench's warm-up budget per task, ms. */
  readonly taskWarmupMs?: number;
  /** The specification's benchmark; false leaves it out. */
  readonly spec?: SpecBenchmarkSpec | false;
  /** The Node.js and OpenTelemetry JS set the benchmarks run on (default: tracetax's own, in its own process). */
  readonly runtime?: RuntimeName;
  readonly nodeFlags?: readonly string[];
  readonly sdk?: SdkSet;
}

export type SpecBenchmarkSettings = Required<SpecBenchmarkSpec>;

export interface MicroScenario {
  readonly kind: 'micro';
  readonly name: string;
  readonly description: string;
  readonly source: string;
  readonly taskTimeMs: number;
  readonly taskWarmupMs: number;
  readonly spec: SpecBenchmarkSettings | null;
  readonly runtime: RuntimeSetting;
  readonly sdk: SdkSet;
}

/** A load scenario or a micro-benchmark scenario, told apart by `kind`. */
export type AnyScenario = { readonly kind: 'load'; readonly scenario: Scenario } | { readonly kind: 'micro'; readonly scenario: MicroScenario };
