// Scenario files are user input: check every field, name the one that is wrong and say how to fix it.
import { isObject, type PlainObject } from '../common/input.ts';
import { defaultAlpha, defaultGateThresholds, gatedMetrics } from '../compare/gate.ts';
import { StrategiesError } from '../jaeger/sampling-strategies.ts';
import { isLoadMode, loadDrivers, loadModes } from '../load/registry.ts';
import type { BlocksSetting, CollectorSettings, GateSettings, GateThresholds, LoadSettings, MicroScenario, ProcessDesign, RateSetting, RoundsSetting, Scenario, Variant } from '../model/index.ts';
import { hops, resolveShape } from '../sut/builtin/shape.ts';
import {
  defaultConnections,
  defaultDurationSec,
  defaultFixedBlocks,
  defaultMinBlocks,
  sentinelName,
  defaultSliceSec,
  defaultMaxTimeSec,
  defaultMinRounds,
  defaultOpenLoopConnections,
  defaultPrecisionPts,
  defaultProcesses,
  defaultSpecBenchmark,
  defaultTaskTimeMs,
  defaultTaskWarmupMs,
  defaultWarmupSec,
} from './defaults.ts';
import { ScenarioError } from './errors.ts';
import { checkDesignFitsService, checkExternalService, externalServiceFromCommandLine, isExternalServiceSpec, type ServiceCommandLine } from './external-service.ts';
import { expectNumber, expectObject, expectString, optionalNumber } from './fields.ts';
import { resolveScenarioSampling, scenarioFolder } from './sampling.ts';
import { checkInstrumentationFlag, checkSdk, checkVariants } from './variants.ts';
import { checkRuntime, checkRuntimeName } from './runtime.ts';
import { defaultSdkSet, sdkRuntimeProblem } from '../sut/sdk-sets.ts';

export { ScenarioError };

/** Command-line overrides, applied over the file's values and checked the same way. */
export interface ScenarioOverrides {
  readonly durationSec?: number;
  readonly warmupSec?: number;
  readonly warmupRequests?: number;
  readonly connections?: number;
  readonly trials?: number;
  /** Target half-width of every Δ CPU/request, percentage points: rounds until precise. */
  readonly precision?: number;
  readonly maxTimeSec?: number;
  readonly processes?: string;
  /** Blocks of fresh processes (pool and pairs). */
  readonly blocks?: number;
  /** Requests per second or a share of saturation such as '50%': switches to the open-loop mode. */
  readonly rate?: string | number;
  /** An external service given on the command line: replaces the scenario's service. */
  readonly service?: ServiceCommandLine;
  /** The user allows an external service's url off the loopback range. */
  readonly allowRemoteTarget?: boolean;
  /** Every traced variant's instrumentation ('auto' or 'service'), over the file's. */
  readonly instrumentation?: string;
}

/** The built-in topology's work per hop. */
function checkShape(raw: unknown) {
  if (raw === undefined) return resolveShape(undefined);
  const service = expectObject(raw, 'service');
  const partial: Record<string, { cpuUs?: number; sleepMs?: number }> = {};
  for (const [hop, work] of Object.entries(service)) {
    if (!(hops as readonly string[]).includes(hop)) throw new ScenarioError(`service.${hop} is not a hop: use one of ${hops.join(', ')}`);
    const w = expectObject(work, `service.${hop}`);
    for (const key of Object.keys(w)) {
      if (key !== 'cpuUs' && key !== 'sleepMs') throw new ScenarioError(`service.${hop}.${key} is not a setting: use cpuUs or sleepMs`);
    }
    partial[hop] = {
      cpuUs: w.cpuUs === undefined ? undefined : expectNumber(w.cpuUs, `service.${hop}.cpuUs`, { min: 0 }),
      sleepMs: w.sleepMs === undefined ? undefined : expectNumber(w.sleepMs, `service.${hop}.sleepMs`, { min: 0 }),
    };
    for (const key of ['cpuUs', 'sleepMs'] as const) if (partial[hop][key] === undefined) delete partial[hop][key];
  }
  return resolveShape(partial);
}

