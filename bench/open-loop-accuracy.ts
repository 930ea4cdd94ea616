// Is autocannon's own rate limit good enough for open-loop load, or do we need runOpenLoop?
//   npx tsx bench/open-loop-accuracy.ts
// A trivial HTTP server in a worker thread (its own core, its own event loop) records each request's
// arrival time (performance.now()). It is driven at 1000 req/s for 5 s (a) by autocannon with
// `overallRate: 1000`, 10 connections, and (b) by runOpenLoop at 1000/s, 10 connections, each after a
// 1 s unrecorded warm-up of the same driver (about 15 s in all). For each:
// achieved rate, inter-arrival gaps (p50/p99/max), the most arrivals in any 10 ms window (≈ 10 for an
// even rate) and, for autocannon, whether its reported latency keeps only whole milliseconds (its
// result.latency against our µs histogram of the same responses' fractional-ms times).
//
// How autocannon limits (lib/httpClient.js, lib/run.js): overallRate is split per connection (100/s
// each here); a connection sends back-to-back until it has used its budget for the current second,
// then pauses until a 1 s setInterval resets the budget. Its "coordinated omission" correction calls
// recordValueWithExpectedInterval(responseTime, Math.ceil(1 / rate)), i.e. an expected interval of 1 ms
// whatever the rate.
import autocannon from 'autocannon';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { createHistogram, percentiles, recordUs } from '../src/measure/histogram.ts';
import { runOpenLoop } from '../src/load/open-loop.ts';

const RATE = 1000;
const DURATION_SEC = 5;
const CONNECTIONS = 10;
const WINDOW_MS = 10;
/** Each driver first runs this long unrecorded, so both are compared warm (JIT, undici's llhttp, connections). */
const WARMUP_SEC = 1;

