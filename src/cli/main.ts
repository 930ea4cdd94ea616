// The command line: the only place that reads argv, and (with the service's entry point) the only
// place that exits the process. Bad input ends with one line on stderr and exit code 2.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { PortInUseError } from '../collector/index.ts';
import { LoadTargetError } from '../load/target.ts';
import { checkBaselineTarget, checkOutputDir, defaultRunDir, OutputDirError, writeFileAtomic, writeRunFolder } from '../report/write.ts';
import { terminalReport } from '../report/terminal.ts';
import { BaselineFileError, checkBaselineCovers, readBaselineFile } from '../compare/baseline-file.ts';
import { baselineFromRun, checkAgainstBaseline, confirmVerdict, gateSamples } from '../compare/gate.ts';
import { terminalVerdict } from '../report/verdict.ts';
import { defaultFlushTimeoutSec, defaultServiceName, runScenario, type RunDocument, type RunEvent, type RunOptions } from '../run/run.ts';
import type { Scenario } from '../scenario/types.ts';
import { listShippedMicroScenarios, listShippedScenarios, loadAnyScenario, loadScenario } from '../scenario/load.ts';
import { explainLoadRun, readExplainSource, runMicroCommand } from '../micro/command.ts';
import { killMicroChildren } from '../micro/children.ts';
import { ExplainInputError } from '../micro/explain.ts';
import { MicroResultsError } from '../micro/write.ts';
import type { MicroScenario } from '../scenario/types.ts';
import { ScenarioError } from '../scenario/validate.ts';
import { killAllServices, spawnService } from '../service/process.ts';
import { resolveShape } from '../service/shape.ts';
import { calibrateIterationsPerUs } from '../service/work.ts';
import { describeTracing } from '../tracing/config.ts';
import { parseOtlpEndpoint, pickTracingEnv, TracingConfigError, tracingConfigFromEnv } from '../tracing/env.ts';
import { ProgressPrinter } from './progress.ts';
import { checkJaegerReachable } from '../jaeger/verify.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const version = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
const resultsDir = path.join(projectRoot, 'results');

class UsageError extends Error {}
const badInput = [UsageError, ScenarioError, TracingConfigError, PortInUseError, LoadTargetError, OutputDirError, BaselineFileError, MicroResultsError, ExplainInputError];

function fail(message: string, code = 2): never {
  console.error(`tracetax: ${message.split('\n')[0]}`);
  process.exit(code);
}

// Every child ends with the run, however the run ends.
process.on('exit', killAllServices);
process.on('exit', killMicroChildren);
process.on('SIGINT', () => {
  killAllServices();
  fail('interrupted: no results were written', 130);
});
process.on('SIGTERM', () => {
  killAllServices();
  fail('terminated: no results were written', 143);
});

interface BenchArgs {
  saveBaseline?: string;
  check?: string;
  confirm: boolean;
  plantSpanWorkUs?: number;
  scenario?: string;
  list?: boolean;
  duration?: number;
  warmup?: number;
  connections?: number;
  trials?: number;
  rate?: string;
  otlpEndpoint?: string;
  jaegerQuery?: string;
  /** --explain: '' to run the micro scenario after the load run, or a micro results folder to read. */
  explain?: string;
  collectorPort?: number;
  flushTimeout: number;
  out?: string;
  pin: boolean;
}

async function listScenarios(): Promise<void> {
  for (const name of listShippedScenarios()) {
    const s = await loadScenario(name);
    console.log(`${name.padEnd(18)} ${s.variants.length} variants × ${s.trials} trials · ${s.description}`);
  }
  for (const name of listShippedMicroScenarios()) {
    const loaded = await loadAnyScenario(name);
    console.log(`${name.padEnd(18)} micro-benchmarks · ${loaded.scenario.description}`);
  }
}