/** A rate: a positive number per second, or 'N%' of the untraced saturation throughput (0 < N ≤ 100). */
export function parseRate(value: unknown, field: string): RateSetting {
  if (typeof value === 'string' && value.trim().endsWith('%')) {
    const share = Number(value.trim().slice(0, -1)) / 100;
    if (!(share > 0 && share <= 1)) throw new ScenarioError(`${field} ${value} must be a share in (0%, 100%] of the untraced saturation throughput, e.g. 50%`);
    return { kind: 'saturation-share', share };
  }
  const perSec = typeof value === 'string' ? Number(value) : value;
  if (typeof perSec !== 'number' || !(perSec > 0) || !Number.isFinite(perSec)) {
    throw new ScenarioError(`${field} must be requests per second (a positive number) or a share of saturation such as 50%, got ${JSON.stringify(value)}`);
  }
  return { kind: 'fixed', perSec };
}

function checkLoad(raw: unknown, overrides: ScenarioOverrides, processes: ProcessDesign): LoadSettings {
  const load = raw === undefined ? {} : expectObject(raw, 'load');
  for (const key of Object.keys(load)) {
    if (!['mode', 'rate', 'connections', 'durationSec', 'warmupSec', 'warmupRequests', 'concurrent'].includes(key)) {
      throw new ScenarioError(`load.${key} is not a setting: use mode, rate, connections, durationSec, warmupSec, warmupRequests or concurrent`);
    }
  }
  const fileMode = load.mode ?? 'closed';
  if (!isLoadMode(fileMode)) throw new ScenarioError(`load.mode must be ${loadModes.join(' or ')}, got ${JSON.stringify(fileMode)}`);
  // --rate turns any scenario into an open-loop one.
  const mode = overrides.rate !== undefined ? 'open' : fileMode;
  const needsRate = loadDrivers[mode].needsRate;
  const rateRaw = overrides.rate ?? load.rate;
  if (needsRate && rateRaw === undefined) throw new ScenarioError(`load.rate is needed with mode '${mode}': give requests per second or a share of saturation such as '50%'`);
  if (!needsRate && load.rate !== undefined) {
    const rated = loadModes.filter((m) => loadDrivers[m].needsRate).map((m) => `'${m}'`);
    throw new ScenarioError(`load.rate applies only to mode ${rated.join(' or ')}: add mode: ${rated[0]} or remove the rate`);
  }
  const rate = needsRate ? parseRate(rateRaw, overrides.rate !== undefined ? '--rate' : 'load.rate') : undefined;
  const concurrent = load.concurrent ?? false;
  if (typeof concurrent !== 'boolean') throw new ScenarioError(`load.concurrent must be true or false, got ${JSON.stringify(concurrent)}`);
  // Services under a load without a fixed rate would compete for the core at whatever share the scheduler gives them.
  if (concurrent && !needsRate) throw new ScenarioError("load.concurrent needs mode 'open' (each variant at a fixed rate): add mode: 'open' and a rate, or remove concurrent");
  // A share of one service's saturation, given to every service on the shared core, would overload it.
  if (concurrent && rate?.kind === 'saturation-share') {
    throw new ScenarioError(`${overrides.rate !== undefined ? '--rate' : 'load.rate'} ${String(rateRaw)} is a share of saturation, but load.concurrent runs every variant at that rate on one core: give requests per second instead`);
  }
  const fromFile = {
    connections: optionalNumber(load, 'connections', 'load', mode === 'open' ? defaultOpenLoopConnections : defaultConnections, { integer: true, positive: true }),
    durationSec: optionalNumber(load, 'durationSec', 'load', processes !== 'fresh' && !concurrent ? defaultSliceSec : defaultDurationSec, { positive: true }),
    warmupSec: optionalNumber(load, 'warmupSec', 'load', defaultWarmupSec, { min: 0 }),
    warmupRequests: load.warmupRequests === undefined ? undefined : expectNumber(load.warmupRequests, 'load.warmupRequests', { integer: true, min: 0 }),
  };
  if (load.warmupSec !== undefined && fromFile.warmupRequests !== undefined) {
    throw new ScenarioError('load.warmupSec and load.warmupRequests both set: a warm-up counts seconds or requests, keep one');
  }
  if (overrides.warmupSec !== undefined && overrides.warmupRequests !== undefined) {
    throw new ScenarioError('--warmup and --warmup-requests both given: a warm-up counts seconds or requests, give one');
  }
  // A command-line warm-up replaces the file's, whichever unit either counts.
  const warmupRequests =
    overrides.warmupRequests !== undefined
      ? expectNumber(overrides.warmupRequests, '--warmup-requests', { integer: true, min: 0 })
      : overrides.warmupSec === undefined
        ? fromFile.warmupRequests
        : undefined;
  return {
    mode,
    ...(rate ? { rate } : {}),
    concurrent,
    connections: overrides.connections === undefined ? fromFile.connections : expectNumber(overrides.connections, '--connections', { integer: true, positive: true }),
    durationSec: overrides.durationSec === undefined ? fromFile.durationSec : expectNumber(overrides.durationSec, '--duration', { positive: true }),
    warmupSec: overrides.warmupSec === undefined ? fromFile.warmupSec : expectNumber(overrides.warmupSec, '--warmup', { min: 0 }),
    ...(warmupRequests === undefined ? {} : { warmupRequests }),
  };
}

