// An instrument independent of tracetax's load drivers and CPU accounting, for the low-traffic figures:
// each variant's service is started with `tracetax serve` (a fresh process per window, pinned like the
// harness pins it), a plain paced client sends requests on ONE keep-alive connection at a fixed rate, and
// the CPU of the service process is read from /proc (utime + stime, all its threads) over the window after
// a warm-up. Spans go to an embedded collector in this process, so every variant exports as in a run.
//   npx tsx bench/paced-check.ts [--scenario low-traffic] [--variants a,b,...] [--rate 100] [--warmup 5] [--window 10] [--rounds 2]
//                                [--node-options "--cpu-prof --cpu-prof-dir=DIR"]
// Prints each window, then per variant the median CPU µs/request and its change against the first variant, paired by round.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EmbeddedCollector } from '../src/collector/index.ts';
import { pinHarnessAndService } from '../src/run/pinning.ts';
import { loadScenario } from '../src/scenario/load.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const args = yargs(hideBin(process.argv))
  .option('scenario', { type: 'string', default: 'low-traffic' })
  .option('variants', { type: 'string', describe: 'comma-separated variant names (default: all of the scenario\'s)' })
  .option('rate', { type: 'number', default: 100 })
  .option('warmup', { type: 'number', default: 5 })
  .option('window', { type: 'number', default: 10 })
  .option('rounds', { type: 'number', default: 2 })
  .option('node-options', { type: 'string', describe: 'NODE_OPTIONS for the service, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"' })
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
process.on('SIGINT', () => {
  for (const child of live) killGroup(child);
  process.exit(130);
});

const pinning = pinHarnessAndService();
const collector = await EmbeddedCollector.start();
const ticksPerSec = 100; // USER_HZ on Linux

/**
 * utime + stime, µs, of the service process in the group (the one running the built-in service's
 * main.ts; `serve` itself only waits for it) and of the whole group.
 */
function groupCpuUs(pgid: number): { service: number; group: number } {
  const out = { service: 0, group: 0 };
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
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid) continue; // field 5: pgrp
    const us = ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSec; // fields 14, 15: utime, stime
    out.group += us;
    if (cmdline.includes('sut/builtin/main.ts')) out.service += us;
  }
  return out;
}

/** Starts `tracetax serve` for the variant in its own process group; resolves with its URL. */
function serve(variant: string): Promise<{ child: ChildProcess; url: string }> {
  const argv = ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'serve', '--scenario', args.scenario, '--variant', variant, '--port', '0', '--otlp-endpoint', collector.endpoint];
  const [file, full] = pinning.serviceCpus ? ['taskset', ['-c', pinning.serviceCpus, process.execPath, ...argv]] : [process.execPath, argv];
  const env = { ...process.env, ...(args.nodeOptions ? { NODE_OPTIONS: args.nodeOptions } : {}) };
  const child = spawn(file, full, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'inherit'], env });
  live.add(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`serve ${variant} exited with ${code} before listening`)));
  });
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

const cpuPerRequest = new Map<string, number[]>(names.map((n) => [n, []]));
for (let round = 1; round <= args.rounds; round++) {
  // A fresh order each round, so no variant always runs first.
  const order = [...names];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (const variant of order) {
    const { child, url } = await serve(variant);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await paced(url, args.rate, args.warmup, agent);
    const cpuBefore = groupCpuUs(child.pid!);
    const requests = await paced(url, args.rate, args.window, agent);
    const cpuAfter = groupCpuUs(child.pid!);
    const cpuUs = cpuAfter.service - cpuBefore.service;
    const groupUs = cpuAfter.group - cpuBefore.group;
    agent.destroy();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT'); // serve flushes and exits; its group goes with it below
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    killGroup(child);
    live.delete(child);
    cpuPerRequest.get(variant)!.push(cpuUs / requests);
    console.error(`round ${round} ${variant}: ${requests} requests, CPU ${(cpuUs / requests).toFixed(0)} µs/request (whole group ${(groupUs / requests).toFixed(0)})`);
  }
}
await collector.stop();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const base = cpuPerRequest.get(names[0])!;
console.log(`\n${scenario.name} at ${args.rate} req/s on one keep-alive connection, ${args.rounds} round(s) of a fresh process per variant: ${args.warmup} s warm-up, ${args.window} s window; CPU from /proc (utime + stime of the service process)\n`);
console.log(`| variant | CPU µs/request per round | median | change against ${names[0]}, geometric mean over rounds |`);
console.log('|---|---|---|---|');
for (const [name, values] of cpuPerRequest) {
  const change = 100 * (Math.exp(values.reduce((sum, v, i) => sum + Math.log(v / base[i]), 0) / values.length) - 1);
  console.log(`| ${name} | ${values.map((v) => v.toFixed(0)).join(', ')} | ${median(values).toFixed(0)} | ${name === names[0] ? '–' : `${change >= 0 ? '+' : ''}${change.toFixed(1)}%`} |`);
}
