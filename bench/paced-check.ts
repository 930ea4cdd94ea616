// An instrument independent of tracetax's load drivers and CPU accounting, for the low-traffic figures:
// each variant's built-in service is started as `tracetax serve` starts it (its own main.ts, a fresh
// process per window, pinned like the harness pins it; started directly so that --node-args reach it
// alone), a plain paced client sends requests on ONE keep-alive connection at a fixed rate, and
// the CPU of the service process is read from /proc (utime + stime, all its threads) over the window after
// a warm-up. Spans go to an embedded collector in this process, so every variant exports as in a run.
//   npx tsx bench/paced-check.ts [--scenario low-traffic] [--variants a,b,...] [--rate 100] [--warmup 5] [--window 10] [--rounds 2]
//                                [--node-args="--cpu-prof --cpu-prof-dir=DIR"]   (or --jitless, ...: Node.js flags for the service only)
//                                [--burst S]   (S seconds as fast as 8 connections go before the paced warm-up: many executions, little time)
// Prints each window, then per variant the median CPU µs/request and its change against the first variant, paired by round.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EmbeddedCollector } from '../src/collector/index.ts';
import { median } from '../src/compare/summary.ts';
import { newSeed, roundOrderStream } from '../src/run/order.ts';
import { pinHarnessAndService } from '../src/run/pinning.ts';
import { defaultServiceName } from '../src/run/run.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { environmentWithout } from '../src/sut/children.ts';
import { serviceSettingsEnvKey } from '../src/sut/builtin/protocol.ts';
import { calibrateIterationsPerUs } from '../src/sut/builtin/work.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const args = yargs(hideBin(process.argv))
  .option('scenario', { type: 'string', default: 'low-traffic' })
  .option('variants', { type: 'string', describe: 'comma-separated variant names (default: all of the scenario\'s)' })
  .option('rate', { type: 'number', default: 100 })
  .option('warmup', { type: 'number', default: 5 })
  .option('window', { type: 'number', default: 10 })
  .option('rounds', { type: 'number', default: 2 })
  .option('burst', { type: 'number', default: 0, describe: 'seconds of load as fast as 8 connections go, before the paced warm-up' })
  .option('node-args', { type: 'string', describe: 'Node.js flags for the service process, e.g. --node-args="--cpu-prof --cpu-prof-dir=/tmp/prof"' })
  .strict()
  .parseSync();

const scenario = await loadScenario(args.scenario);
const names = args.variants ? args.variants.split(',').map((s) => s.trim()) : scenario.variants.map((v) => v.name);
for (const name of names) {
  if (!scenario.variants.some((v) => v.name === name)) {
    console.error(`paced-check: no variant '${name}' in ${scenario.name}: use one of ${scenario.variants.map((v) => v.name).join(', ')}`);
    process.exit(2);
  }
}

const live = new Set<ChildProcess>();
const killGroup = (child: ChildProcess) => {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
};
// Every service's group ends with this process, however it ends (Ctrl-C, an error, or done).
process.on('exit', () => {
  for (const child of live) killGroup(child);
});
process.on('SIGINT', () => process.exit(130));

const pinning = pinHarnessAndService();
const collector = await EmbeddedCollector.start();
const ticksPerSec = 100; // USER_HZ on Linux

/** utime + stime of a /proc stat line, µs. */
function statCpuUs(stat: string): { pgrp: number; us: number } {
  // Fields after the command name (which may hold spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pgrp: Number(fields[2]), us: ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSec }; // fields 5, 14, 15
}

/**
 * utime + stime, µs, of the service process (the one running the built-in service's main.ts), of its
 * main thread alone (JavaScript, and GC pauses on it; the rest is V8's helper threads, compiling and
 * collecting concurrently, and libuv's), and of its whole group (with the helper processes its
 * TypeScript loader starts).
 */