function checkGate(raw: unknown): GateSettings {
  const gate = raw === undefined ? {} : expectObject(raw, 'gate');
  for (const key of Object.keys(gate)) {
    if (key !== 'thresholds' && key !== 'alpha') throw new ScenarioError(`gate.${key} is not a setting: use thresholds or alpha`);
  }
  const given = gate.thresholds === undefined ? {} : expectObject(gate.thresholds, 'gate.thresholds');
  const thresholds: Record<string, number> = { ...defaultGateThresholds };
  for (const [key, value] of Object.entries(given)) {
    if (!(gatedMetrics as readonly string[]).includes(key)) {
      throw new ScenarioError(`gate.thresholds.${key} is not a gated metric: use one of ${gatedMetrics.join(', ')}`);
    }
    thresholds[key] = expectNumber(value, `gate.thresholds.${key}`, { min: 0 });
  }
  const alpha = optionalNumber(gate, 'alpha', 'gate', defaultAlpha, { positive: true });
  if (alpha >= 1) throw new ScenarioError(`gate.alpha must be below 1, got ${alpha}: use e.g. 0.05`);
  return { thresholds: thresholds as GateThresholds, alpha };
}

function checkCollector(raw: unknown): CollectorSettings {
  const collector = raw === undefined ? {} : expectObject(raw, 'collector');
  for (const key of Object.keys(collector)) {
    if (key !== 'responseDelayMs') throw new ScenarioError(`collector.${key} is not a setting: use responseDelayMs`);
  }
  return { responseDelayMs: optionalNumber(collector, 'responseDelayMs', 'collector', 0, { min: 0 }) };
}

const scenarioKeys = ['name', 'description', 'service', 'load', 'gate', 'collector', 'sampling', 'trials', 'precision', 'maxTimeSec', 'processes', 'blocks', 'sentinel', 'variants'];

/**
 * A fixed number of rounds (trials), or rounds until precise. The command line's choice wins over the
 * file's: --trials over precision and maxTimeSec, --precision or --max-time over trials.
 */
function checkRounds(spec: PlainObject, overrides: ScenarioOverrides): RoundsSetting {
  const adaptiveFlags = overrides.precision !== undefined || overrides.maxTimeSec !== undefined;
  if (overrides.trials !== undefined && adaptiveFlags) {
    throw new ScenarioError('--trials fixes the number of rounds, --precision and --max-time let them run until precise: give one or the other');
  }
  if (overrides.trials !== undefined) return { kind: 'fixed', count: expectNumber(overrides.trials, '--trials', { integer: true, positive: true }) };
  if (spec.trials !== undefined && (spec.precision !== undefined || spec.maxTimeSec !== undefined)) {
    throw new ScenarioError('trials fixes the number of rounds, precision and maxTimeSec let them run until precise: keep one or the other');
  }
  if (spec.trials !== undefined && !adaptiveFlags) return { kind: 'fixed', count: expectNumber(spec.trials, 'trials', { integer: true, positive: true }) };
  const precisionPts =
    overrides.precision === undefined ? optionalNumber(spec, 'precision', 'scenario', defaultPrecisionPts, { positive: true }) : expectNumber(overrides.precision, '--precision', { positive: true });
  const maxTimeSec =
    overrides.maxTimeSec === undefined ? optionalNumber(spec, 'maxTimeSec', 'scenario', defaultMaxTimeSec, { positive: true }) : expectNumber(overrides.maxTimeSec, '--max-time', { positive: true });
  return { kind: 'until-precise', precisionPts, maxTimeSec, minRounds: defaultMinRounds };
}

