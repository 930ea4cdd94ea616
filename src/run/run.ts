// A whole run: rounds of every variant's trials in a shuffled order (or side by side), measured by the
// scenario's design (a warm pool or fresh processes), until the scenario's rounds are done or every
// Δ CPU/request is precise enough; summarized into run.json.
import os from 'node:os';
import { EmbeddedCollector } from '../collector/index.ts';
import { fitFamilies, type FitInput } from '../compare/fit.ts';
import { positionEffect } from '../compare/position.ts';
import { compareWithBaseline, summarizeVariant } from '../compare/summary.ts';
import { startRunSampling, type RunSampling } from '../jaeger/run-sampling.ts';
import { exportedTraceSampleSize, runServiceName, verifyInJaeger } from '../jaeger/verify.ts';
import { defaultConnections, defaultPrecisionPts } from '../scenario/defaults.ts';
import { spansPerRequest } from '../sut/builtin/shape.ts';
import { calibrateIterationsPerUs } from '../sut/builtin/work.ts';
import { BaseCheckoutError, baseVariantName } from '../sut/base-checkout.ts';
import { serviceCapabilities, serviceUnderTest } from '../sut/registry.ts';
import { runtimeNode } from '../sut/runtimes.ts';
import { sdkSetLaunch } from '../sut/sdk-sets.ts';
import { harnessRuntime, runtimeKey } from '../scenario/runtime.ts';
import { withSentinel } from '../scenario/sentinel.ts';
import type { ServiceUnderTest } from '../sut/service-under-test.ts';
import { describeTracing } from '../tracing/describe.ts';
import { otlpProtocol, tracingConfigFromEnv } from '../tracing/env.ts';
import { samplerRatio } from '../tracing/samplers/registry.ts';
import { describeMachine, pinHarnessAndService } from './pinning.ts';
import { measureSaturation } from './saturation.ts';
import { FreshRounds } from './fresh-rounds.ts';
import { newSeed, roundOrderStream } from './order.ts';
import { mulberry32 } from '../compare/stats.ts';
import { PoolRounds } from './pool.ts';
import { measureRounds } from './round-loop.ts';
import type { RoundMember, RoundRunner, RoundSettings } from './rounds.ts';
import { runTrialsTogether } from './trial.ts';
import { aaCheckOf, runNoise } from '../compare/noise.ts';
import { timeFixedWork } from '../measure/fixed-work.ts';
import type { BaseCheckout, OpenLoopRate, Pinning, ProcessDesign, RunDocument, RunEvent, RuntimeSetting, Scenario, TracingConfig, TrialResult, VariantResult } from '../model/index.ts';

/**
 * 3: a trial is one measured window; each variant's service processes are its `lives`, with the span
 * accounting; rounds may run until precise, and every change has a verdict.
 */
export const runSchemaVersion = 3;

export interface RunOptions {
  /** A collector the user runs (e.g. Jaeger at http://localhost:4317); undefined starts the embedded one. */
  readonly otlpEndpoint?: string;
  /** Port for the embedded collector; 0 picks a free one. */
  readonly collectorPort?: number;
  /** Seconds the SDK may take to flush on shutdown before its remaining spans count as lost. */
  readonly flushTimeoutSec?: number;
  readonly serviceName?: string;
  readonly pin?: boolean;
  /** A planted regression, to prove the gate: loop iterations burnt per ended span in every traced variant. */
  readonly plantedSpanIterations?: number;
  /** Jaeger's query API (e.g. http://127.0.0.1:16686): after the trials, check there that the exported traces arrived. */
  readonly jaegerQuery?: string;
  /** Seed of the rounds' shuffled order; a fresh one when not given. */
  readonly seed?: number;
  /** Seconds of the unmeasured trial that warms the harness before the first round; 0 for none. */
  readonly harnessWarmupSec?: number;
  /** A same-run check: the base branch's checkout, whose service runs every variant again beside this tree's. */
  readonly base?: BaseCheckout;
}

export const defaultFlushTimeoutSec = 15;
/**
 * Long enough for the load generator's and the collector's code to be compiled hot, and for the
 * service's transpiled code to be cached, before any trial counts.
 */