function groupCpuUs(pgid: number): { service: number; mainThread: number; group: number } {
  const out = { service: 0, mainThread: 0, group: 0 };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    let cmdline: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const { pgrp, us } = statCpuUs(stat);
    if (pgrp !== pgid) continue;
    out.group += us;
    if (!cmdline.includes('sut/builtin/main.ts')) continue;
    out.service += us;
    try {
      out.mainThread += statCpuUs(readFileSync(`/proc/${entry}/task/${entry}/stat`, 'utf8')).us;
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

const iterationsPerUs = calibrateIterationsPerUs();
const serviceMain = path.join(root, 'src/sut/builtin/main.ts');

/** Starts the variant's service in its own process group, as `tracetax serve` would; resolves with its URL. */
function serve(variant: string): Promise<{ child: ChildProcess; url: string }> {
  const tracingEnv = { ...scenario.variants.find((v) => v.name === variant)!.env, OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint };
  const settings = { shape: scenario.shape, iterationsPerUs, host: '127.0.0.1', port: 0, serviceName: defaultServiceName };
  const argv = [...(args.nodeArgs ? args.nodeArgs.split(/\s+/) : []), '--import', 'tsx', serviceMain];
  const [file, full] = pinning.serviceCpus ? ['taskset', ['-c', pinning.serviceCpus, process.execPath, ...argv]] : [process.execPath, argv];
  const env = { ...environmentWithout(['OTEL_', 'TRACETAX_']), ...tracingEnv, [serviceSettingsEnvKey]: JSON.stringify(settings) };
  const child = spawn(file, full, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'inherit'], env });
  live.add(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`the service of ${variant} exited with ${code} before listening`)));
  });
}

/** Sends requests back to back on 8 connections for `seconds`: the code paths run many times in little time. */
async function burst(url: string, seconds: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      await new Promise<void>((resolve, reject) => {
        http.get(url, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject);
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  agent.destroy();
}

/** Sends requests at `rate`/s on one keep-alive connection for `seconds`, one in flight at a time; resolves with the count answered. */
async function paced(url: string, rate: number, seconds: number, agent: http.Agent): Promise<number> {
  const start = performance.now();
  let answered = 0;
  for (let i = 0; ; i++) {
    const due = start + (i * 1000) / rate;
    if (due >= start + seconds * 1000) return answered;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await new Promise<void>((resolve, reject) => {
      http
        .get(url, { agent }, (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) answered++;
            resolve();
          });
        })
        .on('error', reject);
    });
  }
}

const nextOrder = roundOrderStream(names.length, newSeed());
const cpuPerRequest = new Map<string, number[]>(names.map((n) => [n, []]));
const mainThreadPerRequest = new Map<string, number[]>(names.map((n) => [n, []]));
for (let round = 1; round <= args.rounds; round++) {
  // A fresh shuffled order each round, so no variant always runs first.
  const order = nextOrder().map((i) => names[i]);
  for (const variant of order) {
    const { child, url } = await serve(variant);
    if (args.burst > 0) await burst(url, args.burst);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await paced(url, args.rate, args.warmup, agent);
    const cpuBefore = groupCpuUs(child.pid!);
    const requests = await paced(url, args.rate, args.window, agent);
    const cpuAfter = groupCpuUs(child.pid!);
    const cpuUs = cpuAfter.service - cpuBefore.service;
    const mainUs = cpuAfter.mainThread - cpuBefore.mainThread;
    const groupUs = cpuAfter.group - cpuBefore.group;
    agent.destroy();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT'); // the service flushes and exits; its group goes with it below
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    killGroup(child);
    live.delete(child);
    cpuPerRequest.get(variant)!.push(cpuUs / requests);
    mainThreadPerRequest.get(variant)!.push(mainUs / requests);
    console.error(
      `round ${round} ${variant}: ${requests} requests, CPU ${(cpuUs / requests).toFixed(0)} µs/request, main thread ${(mainUs / requests).toFixed(0)} (whole group ${(groupUs / requests).toFixed(0)})`,
    );
  }
}
await collector.stop();

const base = cpuPerRequest.get(names[0])!;
const bursted = args.burst > 0 ? `${args.burst} s as fast as 8 connections go, then ` : '';
console.log(`\n${scenario.name} at ${args.rate} req/s on one keep-alive connection, ${args.rounds} round(s) of a fresh process per variant: ${bursted}${args.warmup} s warm-up, ${args.window} s window; CPU from /proc (utime + stime of the service process)\n`);
console.log(`| variant | CPU µs/request per round | median | change against ${names[0]}, geometric mean over rounds | main thread µs/request, median | other threads µs/request, median |`);
console.log('|---|---|---|---|---|---|');
for (const [name, values] of cpuPerRequest) {
  const change = 100 * (Math.exp(values.reduce((sum, v, i) => sum + Math.log(v / base[i]), 0) / values.length) - 1);
  const main = mainThreadPerRequest.get(name)!;
  const other = values.map((v, i) => v - main[i]);
  console.log(
    `| ${name} | ${values.map((v) => v.toFixed(0)).join(', ')} | ${median(values).toFixed(0)} | ${name === names[0] ? '–' : `${change >= 0 ? '+' : ''}${change.toFixed(1)}%`} | ${median(main).toFixed(0)} | ${median(other).toFixed(0)} |`,
  );
}