async function bench(args: BenchArgs): Promise<void> {
  if (args.list) return listScenarios();
  if (!args.scenario) throw new UsageError(`name a scenario with --scenario NAME (one of ${[...listShippedScenarios(), ...listShippedMicroScenarios()].sort().join(', ')}), or see --list`);
  const otlpEndpoint = args.otlpEndpoint === undefined ? undefined : parseOtlpEndpoint(args.otlpEndpoint, '--otlp-endpoint');
  const jaegerQuery = args.jaegerQuery === undefined ? undefined : parseJaegerQuery(args.jaegerQuery, otlpEndpoint);
  if (args.collectorPort !== undefined && !(Number.isInteger(args.collectorPort) && args.collectorPort >= 0 && args.collectorPort < 65536)) {
    throw new UsageError(`--collector-port ${args.collectorPort} is not a port: use 0 to 65535 (0 picks a free one)`);
  }
  if (!(args.flushTimeout > 0)) throw new UsageError(`--flush-timeout ${args.flushTimeout} must be a positive number of seconds`);
  const loaded = await loadAnyScenario(args.scenario, {
    durationSec: args.duration,
    warmupSec: args.warmup,
    connections: args.connections,
    trials: args.trials,
    rate: args.rate,
  });
  if (loaded.kind === 'micro') return micro(args, loaded.scenario);
  const scenario = loaded.scenario;
  const explainFrom = args.explain === undefined ? undefined : readExplainSource(args.explain);
  if (args.plantSpanWorkUs !== undefined && !(args.plantSpanWorkUs >= 0)) {
    throw new UsageError(`--plant-span-work-us ${args.plantSpanWorkUs} must be a non-negative number of microseconds`);
  }
  const baseline = args.check === undefined ? undefined : readBaselineFile(args.check, scenario.name);
  if (baseline) checkBaselineCovers(baseline, args.check!, scenario.variants.slice(1).map((v) => v.name));
  const outDir = args.out ?? defaultRunDir(resultsDir, scenario.name);
  checkOutputDir(outDir);
  if (args.saveBaseline !== undefined) checkBaselineTarget(args.saveBaseline);

  const options: RunOptions = {
    otlpEndpoint,
    collectorPort: args.collectorPort,
    flushTimeoutSec: args.flushTimeout,
    pin: args.pin,
    plantedSpanWorkUs: args.plantSpanWorkUs,
    jaegerQuery,
  };
  if (jaegerQuery) await checkJaegerReachable(jaegerQuery).catch((error: Error) => Promise.reject(new UsageError(error.message)));
  const run = await runWithProgress(scenario, options);
  let verdict = baseline && checkAgainstBaseline(gateSamples(run), baseline, scenario.gate.thresholds, scenario.gate.alpha);
  if (baseline && verdict && !verdict.passed && args.confirm) {
    const failing = new Set(verdict.failures.map((r) => r.variant));
    console.error(`confirming: rerunning ${[...failing].join(', ')} against ${run.baseline}`);
    const rerun = await runWithProgress({ ...scenario, variants: scenario.variants.filter((v, i) => i === 0 || failing.has(v.name)) }, options);
    verdict = confirmVerdict(verdict, checkAgainstBaseline(gateSamples(rerun), baseline, scenario.gate.thresholds, scenario.gate.alpha));
  }
  const explained = args.explain === undefined ? run : { ...run, explain: await explainLoadRun(run, explainFrom, { pin: args.pin, version }) };
  const files = writeRunFolder(outDir, explained, verdict);
  console.log(terminalReport(explained));
  console.log(`\nWrote ${path.relative(process.cwd(), files.reportMd)} and ${path.relative(process.cwd(), files.runJson)}`);
  if (args.saveBaseline) {
    writeFileAtomic(args.saveBaseline, `${JSON.stringify(baselineFromRun(run), null, 2)}\n`);
    console.log(`Saved the baseline to ${args.saveBaseline}`);
  }
  if (verdict) {
    console.log(`\n${terminalVerdict(verdict)}`);
    if (!verdict.passed) process.exitCode = 1;
  }
}

/** Flags that only mean something for a load run, rejected with a micro scenario rather than ignored. */
const loadOnlyFlags: [keyof BenchArgs, string][] = [
  ['duration', '--duration'], ['warmup', '--warmup'], ['connections', '--connections'], ['trials', '--trials'], ['rate', '--rate'],
  ['otlpEndpoint', '--otlp-endpoint'], ['jaegerQuery', '--jaeger-query'], ['collectorPort', '--collector-port'], ['saveBaseline', '--save-baseline'],
  ['check', '--check'], ['plantSpanWorkUs', '--plant-span-work-us'], ['explain', '--explain'], ['confirm', '--confirm'],
];