// Plain JS run in the worker: answers every request at once and keeps its arrival time.
const serverSource = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
let arrivals = [];
const server = http.createServer((req, res) => {
  arrivals.push(performance.now());
  res.end('ok');
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (msg) => {
  if (msg === 'collect') {
    const out = Float64Array.from(arrivals);
    arrivals = [];
    parentPort.postMessage({ arrivals: out }, [out.buffer]);
  } else if (msg === 'close') {
    server.closeAllConnections();
    server.close(() => parentPort.close());
  }
});
`;

interface ArrivalStats {
  readonly count: number;
  readonly ratePerSec: number;
  readonly gapP50: number;
  readonly gapP99: number;
  readonly gapMax: number;
  readonly maxIn10ms: number;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function arrivalStats(arrivals: Float64Array): ArrivalStats {
  const times = Float64Array.from(arrivals).sort();
  const gaps = new Float64Array(Math.max(0, times.length - 1));
  for (let i = 1; i < times.length; i++) gaps[i - 1] = times[i]! - times[i - 1]!;
  gaps.sort();
  let maxIn10ms = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= WINDOW_MS) lo++;
    maxIn10ms = Math.max(maxIn10ms, hi - lo + 1);
  }
  return {
    count: times.length,
    ratePerSec: times.length / DURATION_SEC,
    gapP50: quantile(gaps, 0.5),
    gapP99: quantile(gaps, 0.99),
    gapMax: gaps.length > 0 ? gaps[gaps.length - 1]! : Number.NaN,
    maxIn10ms,
  };
}

async function collect(worker: Worker): Promise<Float64Array> {
  const reply = once(worker, 'message');
  worker.postMessage('collect');
  const [message] = (await reply) as [{ arrivals: Float64Array }];
  return message.arrivals;
}

function runAutocannon(url: string, durationSec = DURATION_SEC) {
  const ours = createHistogram();
  let fractional = 0;
  return new Promise<{ result: autocannon.Result; ours: typeof ours; fractional: number }>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, overallRate: RATE, duration: durationSec }, (error, result) =>
      error ? reject(error) : resolve({ result, ours, fractional }),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTimeMs: number) => {
      recordUs(ours, responseTimeMs * 1000);
      if (!Number.isInteger(responseTimeMs)) fractional++;
    });
  });
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const worker = new Worker(serverSource, { eval: true });
  const [{ port }] = (await once(worker, 'message')) as [{ port: number }];
  const url = `http://127.0.0.1:${port}/`;

  console.log(`${RATE} req/s for ${DURATION_SEC} s (after ${WARMUP_SEC} s unrecorded), ${CONNECTIONS} connections, server in a worker thread on ${url}\n`);

  await runAutocannon(url, WARMUP_SEC);
  await collect(worker);
  const ac = await runAutocannon(url);
  const acArrivals = arrivalStats(await collect(worker));

  await runOpenLoop({ url, ratePerSec: RATE, durationSec: WARMUP_SEC, connections: CONNECTIONS });
  await collect(worker);
  const open = await runOpenLoop({ url, ratePerSec: RATE, durationSec: DURATION_SEC, connections: CONNECTIONS });
  const openArrivals = arrivalStats(await collect(worker));

  const header = ['', 'arrivals', 'req/s', 'gap p50 ms', 'gap p99 ms', 'gap max ms', `max in ${WINDOW_MS} ms`];
  const row = (name: string, s: ArrivalStats) => [
    name,
    String(s.count),
    fmt(s.ratePerSec, 1),
    fmt(s.gapP50, 3),
    fmt(s.gapP99, 3),
    fmt(s.gapMax, 1),
    String(s.maxIn10ms),
  ];
  console.log(table([header, ['ideal', String(RATE * DURATION_SEC), fmt(RATE, 1), fmt(1000 / RATE, 3), fmt(1000 / RATE, 3), fmt(1000 / RATE, 1), String((RATE * WINDOW_MS) / 1000)], row('autocannon overallRate', acArrivals), row('runOpenLoop', openArrivals)]));

  // autocannon's latency: its own histogram against ours (µs) of the very same response times.
  const acLatency = ac.result.latency as unknown as Record<string, number>;
  const oursMs = percentiles(ac.ours, 1000);
  const acKeys = ['p50', 'p90', 'p99', 'min', 'max'] as const;
  const wholeMs = acKeys.every((k) => Number.isInteger(acLatency[k]));
  console.log('\nautocannon latency, ms       p50      p90      p99   samples');
  console.log(`  its result.latency    ${[acLatency.p50, acLatency.p90, acLatency.p99].map((v) => fmt(v!, 3).padStart(8)).join(' ')}  ${String(acLatency.totalCount).padStart(8)}`);
  console.log(`  ours (µs HDR)         ${[oursMs.p50, oursMs.p90, oursMs.p99].map((v) => fmt(v, 3).padStart(8)).join(' ')}  ${String(ac.ours.totalCount).padStart(8)}`);
  console.log(
    `  whole-millisecond resolution: ${wholeMs ? 'yes' : 'no'} (p50/p90/p99/min/max ${wholeMs ? 'all' : 'not all'} integers;` +
      ` ${ac.fractional} of ${ac.ours.totalCount} response times it measured were fractional)`,
  );
  if (acLatency.totalCount! > ac.ours.totalCount) {
    console.log(
      `  its histogram holds ${acLatency.totalCount! - ac.ours.totalCount} synthetic samples: with a rate it "corrects" coordinated omission` +
        ` with an expected interval of Math.ceil(1 / ${RATE / CONNECTIONS}) = 1 ms, whatever the rate`,
    );
  }
  console.log(`  autocannon counted ${ac.result.requests.total} responses, ${ac.result.errors} errors, ${ac.result.non2xx} non-2xx in ${ac.result.duration} s`);

  console.log('\nrunOpenLoop');
  console.log(
    `  intended ${open.intended}, sent ${open.sent}, unsent ${open.unsent}, late ${open.late} (waited for a connection ${open.waitedForConnection}),` +
      ` 2xx ${open.requests}, errors ${open.errors}`,
  );
  console.log(`  sent ${fmt(open.sentRatePerSec, 1)}/s of ${open.targetRatePerSec}/s; scheduler lag p50 ${fmt(open.schedulerLagMs.p50, 3)} p99 ${fmt(open.schedulerLagMs.p99, 3)} max ${fmt(open.schedulerLagMs.max, 1)} ms`);
  console.log(`  latency from intended p50/p99 ${fmt(open.latencyMs.p50, 3)}/${fmt(open.latencyMs.p99, 3)} ms, from send ${fmt(open.sendLatencyMs.p50, 3)}/${fmt(open.sendLatencyMs.p99, 3)} ms`);
  if (open.generatorWarning) console.log(`  generator warning: ${open.generatorWarning}`);

  const even = (s: ArrivalStats) => s.maxIn10ms <= 3 * ((RATE * WINDOW_MS) / 1000) && s.ratePerSec >= 0.95 * RATE;
  const verdict = even(acArrivals)
    ? `autocannon's overallRate spread the load evenly enough here (≤ ${acArrivals.maxIn10ms} arrivals per ${WINDOW_MS} ms)`
    : `autocannon's overallRate is a per-second budget, not a schedule (up to ${acArrivals.maxIn10ms} arrivals in ${WINDOW_MS} ms vs ${openArrivals.maxIn10ms} for runOpenLoop` +
      `${wholeMs ? ', latency in whole ms' : ''}): use runOpenLoop for open-loop load`;
  console.log(`\nverdict: ${verdict}${even(openArrivals) ? '' : ' (runOpenLoop itself was uneven on this run: see its generator warning and lag)'}.`);

  worker.postMessage('close');
  await once(worker, 'exit');
}

await main();
process.exit(0);