export const defaultHarnessWarmupSec = 2;
export const defaultServiceName = 'tracetax-service';
/** Environment padding per process is drawn from 0 … this many bytes (Mytkowicz et al. varied it over 4 KiB). */
const maxEnvPaddingBytes = 4096;

/** A variant as the run resolved it: what the designs take (RoundMember), and what its result needs besides. */
interface RunVariant extends RoundMember {
  readonly config: TracingConfig;
  readonly tree: 'this' | 'base';
  readonly sentinel?: true;
}

/**
 * The variant's environment with the export target filled in (unless the variant names its own) and any
 * planted regression. The embedded collector takes each protocol on a port of its own; a user's endpoint is used as given.
 */
function variantEnv(
  env: Readonly<Record<string, string>>,
  collector: EmbeddedCollector | null,
  endpoint: string,
  plantedSpanIterations: number,
): Record<string, string> {
  const out: Record<string, string> = { ...env };
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    out.OTEL_EXPORTER_OTLP_ENDPOINT = !collector ? endpoint : otlpProtocol(env) === 'grpc' ? collector.endpoint : collector.httpEndpoint;
  }
  // Spelled out: an SDK that is not tracetax's (an external service's, the zero-code one's) defaults to http/protobuf.
  if (!env.OTEL_EXPORTER_OTLP_PROTOCOL && !env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) out.OTEL_EXPORTER_OTLP_PROTOCOL = otlpProtocol(env);
  if (plantedSpanIterations > 0) out.TRACETAX_PLANTED_SPAN_ITERATIONS = String(plantedSpanIterations);
  return out;
}

/** A trial's 1-based place in its round: its run-wide order less the round's first. */
function placeInRound(all: readonly TrialResult[]): (t: TrialResult) => number {
  const first = new Map<number, number>();
  for (const t of all) first.set(t.trial, Math.min(first.get(t.trial) ?? Number.POSITIVE_INFINITY, t.order));
  return (t) => t.order - first.get(t.trial)! + 1;
}

/**
 * The ratio variants of each sampler, grouped with the processor and exporter settings they share, so a
 * fit never mixes a tuned batch processor with the default one.
 */
function samplingFamilies(variants: readonly VariantResult[], baseline: readonly TrialResult[], knownSpansPerRequest: boolean): FitInput[] {
  const families = new Map<string, { sampler: string; variants: FitInput['variants'][number][] }>();
  for (const v of variants) {
    // A base checkout's variants have a baseline of their own: they are not points of this tree's line. The
    // line's per-span cost needs the built-in service's known spans per trace, made by its own code.
    if (v.config.kind !== 'sdk' || v.tree === 'base' || v.instrumentation === 'auto' || !knownSpansPerRequest) continue;
    const ratio = samplerRatio(v.config.sampler);
    if (ratio === undefined) continue;
    const { processor, exporter, plantedSpanIterations } = v.config;
    // The exporter's protocol, not its endpoint: with a collector per variant every endpoint differs.
    // Nor one runtime with another: each has its own baseline.
    const key = JSON.stringify([v.config.sampler.name, processor, exporter.kind === 'none' ? 'none' : exporter.protocol, plantedSpanIterations, runtimeKey(v.runtime ?? harnessRuntime), v.sdk]);
    const family = families.get(key) ?? { sampler: v.config.sampler.name, variants: [] };
    family.variants.push({ name: v.name, ratio, trials: v.trials });
    families.set(key, family);
  }
  const samplers = [...families.values()].map((f) => f.sampler);
  return [...families.values()].map((f) => ({
    // The sampler's name alone, unless two families share it: then the variants say which is which.
    family: samplers.filter((s) => s === f.sampler).length > 1 ? `${f.sampler} (${f.variants.map((v) => v.name).join(', ')})` : f.sampler,
    variants: f.variants,
    baseline,
    spansPerTrace: spansPerRequest,
  }));
}

