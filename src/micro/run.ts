// A micro run: the tinybench suites, the collector's decode rate, the async resources per request, and
// the specification's benchmark in pinned child processes, gathered into one MicroDocument.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmbeddedCollector } from '../collector/index.ts';
import { describeMachine, pinHarnessAndService } from '../run/pinning.ts';
import { countAsyncResources, measureExportWindow } from './children.ts';
import { specAttributes } from './fixtures.ts';
import { meanSd, microSchemaVersion } from './result.ts';
import { measureCollectorDecode, runSuites } from './suites.ts';
import { runtimeLabel } from '../scenario/runtime.ts';
import { endGroup, environmentWithout, nextMessage, spawnTsChild } from '../sut/children.ts';
import { runtimeNode } from '../sut/runtimes.ts';
import { defaultSdkSet, sdkSetDirEnvKey, sdkSetTreeEnv } from '../sut/sdk-sets.ts';
import { loadedSdkLine } from '../tracing/sdk-trace.ts';
import type { ExportWindow, MicroDocument, MicroScenario, Pinning, SpecBenchmarkResult, SpecBenchmarkSettings } from '../model/index.ts';

export interface MicroRunOptions {
  /** Pin the exporting child to its own core (taskset), as the load runs pin the service. */
  readonly pin: boolean;
  readonly version: string;
  /** Requests to count async resources over; 0 leaves the count out. */
  readonly asyncCountRequests?: number;
  /** Set in the process micro-child.ts runs: the run happens here, on this runtime, whatever the scenario's. */
  readonly inChild?: boolean;
}

/** One line of progress, for stderr. */
export type MicroProgress = (line: string) => void;

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const microChild = fileURLToPath(new URL('./micro-child.ts', import.meta.url));
const reportedPackages = [
  '@opentelemetry/api',
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/sdk-trace',
  '@opentelemetry/core',
  '@opentelemetry/context-async-hooks',
  '@opentelemetry/exporter-trace-otlp-grpc',
  '@opentelemetry/otlp-transformer',
  '@grpc/grpc-js',
  'tinybench',
];