/** Blocks of fresh processes: the pool and pairs designs only (a fresh process per trial is a block per trial). */
function checkBlocks(spec: PlainObject, overrides: ScenarioOverrides, processes: ProcessDesign, concurrent: boolean, rounds: RoundsSetting): BlocksSetting | null {
  const raw = overrides.blocks ?? spec.blocks;
  const field = overrides.blocks !== undefined ? '--blocks' : 'blocks';
  if (processes === 'fresh' || concurrent) {
    if (raw !== undefined) throw new ScenarioError(`${field} applies to processes 'pool' and 'pairs': with fresh processes every trial is a process of its own; remove it`);
    return null;
  }
  const count = raw === undefined ? undefined : expectNumber(raw, field, { integer: true, positive: true });
  if (rounds.kind === 'fixed') {
    const blocks = Math.min(count ?? defaultFixedBlocks, rounds.count);
    if (count !== undefined && count > rounds.count) throw new ScenarioError(`${field} ${count} is more than the ${rounds.count} rounds: every block needs a round; give at most ${rounds.count}`);
    return { kind: 'fixed', count: blocks };
  }
  return { kind: 'auto', min: count ?? defaultMinBlocks };
}

/** The sentinel: on by default where blocks are (rounds until precise), never in the fresh design. */
function checkSentinel(spec: PlainObject, blocks: BlocksSetting | null, variants: readonly Variant[]): boolean {
  if (spec.sentinel !== undefined && typeof spec.sentinel !== 'boolean') throw new ScenarioError(`sentinel must be true or false, got ${JSON.stringify(spec.sentinel)}`);
  if (spec.sentinel === true && blocks === null) throw new ScenarioError("sentinel needs processes 'pool' or 'pairs': remove it, or choose one of those designs");
  const on = (spec.sentinel as boolean | undefined) ?? blocks?.kind === 'auto';
  if (on && variants.some((v) => v.name === sentinelName)) throw new ScenarioError(`variants: '${sentinelName}' is the sentinel's name: rename that variant, or set sentinel: false`);
  return on;
}

function checkProcesses(spec: PlainObject, overrides: ScenarioOverrides): ProcessDesign {
  const raw = overrides.processes ?? spec.processes ?? defaultProcesses;
  if (raw !== 'pool' && raw !== 'pairs' && raw !== 'fresh') {
    throw new ScenarioError(
      `${overrides.processes !== undefined ? '--processes' : 'processes'} must be 'pairs' (warm processes, each slice side by side with the baseline's), ` +
        `'pool' (warm processes, one slice at a time) or 'fresh' (a new process per trial), got ${JSON.stringify(raw)}`,
    );
  }
  return raw;
}

/** Validates a scenario file's content and applies the overrides. Throws ScenarioError naming the field. */
export function validateScenario(raw: unknown, source: string, overrides: ScenarioOverrides = {}): Scenario {
  const spec = expectObject(raw, 'the scenario');
  for (const key of Object.keys(spec)) {
    if (!scenarioKeys.includes(key)) throw new ScenarioError(`${key} is not a setting of a scenario: use ${scenarioKeys.join(', ')}`);
  }
  const processes = checkProcesses(spec, overrides);
  const load = checkLoad(spec.load, overrides, processes);
  // Pairs load two services on one core at once: each at half the saturation rate or more would overload it.
  if (processes === 'pairs' && !load.concurrent && load.rate?.kind === 'saturation-share' && load.rate.share >= 0.5) {
    throw new ScenarioError(
      `a rate of ${load.rate.share * 100}% of saturation with processes 'pairs' loads two services on one core at ${load.rate.share * 200}% of it: use processes 'pool' (or --processes pool), or a share below 50%`,
    );
  }
  const external = isExternalServiceSpec(spec.service);
  const service = overrides.service
    ? externalServiceFromCommandLine(overrides.service, overrides.allowRemoteTarget ?? false)
    : external
      ? checkExternalService(spec.service as PlainObject, scenarioFolder(source), overrides.allowRemoteTarget ?? false)
      : ({ kind: 'builtin' } as const);
  if (service.kind === 'external') checkDesignFitsService(service, processes, load.concurrent);
  const variants = checkVariants(spec.variants, overrides.instrumentation === undefined ? undefined : checkInstrumentationFlag(overrides.instrumentation));
  const foreignSdk = variants.find((v) => v.sdk !== defaultSdkSet);
  if (service.kind === 'external' && foreignSdk) {
    throw new ScenarioError(`variant '${foreignSdk.name}': sdk '${foreignSdk.sdk}' applies to the built-in service's tracing code; an external service brings its own SDK: remove it`);
  }
  const rounds = checkRounds(spec, overrides);
  const blocks = checkBlocks(spec, overrides, processes, load.concurrent, rounds);
  return {
    name: expectString(spec.name, 'name'),
    description: expectString(spec.description, 'description'),
    source,
    service,
    shape: checkShape(external ? undefined : spec.service),
    load,
    collector: checkCollector(spec.collector),
    gate: checkGate(spec.gate),
    rounds,
    processes,
    blocks,
    sentinel: checkSentinel(spec, blocks, variants),
    ...checkSampling(spec.sampling, source, variants),
  };
}

