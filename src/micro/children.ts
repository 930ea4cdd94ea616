// The parent's side of the micro run's child processes: the exporting process of the specification's
// benchmark (optionally pinned with taskset) and the async-resource counter. Every child is tracked so
// an interrupted run ends it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import type { EmbeddedCollector } from '../collector/index.ts';
import type { ExportChildConfig, ExportChildReport } from './export-child.ts';
import type { AsyncResourceCount, ExportWindow } from './result.ts';

const tsxLoader = import.meta.resolve('tsx');
const exportChild = fileURLToPath(new URL('./export-child.ts', import.meta.url));
const asyncCountChild = fileURLToPath(new URL('./async-count-child.ts', import.meta.url));

const liveChildren = new Set<ChildProcess>();

/** Ends every child this module started. Synchronous, for an 'exit' handler. */
export function killMicroChildren(): void {
  for (const child of liveChildren) child.kill('SIGKILL');
  liveChildren.clear();
}

/** Environment without OTEL_* variables, so the user's shell cannot change the benchmark's SDK settings. */
function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')));
}

function start(file: string, args: readonly string[], cpus?: string): ChildProcess {
  const nodeArgs = ['--import', tsxLoader, file, ...args];
  const [command, argv] = cpus ? ['taskset', ['-c', cpus, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const child = spawn(command, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: childEnv() });
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  return child;
}

/** The child's next IPC message, or an error if it exits first or takes longer than `timeoutMs`. */
function nextMessage<T>(child: ChildProcess, what: string, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${what}: no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    const onMessage = (message: T) => done(undefined, message);
    const onExit = (code: number | null) => done(new Error(`${what}: the child process exited with ${code} before answering`));
    function done(error?: Error, message?: T) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message as T);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exit = once(child, 'exit');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exit;
  clearTimeout(timer);
}

/** One exporting process: its measured window, with what the collector received from it. */
export async function measureExportWindow(
  collector: EmbeddedCollector,
  config: Omit<ExportChildConfig, 'endpoint'>,
  cpus?: string,
): Promise<ExportWindow> {
  collector.reset();
  const child = start(exportChild, [JSON.stringify({ ...config, endpoint: collector.endpoint } satisfies ExportChildConfig)], cpus);
  try {
    const report = await nextMessage<ExportChildReport>(child, 'the exporting process', config.warmupMs + config.windowMs + 60_000);
    await ended(child);
    const seconds = report.wallMs / 1000;
    const collected = collector.snapshot();
    return {
      processor: config.processor,
      targetPerSec: config.ratePerSec,
      seconds,
      created: report.created,
      exported: report.exported,
      exportFailed: report.exportFailed,
      received: collected.spans,
      cpuPercent: (report.cpuUs / 1000 / report.wallMs) * 100,
      cpuUsPerSpan: report.created > 0 ? report.cpuUs / report.created : Number.NaN,
      exportLagMs: collected.exportLagMs,
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

function get(agent: http.Agent, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`GET ${url} answered ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

/** Async resources (async_hooks init events) per request of the untraced service, over `requests` requests after a warm-up. */
export async function countAsyncResources(requests: number, warmup = 50): Promise<AsyncResourceCount> {
  const child = start(asyncCountChild, []);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const { url } = await nextMessage<{ url: string }>(child, 'the async-resource counter', 30_000);
    for (let i = 0; i < warmup; i++) await get(agent, url);
    const started = nextMessage<string>(child, 'the async-resource counter', 10_000);
    child.send('start');
    await started;
    for (let i = 0; i < requests; i++) await get(agent, url);
    const counted = nextMessage<Record<string, number>>(child, 'the async-resource counter', 10_000);
    child.send('stop');
    const byType = await counted;
    child.send('exit');
    await ended(child);
    const total = Object.values(byType).reduce((a, b) => a + b, 0);
    const perType = Object.fromEntries(Object.entries(byType).sort((a, b) => b[1] - a[1]).map(([type, n]) => [type, n / requests]));
    return { requests, perRequest: total / requests, byType: perType };
  } finally {
    agent.destroy();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