async function micro(args: BenchArgs, scenario: MicroScenario): Promise<void> {
  // --confirm defaults to false, so only true means it was given.
  const given = loadOnlyFlags.filter(([key]) => args[key] !== undefined && args[key] !== false).map(([, flag]) => flag);
  if (given.length > 0) throw new UsageError(`${given.join(', ')} apply to load scenarios, not to the micro-benchmarks of '${scenario.name}': leave them out`);
  const outDir = args.out ?? defaultRunDir(resultsDir, scenario.name);
  checkOutputDir(outDir);
  await runMicroCommand(scenario, outDir, { pin: args.pin, version });
}

async function runWithProgress(scenario: Scenario, options: RunOptions): Promise<RunDocument> {
  const progress = new ProgressPrinter();
  const onEvent = (event: RunEvent) => (event.type === 'jaeger-progress' ? console.error(event.message) : progress.onEvent(event));
  return runScenario(scenario, options, onEvent, version).finally(() => progress.stop());
}

/** --jaeger-query: an http(s) URL, and only with --otlp-endpoint (the embedded collector is not Jaeger). */
function parseJaegerQuery(raw: string, otlpEndpoint: string | undefined): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {}
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new UsageError(`--jaeger-query '${raw}' is not an http(s) URL with a host: use Jaeger's query address, e.g. http://127.0.0.1:16686`);
  }
  if (otlpEndpoint === undefined) {
    throw new UsageError('--jaeger-query needs --otlp-endpoint: spans must go to that Jaeger (e.g. --otlp-endpoint http://127.0.0.1:4317), not to the embedded collector');
  }
  return raw;
}

interface ServeArgs {
  variant?: string;
  scenario?: string;
  port: number;
  host: string;
  otlpEndpoint?: string;
}

/** The variant's settings: from the named scenario, or the first shipped scenario that has it. */
async function findVariant(name: string, scenarioName?: string) {
  const candidates = scenarioName ? [scenarioName] : listShippedScenarios();
  const known = new Set<string>();
  for (const candidate of candidates) {
    const scenario = await loadScenario(candidate);
    const variant = scenario.variants.find((v) => v.name === name);
    if (variant) return { variant, scenario };
    scenario.variants.forEach((v) => known.add(v.name));
  }
  throw new UsageError(`unknown variant '${name}': use one of ${[...known].map((n) => `'${n}'`).join(', ')}`);
}

async function serve(args: ServeArgs): Promise<void> {
  if (!(Number.isInteger(args.port) && args.port >= 0 && args.port < 65536)) throw new UsageError(`--port ${args.port} is not a port: use 0 to 65535`);
  const found = args.variant ? await findVariant(args.variant, args.scenario) : undefined;
  // The user's own OTEL_* settings win over the variant's, as they would on a real service.
  const env: Record<string, string> = { ...found?.variant.env, ...(pickTracingEnv(process.env) as Record<string, string>) };
  if (args.otlpEndpoint !== undefined) env.OTEL_EXPORTER_OTLP_ENDPOINT = parseOtlpEndpoint(args.otlpEndpoint, '--otlp-endpoint');
  const config = tracingConfigFromEnv(env);
  console.error(`tracetax serve: ${found ? `variant '${found.variant.name}'` : 'OTEL_* settings from the environment'}: ${describeTracing(config)}`);
  const child = spawnService({
    mode: 'interactive',
    tracingEnv: env,
    settings: {
      shape: found?.scenario.shape ?? resolveShape(undefined),
      iterationsPerUs: calibrateIterationsPerUs(),
      host: args.host,
      port: args.port,
      serviceName: defaultServiceName,
    },
  });
  // The terminal's Ctrl-C reaches the whole process group; a signal sent to us alone is passed on.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => child.kill('SIGINT'));
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  const code = await new Promise<number>((resolve) => child.once('exit', (c, signal) => resolve(c ?? (signal ? 130 : 1))));
  process.exitCode = code;
}