/** Jaeger remote sampling: the strategies files the embedded sampling server answers from (src/jaeger/sampling-server.ts). */
function checkSampling(raw: unknown, source: string, variants: Variant[]): Pick<Scenario, 'sampling' | 'variants'> {
  try {
    return resolveScenarioSampling(raw, source, variants);
  } catch (error) {
    if (error instanceof StrategiesError) throw new ScenarioError(error.message);
    throw error;
  }
}

/** True when a scenario file's content asks for micro-benchmarks rather than load. */
export function isMicroSpec(raw: unknown): boolean {
  return isObject(raw) && raw.kind === 'micro';
}

/** The command line's --runtime and --sdk for a micro run, over the file's. */
export interface MicroOverrides {
  readonly runtime?: string;
  readonly sdk?: string;
}

const microKeys = ['kind', 'name', 'description', 'taskTimeMs', 'taskWarmupMs', 'spec', 'runtime', 'nodeFlags', 'sdk'];

/** Validates a micro scenario (kind: 'micro'). Throws ScenarioError naming the field. */
export function validateMicroScenario(raw: unknown, source: string, overrides: MicroOverrides = {}): MicroScenario {
  const spec = expectObject(raw, 'the scenario');
  for (const key of Object.keys(spec)) {
    if (!microKeys.includes(key)) throw new ScenarioError(`${key} is not a setting of a micro scenario: use ${microKeys.slice(1).join(', ')}`);
  }
  const fromFile = checkRuntime(spec, 'scenario');
  const runtime = overrides.runtime === undefined ? fromFile : { ...fromFile, runtime: checkRuntimeName(overrides.runtime, '--runtime') };
  const sdk = checkSdk(overrides.sdk ?? spec.sdk, overrides.sdk === undefined ? 'scenario' : '--sdk');
  const problem = sdkRuntimeProblem(sdk, runtime.runtime);
  if (problem) throw new ScenarioError(problem);
  let specBench: MicroScenario['spec'] = null;
  if (spec.spec !== false) {
    const given = spec.spec === undefined ? {} : expectObject(spec.spec, 'spec');
    for (const key of Object.keys(given)) {
      if (!(key in defaultSpecBenchmark)) throw new ScenarioError(`spec.${key} is not a setting: use one of ${Object.keys(defaultSpecBenchmark).join(', ')}`);
    }
    const d = defaultSpecBenchmark;
    specBench = {
      warmupSec: optionalNumber(given, 'warmupSec', 'spec', d.warmupSec, { min: 0 }),
      maxRateSec: optionalNumber(given, 'maxRateSec', 'spec', d.maxRateSec, { positive: true }),
      fixedRatePerSec: optionalNumber(given, 'fixedRatePerSec', 'spec', d.fixedRatePerSec, { positive: true }),
      fixedRateSec: optionalNumber(given, 'fixedRateSec', 'spec', d.fixedRateSec, { positive: true }),
      repeats: optionalNumber(given, 'repeats', 'spec', d.repeats, { integer: true, positive: true }),
    };
  }
  return {
    kind: 'micro',
    name: expectString(spec.name, 'name'),
    description: expectString(spec.description, 'description'),
    source,
    taskTimeMs: optionalNumber(spec, 'taskTimeMs', 'scenario', defaultTaskTimeMs, { positive: true }),
    taskWarmupMs: optionalNumber(spec, 'taskWarmupMs', 'scenario', defaultTaskWarmupMs, { min: 0 }),
    spec: specBench,
    runtime,
    sdk,
  };
}
