// The parent's side of the micro run's child processes: the exporting process of the specification's
// benchmark (optionally pinned with taskset) and the async-resource counter, started through
// src/sut/children.ts, so an interrupted run ends them.
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import type { EmbeddedCollector } from '../collector/index.ts';
import { ended, environmentWithout, isRunning, nextMessage, spawnTsChild } from '../sut/children.ts';
import type { ExportChildConfig, ExportChildReport } from './export-child.ts';
import type { AsyncResourceCount, ExportWindow } from '../model/index.ts';
const exportChild = fileURLToPath(new URL('./export-child.ts', import.meta.url));
const asyncCountChild = fileURLToPath(new URL('./async-count-child.ts', import.meta.url));

/** OTEL_* variables are left out, so the user's shell cannot change the benchmark's SDK settings. */
function start(file: string, args: readonly string[], cpus?: string): ChildProcess {
  return spawnTsChild(file, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: environmentWithout(['OTEL_']), cpus });
}

/** The child's next IPC message, or an error if it exits first or takes longer than `timeoutMs`. */
function answer<T>(child: ChildProcess, what: string, timeoutMs: number): Promise<T> {
  return nextMessage(child, {
    timeoutMs,
    pick: (message) => message as T,
    onExit: (code) => new Error(`${what}: the child process exited with ${code} before answering`),
    onTimeout: () => new Error(`${what}: no answer within ${timeoutMs / 1000} s`),
  });
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
    const report = await answer<ExportChildReport>(child, 'the exporting process', config.warmupMs + config.windowMs + 60_000);
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
    if (isRunning(child)) child.kill('SIGKILL');
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
    const { url } = await answer<{ url: string }>(child, 'the async-resource counter', 30_000);
    for (let i = 0; i < warmup; i++) await get(agent, url);
    const started = answer<string>(child, 'the async-resource counter', 10_000);
    child.send('start');
    await started;
    for (let i = 0; i < requests; i++) await get(agent, url);
    const counted = answer<Record<string, number>>(child, 'the async-resource counter', 10_000);
    child.send('stop');
    const byType = await counted;
    child.send('exit');
    await ended(child);
    const total = Object.values(byType).reduce((a, b) => a + b, 0);
    const perType = Object.fromEntries(Object.entries(byType).sort((a, b) => b[1] - a[1]).map(([type, n]) => [type, n / requests]));
    return { requests, perRequest: total / requests, byType: perType };
  } finally {
    agent.destroy();
    if (isRunning(child)) child.kill('SIGKILL');
  }
}