async function main(): Promise<void> {
  await yargs(hideBin(process.argv))
    .scriptName('npm run bench --')
    .usage(
      '$0 --scenario NAME [options]\n\nDrives the instrumented service under load once per tracing variant and reports what each costs against an untraced baseline.\nExit codes: 0 done (or check passed), 1 regression found by --check, 2 bad input, 3 the run itself failed.',
    )
    .command(
      '$0',
      'run a scenario and write results/<time>-<scenario>/{run.json,report.md}',
      (y) =>
        y
          .option('scenario', { alias: 's', type: 'string', describe: 'a shipped scenario name or a path to your own scenario file' })
          .option('list', { type: 'boolean', describe: 'list the shipped scenarios' })
          .option('duration', { type: 'number', describe: 'measured seconds per trial (overrides the scenario)' })
          .option('warmup', { type: 'number', describe: 'uncounted warm-up seconds per trial (overrides the scenario)' })
          .option('connections', { type: 'number', describe: 'concurrent connections (closed loop) or most requests in flight (open loop)' })
          .option('rate', { type: 'string', describe: "open-loop load at a fixed rate: requests/s, or a share of the untraced saturation such as '50%'" })
          .option('trials', { type: 'number', describe: 'trials per variant, interleaved across variants' })
          .option('otlp-endpoint', { type: 'string', describe: 'export to this OTLP/gRPC endpoint (e.g. Jaeger at http://localhost:4317) instead of the embedded collector' })
          .option('jaeger-query', { type: 'string', describe: "with --otlp-endpoint to a Jaeger: its query API (e.g. http://127.0.0.1:16686), asked after the run which exported traces arrived" })
          .option('collector-port', { type: 'number', describe: 'port of the embedded collector (default: a free one)' })
          .option('flush-timeout', { type: 'number', default: defaultFlushTimeoutSec, describe: 'seconds the SDK may take to flush at the end of a trial' })
          .option('out', { type: 'string', describe: 'results folder (default results/<time>-<scenario>)' })
          .option('pin', { type: 'boolean', default: true, describe: 'pin the service and the load generator to different cores (taskset); --no-pin to turn off' })
          .option('save-baseline', { type: 'string', describe: 'after the run, save its overheads to FILE for later --check' })
          .option('check', { type: 'string', describe: 'compare the run with a saved baseline FILE: exit 1 on a significant regression beyond its threshold' })
          .option('confirm', { type: 'boolean', default: false, describe: 'with --check: rerun failing variants and fail only if they fail again' })
          .option('explain', { type: 'string', describe: 'after a load run, predict each variant\'s tracing CPU per request from micro-benchmarks and compare: alone, runs the micro scenario; with a micro results folder, reads it' })
          .option('plant-span-work-us', { type: 'number', describe: 'planted regression for testing the gate: CPU µs burnt per ended span in every traced variant' }),
      (argv) => bench(argv as unknown as BenchArgs),
    )
    .command(
      'serve',
      'run the instrumented service alone, print its URL, stop on Ctrl-C',
      (y) =>
        y
          .option('variant', { type: 'string', describe: "a variant name from a shipped scenario (e.g. untraced, always_on); default: OTEL_* from the environment" })
          .option('scenario', { type: 'string', describe: 'the scenario to take the variant and service shape from' })
          .option('port', { type: 'number', default: 8080, describe: 'frontend port' })
          .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to bind' })
          .option('otlp-endpoint', { type: 'string', describe: 'OTLP/gRPC endpoint to export to (default http://localhost:4317)' }),
      (argv) => serve(argv as unknown as ServeArgs),
    )
    .strict()
    .parserConfiguration({ 'duplicate-arguments-array': false })
    .version(version)
    .help()
    .fail((message, error) => {
      if (error) throw error;
      fail(`${message}: see --help`);
    })
    .parseAsync();
}

main().catch((error: Error) => {
  if (badInput.some((kind) => error instanceof kind)) fail(error.message, 2);
  console.error(error);
  fail(`the run failed: ${error.message}`, 3);
});
