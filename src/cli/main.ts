// The command line: the only place that reads argv, and (with the service's entry point) the only
// place that exits the process. Bad input (any InputError) ends with one line on stderr and exit code 2.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../common/input.ts';
import { defaultFlushTimeoutSec } from '../run/run.ts';
import { killAllChildren } from '../sut/children.ts';
import { bench, type BenchArgs } from './commands/bench.ts';
import { report, type ReportArgs } from './commands/report.ts';
import { serve, type ServeArgs } from './commands/serve.ts';
import { version } from './common.ts';

function fail(message: string, code = 2): never {
  console.error(`tracetax: ${message.split('\n')[0]}`);
  process.exit(code);
}

// Every child ends with the run, however the run ends.
process.on('exit', killAllChildren);
process.on('SIGINT', () => {
  killAllChildren();
  fail('interrupted: no results were written', 130);
});
process.on('SIGTERM', () => {
  killAllChildren();
  fail('terminated: no results were written', 143);
});

async function main(): Promise<void> {
  await yargs(hideBin(process.argv))
    .scriptName('npm run bench --')
    .usage(
      '$0 --scenario NAME [options]\n\nDrives the instrumented service under load once per tracing variant and reports what each costs against an untraced baseline.\nExit codes: 0 done (or check passed), 1 regression found by --check, 2 bad input, 3 the run itself failed.',
    )
    .command(
      '$0',
      'run a scenario and write results/<time>-<scenario>/{run.json,report.md,report.html}',
      (y) =>
        y
          .option('scenario', { alias: 's', type: 'string', describe: 'a shipped scenario name or a path to your own scenario file' })
          .option('list', { type: 'boolean', describe: 'list the shipped scenarios' })
          .option('duration', { type: 'number', describe: 'measured seconds per trial, or per slice in the pool (overrides the scenario)' })
          .option('warmup', { type: 'number', describe: 'uncounted warm-up seconds per process (overrides the scenario)' })
          .option('warmup-requests', { type: 'number', describe: 'warm each process until it has answered this many requests instead (overrides the scenario)' })
          .option('connections', { type: 'number', describe: 'concurrent connections (closed loop) or most requests in flight (open loop)' })
          .option('rate', { type: 'string', describe: "open-loop load at a fixed rate: requests/s, or a share of the untraced saturation such as '50%'" })
          .option('trials', { type: 'number', describe: 'a fixed number of rounds (one trial of every variant each), instead of rounds until precise' })
          .option('precision', { type: 'number', describe: 'rounds until every Δ CPU/request has a 95% half-width of at most this many percentage points (default 2)' })
          .option('max-time', { type: 'number', describe: 'time budget in seconds for the rounds until precise (default: the scenario\'s, 300)' })
          .option('processes', { type: 'string', describe: 'pool: warm processes, one slice at a time (default); pairs: warm processes, each slice beside the baseline\'s; fresh: a new process per trial' })
          .option('blocks', { type: 'number', describe: 'blocks of fresh processes (pool, pairs): a fixed number of rounds is split over them; with rounds until precise, the fewest before precise (default 3)' })
          .option('otlp-endpoint', { type: 'string', describe: 'export to this OTLP/gRPC endpoint (e.g. Jaeger at http://localhost:4317) instead of the embedded collector' })
          .option('jaeger-query', { type: 'string', describe: "with --otlp-endpoint to a Jaeger: its query API (e.g. http://127.0.0.1:16686), asked after the run which exported traces arrived" })
          .option('collector-port', { type: 'number', describe: 'port of the embedded collector (default: a free one)' })
          .option('flush-timeout', { type: 'number', default: defaultFlushTimeoutSec, describe: 'seconds the SDK may take to flush at the end of a trial' })
          .option('out', { type: 'string', describe: 'results folder (default results/<time>-<scenario>)' })
          .option('pin', { type: 'boolean', default: true, describe: 'pin the service and the load generator to different cores (taskset); --no-pin to turn off' })
          .option('save-baseline', { type: 'string', describe: 'after the run, save its overheads to FILE for later --check' })
          .option('check', { type: 'string', describe: 'compare with the base branch: a checkout FOLDER of it runs beside this tree in the same rounds, or a baseline FILE saved with --save-baseline; exit 1 on a significant regression reaching its threshold' })
          .option('confirm', { type: 'boolean', default: false, describe: 'with --check: rerun failing variants and fail only if they fail again' })
          .option('explain', { type: 'string', describe: 'after a load run, predict each variant\'s tracing CPU per request from micro-benchmarks and compare: alone, runs the micro scenario; with a micro results folder, reads it' })
          .option('seed', { type: 'number', describe: "seed of the variants' shuffled order in each round (default: a fresh one, recorded in run.json)" })
          .option('service-cmd', { type: 'string', array: true, describe: "measure your own service: its program and arguments (e.g. --service-cmd node server.js; an argument starting with - needs a scenario file); the scenario's variants run against it" })
          .option('service-url', { type: 'string', describe: 'with --service-cmd: where the load goes, e.g. http://127.0.0.1:{port}/ ({port}: a free port per process, also in $PORT)' })
          .option('service-ready', { type: 'string', describe: "with --service-cmd: ready when this path answers 2xx ('/health') or a stdout line holds this text (default: the url answers 2xx)" })
          .option('instrumentation', { type: 'string', describe: "every traced variant's instrumentation: auto (zero-code, the register hook of auto-instrumentations-node; the default with --service-cmd) or service (the service's own spans)" })
          .option('runtime', { type: 'string', describe: 'micro scenarios: run the benchmarks on this pinned Node.js (node20, node22, node24; npm run runtimes -- --install)' })
          .option('sdk', { type: 'string', describe: "micro scenarios: run the benchmarks with this OpenTelemetry JS set (otel-0.223, otel-latest)" })
          .option('allow-remote-target', { type: 'boolean', default: false, describe: "let --service-url or a scenario's service url point off this machine (load goes only to loopback otherwise)" })
          .option('plant-span-iterations', { type: 'number', describe: "planted regression for testing the gate: a fixed count of loop iterations burnt per ended span in every traced variant of this tree (a base checkout's run as they are)" }),
      (argv) => bench(argv as unknown as BenchArgs),
    )
    .command(
      'report <dir>',
      'render report.md and report.html again from a run folder\'s run.json (or a micro run\'s micro.json)',
      (y) => y.positional('dir', { type: 'string', demandOption: true, describe: 'the run folder, e.g. results/<time>-<scenario>' }),
      (argv) => report(argv as unknown as ReportArgs),
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
  if (error instanceof InputError) fail(error.message, 2);
  console.error(error);
  fail(`the run failed: ${error.message}`, 3);
});