/** The versions the benchmarks load: from the SDK set's folder where the run is on one, else tracetax's own. */
function packageVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  const setDir = process.env[sdkSetDirEnvKey];
  for (const name of reportedPackages) {
    const fromSet = setDir ? path.join(setDir, 'node_modules', name, 'package.json') : null;
    try {
      out[name] = (JSON.parse(readFileSync(fromSet && existsSync(fromSet) ? fromSet : path.join(projectRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      out[name] = 'not found';
    }
  }
  return out;
}

export const defaultAsyncCountRequests = 400;

export async function runMicro(scenario: MicroScenario, options: MicroRunOptions, progress: MicroProgress = () => {}): Promise<MicroDocument> {
  const elsewhere = scenario.runtime.runtime !== undefined || scenario.runtime.nodeFlags.length > 0 || scenario.sdk !== defaultSdkSet;
  if (elsewhere && !options.inChild) return runMicroElsewhere(scenario, options, progress);
  const startedAt = new Date();
  const pinning: Pinning = options.pin ? pinHarnessAndService() : { pinned: false, reason: 'disabled with --no-pin' };
  const specSec = scenario.spec ? specSeconds(scenario.spec) : 0;
  progress(`micro: tinybench suites (${scenario.taskTimeMs} ms per task), collector decode, async resources${scenario.spec ? `, then the specification benchmark (about ${Math.round(specSec)} s)` : ''}`);

  const results = await runSuites({
    timeMs: scenario.taskTimeMs,
    warmupMs: scenario.taskWarmupMs,
    onTask: (i, n, name) => progress(`[${i}/${n}] ${name}`),
  });
  progress('collector: decode rate of 512-span batches');
  const collectorDecode = await measureCollectorDecode(Math.max(scenario.taskTimeMs, 200), scenario.taskWarmupMs);
  const requests = options.asyncCountRequests ?? defaultAsyncCountRequests;
  let asyncResources = null;
  if (requests > 0) {
    progress(`async resources per request of the service, over ${requests} requests`);
    asyncResources = await countAsyncResources(requests);
  }
  const spec = scenario.spec ? await runSpecBenchmark(scenario.spec, pinning.pinned ? pinning.serviceCpus : undefined, progress) : null;

  const finishedAt = new Date();
  return {
    schemaVersion: microSchemaVersion,
    kind: 'micro',
    tool: { name: 'tracetax', version: options.version },
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    scenario: { name: scenario.name, description: scenario.description, source: scenario.source, taskTimeMs: scenario.taskTimeMs, taskWarmupMs: scenario.taskWarmupMs },
    environment: { ...describeMachine(pinning), packages: packageVersions(), runtime: scenario.runtime, sdk: scenario.sdk, sdkLine: loadedSdkLine },
    results,
    collectorDecode,
    asyncResources,
    spec,
    wallSec: (finishedAt.getTime() - startedAt.getTime()) / 1000,
  };
}

/** The whole micro run in a process of the scenario's runtime and SDK set (micro-child.ts); its document back. */
function runMicroElsewhere(scenario: MicroScenario, options: MicroRunOptions, progress: MicroProgress): Promise<MicroDocument> {
  const child = spawnTsChild(microChild, [JSON.stringify({ scenario, options })], {
    ...(scenario.runtime.runtime ? { node: runtimeNode(scenario.runtime.runtime) } : {}),
    nodeFlags: scenario.runtime.nodeFlags,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...environmentWithout(['OTEL_', 'TRACETAX_']), ...sdkSetTreeEnv(scenario.sdk, process.env.NODE_OPTIONS) },
    // Its own children (the exporting process, the counter) end with it, also when it is killed.
    ownGroup: true,
  });
  child.on('message', (message: { type: string; line?: string }) => {
    if (message.type === 'progress' && message.line) progress(message.line);
  });
  const where = `${runtimeLabel(scenario.runtime) || "tracetax's own Node.js"}, ${scenario.sdk}`;
  const finished = nextMessage<MicroDocument>(child, {
    // Bounded like everything else: the suites, the spec benchmark and their children, with room to spare.
    timeoutMs: 60 * 60 * 1000,
    pick: (message) => ((message as { type: string }).type === 'done' ? (message as { doc: MicroDocument }).doc : undefined),
    onExit: (code, signal) => new Error(`the micro run on ${where} ended (${signal ?? `code ${code}`}) before it finished`),
    onTimeout: () => new Error(`the micro run on ${where} did not finish within an hour`),
  });
  return finished.finally(() => endGroup(child));
}

/** Planned seconds of the specification benchmark, process start-up not counted. */
function specSeconds(s: SpecBenchmarkSettings): number {
  return s.warmupSec + s.maxRateSec + 2 * s.repeats * (s.warmupSec + s.fixedRateSec);
}

async function runSpecBenchmark(settings: SpecBenchmarkSettings, cpus: string | undefined, progress: MicroProgress): Promise<SpecBenchmarkResult> {
  const collector = await EmbeddedCollector.start();
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  try {
    progress(`spec: highest span rate through BatchSpanProcessor + OTLP/gRPC, ${settings.maxRateSec} s after ${settings.warmupSec} s${cpus ? `, pinned to CPU ${cpus}` : ''}`);
    const max = await measureExportWindow(
      collector,
      { shape: 'spec', processor: 'batch', ratePerSec: null, warmupMs: settings.warmupSec * 1000, windowMs: settings.maxRateSec * 1000 },
      cpus,
    );
    const maxRate = { ...max, spansPerSec: max.exported / max.seconds };
    progress(`spec: ${fmt(maxRate.spansPerSec)} spans/s at ${max.cpuPercent.toFixed(0)}% CPU`);
    const windows: Record<'simple' | 'batch', ExportWindow[]> = { simple: [], batch: [] };
    for (let r = 1; r <= settings.repeats; r++) {
      for (const processor of ['simple', 'batch'] as const) {
        progress(`spec: ${fmt(settings.fixedRatePerSec)} spans/s with the ${processor} processor, run ${r}/${settings.repeats}, ${settings.fixedRateSec} s`);
        const w = await measureExportWindow(
          collector,
          { shape: 'spec', processor, ratePerSec: settings.fixedRatePerSec, warmupMs: settings.warmupSec * 1000, windowMs: settings.fixedRateSec * 1000 },
          cpus,
        );
        windows[processor].push(w);
        progress(`spec: ${processor}: ${w.cpuPercent.toFixed(1)}% CPU, ${fmt(w.created / w.seconds)} spans/s created, ${fmt(w.exportFailed)} failed exports`);
      }
    }
    const summary = (list: ExportWindow[]) => ({
      cpuPercent: meanSd(list.map((w) => w.cpuPercent)),
      achievedPerSec: meanSd(list.map((w) => w.created / w.seconds)),
      exportFailed: list.reduce((a, w) => a + w.exportFailed, 0),
      windows: list,
    });
    return {
      attributes: `${Object.keys(specAttributes).length} attributes, 20-character keys and values`,
      pinnedTo: cpus ?? null,
      maxRate,
      fixedRate: {
        targetPerSec: settings.fixedRatePerSec,
        seconds: settings.fixedRateSec,
        repeats: settings.repeats,
        simple: summary(windows.simple),
        batch: summary(windows.batch),
      },
    };
  } finally {
    await collector.stop();
  }
}
