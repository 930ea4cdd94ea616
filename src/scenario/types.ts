// What a scenario file says, and the resolved, validated scenario the runner takes.
import type { GateThresholds } from '../compare/gate.ts';
import type { Hop, HopWork, ServiceShape } from '../service/shape.ts';

/** An OTEL_* value; numbers are accepted for convenience and written as strings. */
export type EnvValue = string | number | boolean;

/** One variant, written with the standard OpenTelemetry variable names. */
export interface VariantSpec {
  readonly name: string;
  readonly env: Readonly<Record<string, EnvValue>>;
}

/** A matrix: the cartesian product of its values, each combination one variant. */
export interface MatrixSpec {
  readonly matrix: Readonly<Record<string, readonly EnvValue[]>>;
  /** Settings shared by every combination. */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** Name template: `${OTEL_TRACES_SAMPLER_ARG}` is replaced by the combination's value. Default: the values joined by a space. */
  readonly name?: string;
}

export interface LoadSpec {
  /** closed (default): saturation, each connection sends when answered. open: a fixed rate, whatever the answers. */
  readonly mode?: 'closed' | 'open';
  /** For open: requests per second, or a share of the untraced saturation throughput such as '50%'. */
  readonly rate?: number | string;
  /** Closed: concurrent connections. Open: the most requests in flight (one per keep-alive connection). */
  readonly connections?: number;
  readonly durationSec?: number;
  readonly warmupSec?: number;
}

export interface ScenarioSpec {
  readonly name: string;
  readonly description: string;
  /** Work per hop; unnamed hops get the default light work. */
  readonly service?: Partial<Record<Hop, Partial<HopWork>>>;
  readonly load?: LoadSpec;
  /** The regression gate: how much worse each metric may get (percent; delivery in points) and the significance level. */
  readonly gate?: { readonly thresholds?: Partial<GateThresholds>; readonly alpha?: number };
  /** The embedded collector's behaviour (ignored with --otlp-endpoint). */
  readonly collector?: { readonly responseDelayMs?: number };
  readonly trials?: number;
  readonly variants: readonly (VariantSpec | MatrixSpec)[];
}

/** Types a scenario file's default export. */
export function defineScenario(spec: ScenarioSpec): ScenarioSpec {
  return spec;
}

export interface Variant {
  readonly name: string;
  /** The OTEL_* variables the service process gets, as strings. */
  readonly env: Readonly<Record<string, string>>;
}

/** A fixed rate, or a share of the saturation throughput that the harness measures first on the baseline. */
export type RateSetting = { readonly kind: 'fixed'; readonly perSec: number } | { readonly kind: 'saturation-share'; readonly share: number };

export interface LoadSettings {
  readonly mode: 'closed' | 'open';
  /** Set when mode is open. */
  readonly rate?: RateSetting;
  readonly connections: number;
  readonly durationSec: number;
  readonly warmupSec: number;
}

/** Connections for the open-loop mode when the scenario names none: enough that a slow answer rarely blocks the schedule. */
export const defaultOpenLoopConnections = 64;

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
  readonly shape: ServiceShape;
  readonly load: LoadSettings;
  readonly collector: CollectorSettings;
  readonly gate: GateSettings;
  readonly trials: number;
  /** The untraced baseline comes first. */
  readonly variants: readonly Variant[];
}

export const defaultConnections = 16;
export const defaultDurationSec = 10;
/**
 * Long, because a fresh traced process is slow for its first seconds: measured here (2 s windows after
 * a 1 s warm-up, always_on), CPU per request was 1.5–3× its steady state until about 5 s in.
 */
export const defaultWarmupSec = 5;
export const defaultTrials = 3;
