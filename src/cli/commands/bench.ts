// The main command: run a scenario (load, or micro-benchmarks), check it against a baseline, explain
// it, write its folder and print its table.
import path from 'node:path';
import { checkBaselineCovers, readBaselineFile } from '../../compare/baseline-file.ts';
import { checkJaegerReachable } from '../../jaeger/verify.ts';
import { checkBaselineTarget, checkOutputDir, defaultRunDir, terminalTexts, writeRunFolder } from '../../report/write.ts';
import { roundsSettingText } from '../../report/rows.ts';
import { runScenario, type RunOptions } from '../../run/run.ts';
import { listShippedMicroScenarios, listShippedScenarios, loadAnyScenario, loadScenario } from '../../scenario/load.ts';
import { parseOtlpEndpoint, tracingConfigFromEnv } from '../../tracing/env.ts';
import { parseHttpUrl } from '../../common/input.ts';
import { checkPort, gateExitCode, resultsDir, UsageError, version } from '../common.ts';
import { ProgressPrinter } from '../progress.ts';
import { isDirectory, readBaseCheckout } from '../../sut/base-checkout.ts';
import { serviceCapabilities } from '../../sut/registry.ts';
import { checkRun, saveBaseline, type GateReference } from './check.ts';
import { explainLoadRun, micro, readExplainSource } from './micro.ts';
import type { ServiceCommandLine } from '../../scenario/external-service.ts';
import type { RunDocument, Scenario } from '../../model/index.ts';

export interface BenchArgs {
  saveBaseline?: string;
  check?: string;
  confirm: boolean;
  plantSpanIterations?: number;
  scenario?: string;
  list?: boolean;
  duration?: number;
  warmup?: number;
  warmupRequests?: number;
  connections?: number;
  trials?: number;
  precision?: number;
  maxTime?: number;
  processes?: string;
  blocks?: number;
  rate?: string;
  otlpEndpoint?: string;
  jaegerQuery?: string;
  /** --explain: '' to run the micro scenario after the load run, or a micro results folder to read. */
  explain?: string;
  seed?: number;
  collectorPort?: number;
  flushTimeout: number;
  out?: string;
  pin: boolean;
  /** --service-cmd: the program and its arguments (the words after the flag, up to the next flag). */
  serviceCmd?: string[];
  serviceUrl?: string;
  serviceReady?: string;
  allowRemoteTarget: boolean;
  instrumentation?: string;
  /** Micro runs only: the Node.js and SDK set the benchmarks run on. */
  runtime?: string;
  sdk?: string;
}

/** Flags that only mean something for a load run, rejected with a micro scenario rather than ignored. */
const loadOnlyFlags: [keyof BenchArgs, string][] = [
  ['duration', '--duration'], ['warmup', '--warmup'], ['warmupRequests', '--warmup-requests'], ['connections', '--connections'], ['trials', '--trials'], ['precision', '--precision'], ['maxTime', '--max-time'], ['processes', '--processes'], ['blocks', '--blocks'], ['rate', '--rate'],
  ['otlpEndpoint', '--otlp-endpoint'], ['jaegerQuery', '--jaeger-query'], ['collectorPort', '--collector-port'], ['saveBaseline', '--save-baseline'],
  ['check', '--check'], ['plantSpanIterations', '--plant-span-iterations'], ['explain', '--explain'], ['confirm', '--confirm'], ['seed', '--seed'],
  ['serviceCmd', '--service-cmd'], ['serviceUrl', '--service-url'], ['serviceReady', '--service-ready'], ['allowRemoteTarget', '--allow-remote-target'], ['instrumentation', '--instrumentation'],
];

