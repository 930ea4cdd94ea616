// A whole run: every variant's trials, interleaved (A B C A B C …) so that drift on a shared machine
// hits every variant alike, against one collector, summarized into the run.json document.
import os from 'node:os';
import { EmbeddedCollector } from '../collector/index.ts';
import { compareWithBaseline, summarizeVariant, type Comparison, type VariantSummary } from '../compare/summary.ts';
import { defaultConnections, type Scenario } from '../scenario/types.ts';
import type { ServiceSettings } from '../service/protocol.ts';
import { spansPerRequest, type ServiceShape } from '../service/shape.ts';
import { calibrateIterationsPerUs } from '../service/work.ts';
import { describeTracing, type TracingConfig } from '../tracing/config.ts';
import { tracingConfigFromEnv } from '../tracing/env.ts';
import { coresAtStart, pinHarnessAndService, type Pinning } from './pinning.ts';
import { measureSaturation, type Saturation } from './saturation.ts';
import { runTrial, type TrialPhase, type TrialResult } from './trial.ts';

export const runSchemaVersion = 1;

export interface RunOptions {
  /** A collector the user runs (e.g. Jaeger at http://localhost:4317); undefined starts the embedded one. */
  readonly otlpEndpoint?: string;
  /** Port for the embedded collector; 0 picks a free one. */
  readonly collectorPort?: number;
  /** Seconds the SDK may take to flush on shutdown before its remaining spans count as lost. */
  readonly flushTimeoutSec?: number;
  readonly serviceName?: string;
  readonly pin?: boolean;
  /** A planted regression, to prove the gate: CPU µs burnt per ended span in every traced variant. */
  readonly plantedSpanWorkUs?: number;
}

export const defaultFlushTimeoutSec = 15;
export const defaultServiceName = 'tracetax-service';

export interface VariantResult {
  readonly name: string;
  /** The OTEL_* variables the service ran with. */
  readonly env: Readonly<Record<string, string>>;
  readonly config: TracingConfig;
  readonly description: string;
  readonly trials: readonly TrialResult[];
  readonly summary: VariantSummary;
  /** Each compared metric's median with its interval, and its change against the baseline. */
  readonly comparison: Comparison;
}

export interface RunDocument {
  readonly schemaVersion: number;
  readonly tool: { readonly name: 'tracetax'; readonly version: string };
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly scenario: {
    readonly name: string;
    readonly description: string;
    readonly source: string;
    readonly shape: ServiceShape;
    readonly load: Scenario['load'];
    readonly collector: Scenario['collector'];
    readonly trials: number;
  };
  readonly environment: {
    readonly node: string;
    readonly platform: string;
    readonly arch: string;
    readonly cpuModel: string;
    readonly cpuCount: number;
    readonly totalMemoryBytes: number;
    readonly pinning: Pinning;
    /** Work-loop iterations per µs, measured once and given to every service process. */
    readonly iterationsPerUs: number;
    readonly exportTarget: { readonly kind: 'embedded' | 'remote'; readonly endpoint: string };
  };
  /** The open-loop mode's rate, and the saturation it was derived from; null in the closed-loop mode. */
  readonly openLoop: OpenLoopRate | null;
  /** Spans one request makes when every span is sampled. */
  readonly spansPerRequestExpected: number;
  readonly baseline: string;
  readonly variants: readonly VariantResult[];
}

export interface OpenLoopRate {
  readonly ratePerSec: number;
  /** Present when the scenario asked for a share of saturation. */
  readonly saturation?: Saturation & { readonly share: number };
}

export type RunEvent =
  | { readonly type: 'saturation-start' }
  | { readonly type: 'run-start'; readonly totalTrials: number; readonly plannedTrialSec: number; readonly exportTarget: string; readonly ratePerSec?: number }
  | { readonly type: 'trial-phase'; readonly order: number; readonly variant: string; readonly trial: number; readonly phase: TrialPhase }
  | { readonly type: 'trial-end'; readonly result: TrialResult; readonly totalTrials: number };

/** The variant's environment with the export target filled in (unless the variant names its own) and any planted regression. */
function variantEnv(env: Readonly<Record<string, string>>, endpoint: string, plantedSpanWorkUs: number): Record<string, string> {
  const out: Record<string, string> = { ...env };
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) out.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
  if (plantedSpanWorkUs > 0) out.TRACETAX_PLANTED_SPAN_WORK_US = String(plantedSpanWorkUs);
  return out;
}