/** The open-loop rate: as given, or a share of the untraced saturation throughput measured now. */
async function resolveOpenLoop(
  scenario: Scenario,
  service: ServiceUnderTest,
  baselineEnv: Readonly<Record<string, string>>,
  pinning: Pinning,
  onEvent: (event: RunEvent) => void,
): Promise<OpenLoopRate | null> {
  const rate = scenario.load.rate;
  if (!rate) return null; // the mode's driver takes no rate (validation sets one exactly when it does)
  if (rate.kind === 'fixed') return { ratePerSec: rate.perSec };
  onEvent({ type: 'saturation-start' });
  const saturation = await measureSaturation({ service, baselineEnv, baselineRuntime: scenario.variants[0].runtime, connections: defaultConnections, serviceCpus: pinning.serviceCpus });
  return { ratePerSec: saturation.requestsPerSec * rate.share, saturation: { ...saturation, share: rate.share } };
}

export async function runScenario(
  asWritten: Scenario,
  options: RunOptions,
  onEvent: (event: RunEvent) => void = () => {},
  version = '0.0.0',
): Promise<RunDocument> {
  const scenario = withSentinel(asWritten);
  if (options.base && (!serviceCapabilities(scenario.service).baseCheckout || scenario.variants.some((v) => v.instrumentation === 'auto'))) {
    throw new BaseCheckoutError(
      "--check DIR runs the base checkout's built-in service with its own spans: for an external service or instrumentation 'auto', save a baseline (--save-baseline) and check against that file",
    );
  }
  // A runtime that is not installed fails here, before any process starts, with the command that installs it.
  for (const v of scenario.variants) {
    if (v.runtime.runtime) runtimeNode(v.runtime.runtime);
    sdkSetLaunch(v.sdk);
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const elapsedSec = () => (performance.now() - t0) / 1000;
  const pinning: Pinning = options.pin === false ? { pinned: false, reason: 'disabled with --no-pin' } : pinHarnessAndService();
  // Side by side the processes are fresh each round; otherwise as the scenario says.
  const processes: ProcessDesign = scenario.load.concurrent ? 'fresh' : scenario.processes;
  // Processes alive at the same time need a collector each, so each one's spans are counted apart.
  const collectorPerVariant = scenario.load.concurrent || processes !== 'fresh';
  // This tree's variants; in a same-run check the base checkout's after them, the first of each its tree's baseline.
  const trees = options.base ? (['this', 'base'] as const) : (['this'] as const);
  const memberCount = scenario.variants.length * trees.length;
  const collectors: EmbeddedCollector[] = [];
  let sampling: RunSampling | undefined;
  let runner: RoundRunner | undefined;
  let runFailed = false;
  try {
    sampling = await startRunSampling(scenario.variants, scenario.sampling?.strategiesFile);
    if (!options.otlpEndpoint) {
      const count = collectorPerVariant ? memberCount : 1;
      for (let i = 0; i < count; i++) {
        const port = i === 0 ? (options.collectorPort ?? 0) : 0;
        collectors.push(await EmbeddedCollector.start({ port, responseDelayMs: scenario.collector.responseDelayMs }));
      }
    }
    const collector = collectors[0] ?? null;
    const collectorOf = (variantIndex: number) => collectors[collectorPerVariant ? variantIndex : 0] ?? null;
    const endpoint = options.otlpEndpoint ?? collector!.endpoint;
    const iterationsPerUs = calibrateIterationsPerUs();
    // A name of its own per run when Jaeger is asked afterwards, so its search counts this run only.
    const serviceName = options.serviceName ?? (options.jaegerQuery ? runServiceName() : defaultServiceName);
    const serviceOf = (tree: (typeof trees)[number]) =>
      serviceUnderTest(scenario, {
        iterationsPerUs,
        serviceName,
        ...(options.jaegerQuery ? { exportedTraceSample: exportedTraceSampleSize } : {}),
        ...(tree === 'base' ? { checkoutRoot: options.base!.path } : {}),
      });
    // Each variant's baseline: the untraced one on its runtime (validation adds one for every runtime used).
    const untracedOn = (runtime: RuntimeSetting) =>
      scenario.variants.findIndex((v) => tracingConfigFromEnv(v.env).kind === 'untraced' && runtimeKey(v.runtime) === runtimeKey(runtime));
    // Every variant resolved once, into the record the designs take whole (a same-run check's base variants after this tree's).
    const variants: RunVariant[] = trees.flatMap((tree, t) => {
      const service = serviceOf(tree);
      const first = t * scenario.variants.length;
      return scenario.variants.map((v, i) => {
        // A planted regression is this tree's change: the base runs as it is.
        const planted = tree === 'this' ? (options.plantedSpanIterations ?? 0) : 0;
        const env = sampling!.fill(variantEnv(v.env, collectorOf(first + i), endpoint, planted));
        return {
          variant: tree === 'this' ? v.name : baseVariantName(v.name),
          service,
          launch: { tracingEnv: env, instrumentation: v.instrumentation, runtime: v.runtime, sdk: v.sdk },
          // Both trees' variant i share a slice in pairs, so one moment's machine is in all four figures of a round.
          baseline: first + Math.max(0, untracedOn(v.runtime)),
          group: i,
          collector: collectorOf(first + i),
          config: tracingConfigFromEnv(env),
          tree,
          ...(v.sentinel ? { sentinel: true as const } : {}),
        };
      });
    });
    const openLoop = await resolveOpenLoop(scenario, variants[0].service, variants[0].launch.tracingEnv, pinning, onEvent);
    onEvent({
      type: 'run-start',
      variants: variants.length,
      processes,
      trialsAtOnce: scenario.load.concurrent ? variants.length : 1,
      rounds: scenario.rounds,
      exportTarget: endpoint,
      ratePerSec: openLoop?.ratePerSec,
    });

    const seed = options.seed ?? newSeed();
    // Each process's environment padding, from the seed but apart from the orders.
    const padding = mulberry32(seed ^ 0x5bd1e995);
    const settings: RoundSettings = {
      load: scenario.load,
      ratePerSec: openLoop?.ratePerSec,
      serviceCpus: pinning.serviceCpus,
      flushTimeoutMs: (options.flushTimeoutSec ?? defaultFlushTimeoutSec) * 1000,
      onPhase: (member, round, order, phase) => onEvent({ type: 'trial-phase', order, variant: variants[member].variant, round, phase }),
      envPaddingBytes: () => Math.floor(padding() * maxEnvPaddingBytes),
    };
    const nextOrder = roundOrderStream(variants.length, seed);
    // Each block's start-up order, from the seed but apart from the rounds' orders.
    const nextSpawnOrder = roundOrderStream(variants.length, seed ^ 0x9e3779b9);
    const fixedWorkStartMs = timeFixedWork();
    let harnessWarmupSec = 0;
    let fresh: FreshRounds | undefined;
    if (processes === 'fresh') {
      fresh = new FreshRounds(variants, settings);
      harnessWarmupSec = options.harnessWarmupSec ?? defaultHarnessWarmupSec;
      if (harnessWarmupSec > 0) {
        // A traced variant when the collector is ours, so its decoder warms too; the baseline when spans go
        // to the user's backend, which should hold only measured traces.
        const traced = variants.findIndex((v) => v.config.kind === 'sdk');
        const warm = fresh.trialOptions(collector && traced >= 0 ? traced : 0, 0, 0);
        onEvent({ type: 'harness-warmup', seconds: harnessWarmupSec });
        await runTrialsTogether([{ ...warm, settings: { ...warm.settings, load: { ...scenario.load, warmupSec: 0, warmupRequests: 0, durationSec: harnessWarmupSec } }, onPhase: () => {} }]);
      }
    }

    const measured = await measureRounds({
      startBlock: async (block, active) => fresh ?? (await PoolRounds.start(variants, settings, nextSpawnOrder().filter((i) => active.includes(i)), processes === 'pairs', block)),
      blocks: fresh ? 'single' : scenario.blocks!,
      variants: variants.map((v) => ({ name: v.variant, baseline: variants[v.baseline].variant })),
      rounds: scenario.rounds,
      nextOrder,
      elapsedSec,
      onEvent,
      onRunner: (r) => (runner = r ?? undefined),
    });
    const { trials, roundsRun, stoppedBecause, lives } = measured;
    const measuredSec = elapsedSec();
    const fixedWorkEndMs = timeFixedWork();
    const livesOf = (name: string) => lives.filter((l) => l.variant === name);
    const trialsOf = (name: string) => trials.get(name)!;

    // After every round, so Jaeger's query work loads no measurement.
    const jaeger = options.jaegerQuery
      ? await verifyInJaeger(variants.map((v) => ({ name: v.variant, lives: livesOf(v.variant) })), {
          queryUrl: options.jaegerQuery,
          serviceName,
          expectedSpansPerTrace: spansPerRequest,
          variantsRanTogether: collectorPerVariant,
          onProgress: (message) => onEvent({ type: 'jaeger-progress', message }),
        })
      : undefined;

    const precisionPts = scenario.rounds.kind === 'until-precise' ? scenario.rounds.precisionPts : defaultPrecisionPts;
    const samplingSummary = sampling.summary();
    const results: VariantResult[] = variants.map(({ variant: name, launch, config, tree, baseline, sentinel }, i) => ({
      name,
      ...(sentinel ? { sentinel } : {}),
      env: launch.tracingEnv,
      instrumentation: launch.instrumentation,
      runtime: launch.runtime,
      sdk: launch.sdk,
      config,
      description: launch.instrumentation === 'auto' ? `auto-instrumentation · ${describeTracing(config)}` : describeTracing(config),
      trials: trialsOf(name),
      lives: livesOf(name),
      summary: summarizeVariant(trialsOf(name), livesOf(name)),
      comparison: compareWithBaseline(trialsOf(name), i === baseline ? null : trialsOf(variants[baseline].variant), precisionPts),
      ...(tree === 'base' ? { tree } : {}),
      // Against its own tree's untraced on its own runtime, when that is not the run's baseline.
      ...(i !== baseline && baseline !== 0 ? { comparedWith: variants[baseline].variant } : {}),
    }));
    return {
      schemaVersion: runSchemaVersion,
      tool: { name: 'tracetax', version },
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      scenario: {
        name: scenario.name,
        description: scenario.description,
        source: scenario.source,
        service: scenario.service,
        shape: scenario.shape,
        load: scenario.load,
        collector: scenario.collector,
        rounds: scenario.rounds,
        processes: scenario.processes,
        blocks: scenario.blocks,
      },
      environment: {
        ...describeMachine(pinning),
        totalMemoryBytes: os.totalmem(),
        iterationsPerUs,
        exportTarget: { kind: collector ? 'embedded' : 'remote', endpoint },
      },
      design: {
        processes,
        order: scenario.load.concurrent ? 'side-by-side' : 'randomised',
        seed,
        harnessWarmupSec,
        rounds: scenario.rounds,
        roundsRun,
        blocks: fresh ? null : scenario.blocks,
        roundsPerBlock: measured.roundsPerBlock,
        blockOverheadSec: measured.blockOverheadSec,
        roundSec: measured.roundSec,
        stoppedBecause,
        precisionPts,
        measuredSec,
      },
      // A trial's place in its round, from its place in the run and the round's first place.
      positionEffect: scenario.load.concurrent ? null : positionEffect([...trials.values()], placeInRound([...trials.values()].flat())),
      openLoop,
      spansPerRequestExpected: spansPerRequest,
      baseline: variants[0].variant,
      ...(options.base ? { base: options.base } : {}),
      variants: results,
      ...(aaCheckOf(results) ? { aaCheck: aaCheckOf(results) } : {}),
      noise: runNoise({
        variants: results,
        baseline: variants[0].variant,
        fixedWork: { startMs: fixedWorkStartMs, endMs: fixedWorkEndMs },
        targetPts: precisionPts,
        budgetSec: scenario.rounds.kind === 'until-precise' ? scenario.rounds.maxTimeSec : measuredSec,
        ...(fresh ? {} : { blockOverheadSec: measured.blockOverheadSec, roundSec: measured.roundSec }),
      }),
      fits: fitFamilies(samplingFamilies(results, results[0].trials, serviceCapabilities(scenario.service).knownSpansPerRequest)),
      ...(jaeger ? { jaeger } : {}),
      ...(samplingSummary ? { jaegerSampling: samplingSummary } : {}),
    };
  } catch (error) {
    runFailed = true;
    runner?.kill();
    throw error;
  } finally {
    // Stop everything even when one stop fails; a failed stop is reported unless it would hide the run's own error.
    const stopped = await Promise.allSettled([...collectors.map((c) => c.stop()), sampling?.stop()]);
    const failure = stopped.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure && !runFailed) throw failure.reason;
  }
}