/** --service-cmd and --service-url come together; --service-ready only with them. */
function serviceFromFlags(args: BenchArgs): ServiceCommandLine | undefined {
  const given = args.serviceCmd !== undefined || args.serviceUrl !== undefined;
  if (!given) {
    if (args.serviceReady !== undefined) throw new UsageError('--service-ready applies to --service-cmd: give the command and --service-url too');
    return undefined;
  }
  if (args.serviceCmd === undefined || args.serviceUrl === undefined) {
    throw new UsageError('--service-cmd and --service-url go together: e.g. --service-cmd node server.js --service-url http://127.0.0.1:{port}/');
  }
  return { command: args.serviceCmd.map(String), url: args.serviceUrl, ...(args.serviceReady === undefined ? {} : { ready: args.serviceReady }) };
}

async function listScenarios(): Promise<void> {
  for (const name of listShippedScenarios()) {
    const s = await loadScenario(name);
    console.log(`${name.padEnd(18)} ${s.variants.length} variants, ${roundsSettingText(s.rounds)} · ${s.description}`);
  }
  for (const name of listShippedMicroScenarios()) {
    const loaded = await loadAnyScenario(name);
    console.log(`${name.padEnd(18)} micro-benchmarks · ${loaded.scenario.description}`);
  }
}

/** --jaeger-query: an http(s) URL, and only with --otlp-endpoint (the embedded collector is not Jaeger). */
function parseJaegerQuery(raw: string, otlpEndpoint: string | undefined): string {
  if (!(parseHttpUrl(raw) instanceof URL)) {
    throw new UsageError(`--jaeger-query '${raw}' is not an http(s) URL with a host: use Jaeger's query address, e.g. http://127.0.0.1:16686`);
  }
  if (otlpEndpoint === undefined) {
    throw new UsageError('--jaeger-query needs --otlp-endpoint: spans must go to that Jaeger (e.g. --otlp-endpoint http://127.0.0.1:4317), not to the embedded collector');
  }
  return raw;
}

function runWithProgress(scenario: Scenario, options: RunOptions): Promise<RunDocument> {
  const progress = new ProgressPrinter();
  return runScenario(scenario, options, (event) => (event.type === 'jaeger-progress' ? console.error(event.message) : progress.onEvent(event)), version).finally(() =>
    progress.stop(),
  );
}

/** --check PATH: a folder is the base branch's checkout (the same-run check), a file a saved baseline. */
function gateReference(check: string, scenario: Scenario): GateReference {
  if (isDirectory(check)) return { kind: 'checkout', base: readBaseCheckout(check) };
  const baseline = readBaselineFile(check, scenario.name);
  // The traced variants: every untraced one (the run's, and other runtimes') is a baseline, not gated.
  checkBaselineCovers(baseline, check, scenario.variants.filter((v) => tracingConfigFromEnv(v.env).kind !== 'untraced').map((v) => v.name));
  return { kind: 'file', baseline };
}