/** The open-loop rate: as given, or a share of the untraced saturation throughput measured now. */
async function resolveOpenLoop(
  scenario: Scenario,
  settings: ServiceSettings,
  baselineEnv: Readonly<Record<string, string>>,
  pinning: Pinning,
  onEvent: (event: RunEvent) => void,
): Promise<OpenLoopRate | null> {
  const rate = scenario.load.rate;
  if (scenario.load.mode !== 'open' || !rate) return null;
  if (rate.kind === 'fixed') return { ratePerSec: rate.perSec };
  onEvent({ type: 'saturation-start' });
  const saturation = await measureSaturation({ settings, baselineEnv, connections: defaultConnections, serviceCpus: pinning.serviceCpus });
  return { ratePerSec: saturation.requestsPerSec * rate.share, saturation: { ...saturation, share: rate.share } };
}

export async function runScenario(
  scenario: Scenario,
  options: RunOptions,
  onEvent: (event: RunEvent) => void = () => {},
  version = '0.0.0',
): Promise<RunDocument> {
  const startedAt = new Date().toISOString();
  const pinning: Pinning = options.pin === false ? { pinned: false, reason: 'disabled with --no-pin' } : pinHarnessAndService();
  const collector = options.otlpEndpoint
    ? null
    : await EmbeddedCollector.start({ port: options.collectorPort ?? 0, responseDelayMs: scenario.collector.responseDelayMs });
  try {
    const endpoint = options.otlpEndpoint ?? collector!.endpoint;
    const iterationsPerUs = calibrateIterationsPerUs();
    const variants = scenario.variants.map((v) => {
      const env = variantEnv(v.env, endpoint, options.plantedSpanWorkUs ?? 0);
      return { name: v.name, env, config: tracingConfigFromEnv(env) };
    });
    const totalTrials = variants.length * scenario.trials;
    const { warmupSec, durationSec } = scenario.load;
    const settings = {
      shape: scenario.shape,
      iterationsPerUs,
      host: '127.0.0.1',
      port: 0,
      serviceName: options.serviceName ?? defaultServiceName,
    };
    const openLoop = await resolveOpenLoop(scenario, settings, variants[0].env, pinning, onEvent);
    onEvent({ type: 'run-start', totalTrials, plannedTrialSec: warmupSec + durationSec, exportTarget: endpoint, ratePerSec: openLoop?.ratePerSec });

    const trials = new Map<string, TrialResult[]>(variants.map((v) => [v.name, []]));
    let order = 0;
    for (let trial = 1; trial <= scenario.trials; trial++) {
      for (const variant of variants) {
        order++;
        const result = await runTrial({
          variant: variant.name,
          trial,
          order,
          tracingEnv: variant.env,
          settings,
          load: scenario.load,
          ratePerSec: openLoop?.ratePerSec,
          collector,
          serviceCpus: pinning.serviceCpus,
          flushTimeoutMs: (options.flushTimeoutSec ?? defaultFlushTimeoutSec) * 1000,
          onPhase: (phase) => onEvent({ type: 'trial-phase', order, variant: variant.name, trial, phase }),
        });
        trials.get(variant.name)!.push(result);
        onEvent({ type: 'trial-end', result, totalTrials });
      }
    }

    return {
      schemaVersion: runSchemaVersion,
      tool: { name: 'tracetax', version },
      startedAt,
      finishedAt: new Date().toISOString(),
      scenario: {
        name: scenario.name,
        description: scenario.description,
        source: scenario.source,
        shape: scenario.shape,
        load: scenario.load,
        collector: scenario.collector,
        trials: scenario.trials,
      },
      environment: {
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        cpuCount: coresAtStart,
        totalMemoryBytes: os.totalmem(),
        pinning,
        iterationsPerUs,
        exportTarget: { kind: collector ? 'embedded' : 'remote', endpoint },
      },
      openLoop,
      spansPerRequestExpected: spansPerRequest,
      baseline: variants[0].name,
      variants: variants.map((v, i) => ({
        ...v,
        description: describeTracing(v.config),
        trials: trials.get(v.name)!,
        summary: summarizeVariant(trials.get(v.name)!, warmupSec + durationSec),
        comparison: compareWithBaseline(trials.get(v.name)!, i === 0 ? null : trials.get(variants[0].name)!),
      })),
    };
  } finally {
    await collector?.stop();
  }
}