export async function bench(args: BenchArgs): Promise<void> {
  if (args.list) return listScenarios();
  if (!args.scenario) throw new UsageError(`name a scenario with --scenario NAME (one of ${[...listShippedScenarios(), ...listShippedMicroScenarios()].sort().join(', ')}), or see --list`);
  const otlpEndpoint = args.otlpEndpoint === undefined ? undefined : parseOtlpEndpoint(args.otlpEndpoint, '--otlp-endpoint');
  const jaegerQuery = args.jaegerQuery === undefined ? undefined : parseJaegerQuery(args.jaegerQuery, otlpEndpoint);
  if (args.collectorPort !== undefined) checkPort(args.collectorPort, '--collector-port', ' (0 picks a free one)');
  if (!(args.flushTimeout > 0)) throw new UsageError(`--flush-timeout ${args.flushTimeout} must be a positive number of seconds`);
  const service = serviceFromFlags(args);
  const loaded = await loadAnyScenario(args.scenario, {
    durationSec: args.duration,
    warmupSec: args.warmup,
    warmupRequests: args.warmupRequests,
    connections: args.connections,
    trials: args.trials,
    precision: args.precision,
    maxTimeSec: args.maxTime,
    processes: args.processes,
    blocks: args.blocks,
    rate: args.rate,
    service,
    allowRemoteTarget: args.allowRemoteTarget,
    // A server of your own gets zero-code instrumentation unless you say it has its own.
    instrumentation: args.instrumentation ?? (service ? 'auto' : undefined),
  }, { runtime: args.runtime, sdk: args.sdk });
  if (loaded.kind === 'micro') {
    // --confirm defaults to false, so only true means it was given.
    const given = loadOnlyFlags.filter(([key]) => args[key] !== undefined && args[key] !== false).map(([, flag]) => flag);
    await micro(loaded.scenario, { out: args.out, pin: args.pin, loadOnlyFlags: given });
    return;
  }
  const scenario = loaded.scenario;
  if (args.runtime !== undefined || args.sdk !== undefined) {
    throw new UsageError("--runtime and --sdk apply to micro scenarios; a load scenario's variants name their own runtime and sdk (docs/runtimes.md)");
  }
  // Every input is checked before the load, so a mistake costs seconds, not minutes of load.
  const explainFrom = args.explain === undefined ? undefined : readExplainSource(args.explain);
  if (args.seed !== undefined && !(Number.isInteger(args.seed) && args.seed >= 0 && args.seed < 2 ** 32)) {
    throw new UsageError(`--seed ${args.seed} is not a seed: use a whole number from 0 to 4294967295, e.g. the one in an earlier run.json`);
  }
  if (args.plantSpanIterations !== undefined && !(Number.isInteger(args.plantSpanIterations) && args.plantSpanIterations >= 0)) {
    throw new UsageError(`--plant-span-iterations ${args.plantSpanIterations} must be a whole number of loop iterations, 0 or more (about 500 per µs here)`);
  }
  if (jaegerQuery && (!serviceCapabilities(scenario.service).ownSpanCounts || scenario.variants.some((v) => v.instrumentation === 'auto'))) {
    // The check looks up a sample of the trace ids the service's exporter reported, which only tracetax's own SDK setup keeps.
    throw new UsageError("--jaeger-query checks traces the built-in service exported with its own spans: it cannot with an external service or instrumentation 'auto'; leave it out");
  }
  const reference = args.check === undefined ? undefined : gateReference(args.check, scenario);
  const outDir = args.out ?? defaultRunDir(resultsDir, scenario.name);
  checkOutputDir(outDir);
  if (args.saveBaseline !== undefined) checkBaselineTarget(args.saveBaseline);
  if (jaegerQuery) await checkJaegerReachable(jaegerQuery).catch((error: Error) => Promise.reject(new UsageError(error.message)));

  const options: RunOptions = {
    otlpEndpoint,
    collectorPort: args.collectorPort,
    flushTimeoutSec: args.flushTimeout,
    pin: args.pin,
    plantedSpanIterations: args.plantSpanIterations,
    jaegerQuery,
    seed: args.seed,
    ...(reference?.kind === 'checkout' ? { base: reference.base } : {}),
  };
  let run = await runWithProgress(scenario, options);
  const verdict = reference && (await checkRun(run, scenario, reference, { confirm: args.confirm, rerun: (s) => runWithProgress(s, options) }));
  if (args.explain !== undefined) run = { ...run, explain: await explainLoadRun(run, explainFrom, { pin: args.pin }) };
  const files = writeRunFolder(outDir, { run, verdict });
  // The comparison table first; the verdict, when there is one, last, where a CI log ends.
  const [table, ...after] = terminalTexts({ run, verdict });
  console.log(table);
  console.log(`\nWrote ${path.relative(process.cwd(), files['report.md'])}, ${path.relative(process.cwd(), files['report.html'])} and ${path.relative(process.cwd(), files['run.json'])}`);
  if (args.saveBaseline) saveBaseline(run, args.saveBaseline);
  for (const text of after) console.log(`\n${text}`);
  if (verdict) process.exitCode = gateExitCode(verdict);
}
