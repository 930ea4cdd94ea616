// A short real run: real service process, real sockets on loopback, the real OTLP gRPC exporter talking
// to the embedded collector. Asserts exact counts and relationships, never timings.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { test } from 'node:test';
import { markdownReport } from '../../src/report/markdown.ts';
import { terminalReport } from '../../src/report/terminal.ts';
import { runScenario } from '../../src/run/run.ts';
import { roundOrders } from '../../src/run/order.ts';
import { runTrialsTogether, type TrialOptions } from '../../src/run/trial.ts';
import { validateScenario } from '../../src/scenario/validate.ts';
import { BuiltinService } from '../../src/sut/builtin/builtin.ts';
import { ServiceStartError } from '../../src/sut/service-under-test.ts';
import { resolveShape, spansPerRequest } from '../../src/sut/builtin/shape.ts';
import type { RunDocument, VariantResult } from '../../src/model/index.ts';

const keepUp = { OTEL_BSP_MAX_QUEUE_SIZE: 65536, OTEL_BSP_MAX_EXPORT_BATCH_SIZE: 512, OTEL_BSP_SCHEDULE_DELAY: 100 };
const ratio = 0.25;

const scenario = validateScenario(
  {
    name: 'e2e',
    description: 'accounting relations',
    load: { connections: 4, durationSec: 1, warmupSec: 0.3 },
    trials: 1,
    processes: 'pool',
    variants: [
      { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
      { name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on', ...keepUp } },
      { name: 'ratio', env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: ratio, ...keepUp } },
      { name: 'parent ratio', env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: ratio, ...keepUp } },
      { name: 'always_off', env: { OTEL_TRACES_SAMPLER: 'always_off' } },
      { name: 'simple', env: { OTEL_TRACES_SAMPLER: 'always_on', TRACETAX_SPAN_PROCESSOR: 'simple' } },
    ],
  },
  'test',
);

/** This process's live (not zombie) children whose command line matches, as pids. */
function liveChildren(command: RegExp): number[] {
  return execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, stat, ...args]) => pid && !stat?.startsWith('Z') && command.test(args.join(' ')))
    .map(([pid]) => Number(pid));
}

/** Waits (boundedly) for the kernel to reap the children matching `command`; returns those left. */
async function childrenLeft(command: RegExp): Promise<number[]> {
  for (let i = 0; i < 100 && liveChildren(command).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  return liveChildren(command);
}

let run: RunDocument;
const variant = (name: string): VariantResult => run.variants.find((v) => v.name === name)!;

test('a short real run', async (t) => {
  run = await runScenario(scenario, { pin: false });

  await t.test('every variant served requests and measured them', () => {
    for (const v of run.variants) {
      const s = v.summary;
      assert.ok(s.requests > 0, v.name);
      assert.ok(s.requestsPerSec > 0, v.name);
      assert.ok(s.cpuUsPerRequest > 0, v.name);
      assert.ok(s.clientLatencyMs.p99 >= s.clientLatencyMs.p50, v.name);
      assert.ok(s.serverTimeUs.p999 >= s.serverTimeUs.p99 && s.serverTimeUs.p99 >= s.serverTimeUs.p90 && s.serverTimeUs.p90 >= s.serverTimeUs.p50, v.name);
      assert.equal(s.failedRequests, 0, v.name);
      assert.ok(s.allFlushed, v.name);
      // The service drains its requests before it stops, so every arrival made all its spans.
      assert.equal(s.spans.started, spansPerRequest * s.requests, v.name);
      assert.equal(s.spansPerRequest, spansPerRequest, v.name);
    }
  });

  await t.test('always_on with a queue that keeps up: every sampled span is received, exactly', () => {
    const s = variant('always_on').summary;
    assert.equal(s.spans.sampled, s.spans.started);
    assert.equal(s.spans.ended, s.spans.sampled);
    assert.equal(s.spans.dropped, 0);
    assert.equal(s.spans.exportFailed, 0);
    assert.equal(s.spans.exported, s.spans.ended);
    assert.equal(s.spans.received, s.spans.sampled);
    assert.equal(s.deliveryRatio, 1);
    assert.equal(s.sampledTraces, s.requests, 'one sampled trace per request');
    const collector = variant('always_on').lives[0].collector!;
    assert.equal(collector.traces, s.sampledTraces);
    assert.equal(collector.rootSpans, s.sampledTraces);
    assert.ok(collector.completeTraces <= collector.traces);
    assert.ok(s.exportLagMs!.p99 >= s.exportLagMs!.p50);
  });

  await t.test('the simple processor: no queue to drop from; what it exported arrived, and the rest failed', () => {
    // One export per span: past the OTLP exporter's limit of concurrent exports some fail, and they are counted.
    const s = variant('simple').summary;
    assert.equal(s.spans.dropped, 0);
    assert.equal(s.spans.exported! + s.spans.exportFailed!, s.spans.ended);
    assert.equal(s.spans.received, s.spans.exported);
    assert.equal(variant('simple').lives[0].collector!.requests, s.spans.exported, 'one export request per span');
  });

  await t.test('ratio samplers: sampled traces within binomial bounds of p × requests, all delivered', () => {
    for (const name of ['ratio', 'parent ratio']) {
      const s = variant(name).summary;
      const n = s.requests;
      const sd = Math.sqrt(n * ratio * (1 - ratio));
      // 5 standard deviations: a correct sampler falls outside less than once in a million runs.
      assert.ok(Math.abs(s.sampledTraces! - ratio * n) <= 5 * sd, `${name}: ${s.sampledTraces} of ${n}`);
      assert.equal(s.spans.received, s.spans.ended, name);
      assert.equal(s.spans.received, s.spans.sampled, name);
      assert.equal(variant(name).lives[0].collector!.traces, s.sampledTraces, name);
    }
  });

  await t.test('always_off and untraced sample and send nothing', () => {
    for (const name of ['always_off', 'untraced']) {
      const s = variant(name).summary;
      assert.ok(s.spans.started! > 0, name);
      assert.equal(s.spans.sampled, 0, name);
      assert.equal(s.spans.received, 0, name);
      assert.equal(s.deliveryRatio, null, name);
      assert.equal(variant(name).lives[0].collector!.requests, 0, name);
    }
  });

  await t.test('the reports show every variant, the accounting and the Dapper table', () => {
    const markdown = markdownReport(run);
    for (const v of run.variants) assert.match(markdown, new RegExp(`\\| \\**${v.name}\\** \\|`));
    assert.match(markdown, /## Span accounting/);
    assert.match(markdown, /\| traceidratio \| 0\.25 \|/);
    assert.match(markdown, /\| parentbased_traceidratio \| 0\.25 \|/);
    const terminal = terminalReport(run);
    assert.equal(terminal.split('\n').filter((line) => /^(untraced|always_on|ratio|parent ratio|always_off|simple)\s/.test(line)).length, run.variants.length);
    assert.equal(run.variants[0].comparison.cpuUsPerRequest.change, null);
    for (const v of run.variants.slice(1)) {
      const c = v.comparison.cpuUsPerRequest;
      // One round gives a ratio but no interval, so nothing can be decided.
      assert.ok(c.change!.ratio > 0, v.name);
      assert.ok(Number.isNaN(c.change!.low) && Number.isNaN(c.change!.high), v.name);
      assert.equal(c.verdict, 'undecided', v.name);
      assert.ok(c.test!.p > 0 && c.test!.p <= 1, v.name);
    }
  });

  await t.test('batching and GC: every span handed over has its queue wait counted, and the windows saw their collections', () => {
    for (const v of run.variants) {
      for (const life of v.lives) {
        if (v.config.kind === 'untraced') assert.equal(life.final.queueWait, undefined, v.name);
        else assert.equal(life.final.queueWait!.spans, life.final.spans!.handedToExporter, v.name);
      }
      for (const trial of v.trials) {
        const gc = trial.window.cost.gc!;
        for (const kind of ['minor', 'major', 'incremental', 'weakCallbacks'] as const) assert.ok(gc[kind].count >= 0 && gc[kind].ms >= 0, `${v.name} ${kind}`);
        assert.ok(gc.minor.ms + gc.major.ms + gc.incremental.ms + gc.weakCallbacks.ms <= trial.window.cost.wallMs, v.name);
      }
    }
    assert.equal(variant('untraced').summary.meanQueueWaitMs, null);
    assert.equal(variant('untraced').summary.processorSpansPerSec, null);
    // Tracing at saturation allocates enough to fill the young generation within a window.
    assert.ok(variant('always_on').trials.every((trial) => trial.window.cost.gc!.minor.count > 0));
    // The simple processor hands each span over as it ends; the batch processor holds it until its batch goes.
    assert.ok(variant('simple').summary.meanQueueWaitMs! < variant('always_on').summary.meanQueueWaitMs!);
    assert.match(markdownReport(run), /## Batching and garbage collection/);
  });

  await t.test('the round ran in the order its recorded seed gives, every variant once', () => {
    const ran = run.variants.flatMap((v) => v.trials).sort((a, b) => a.order - b.order).map((trial) => trial.variant);
    assert.equal(run.design.order, 'randomised');
    assert.deepEqual(ran, roundOrders(run.variants.length, 1, run.design.seed)[0].map((i) => run.variants[i].name));
    assert.equal(run.positionEffect, null); // one round is too little to tell
  });

  await t.test('run.json carries what the issue asks for', () => {
    // 3 since the precision issue: trials are measured windows, service processes are lives, rounds may run until precise.
    assert.equal(run.schemaVersion, 3);
    assert.equal(run.design.processes, 'pool');
    assert.equal(run.design.roundsRun, 1);
    assert.equal(run.design.stoppedBecause, 'fixed');
    for (const v of run.variants) assert.deepEqual(v.lives.map((l) => l.rounds), [[1]], v.name);
    assert.equal(run.variants[1].trials[0].load.kind, 'closed');
    assert.equal(run.baseline, 'untraced');
    assert.equal(run.variants[0].config.kind, 'untraced');
    for (const key of ['requestsPerSec', 'clientLatencyMs', 'serverTimeUs', 'cpuUsPerRequest', 'spansPerRequest', 'spans', 'deliveryRatio', 'exportLagMs']) {
      assert.ok(key in run.variants[1].summary, key);
    }
    assert.equal(typeof run.variants[1].trials[0].load.latencyHistogram, 'string');
    assert.equal(typeof run.variants[1].trials[0].window.serverTimeHistogram, 'string');
  });
});

test('a queue that cannot keep up drops spans, and every span is still accounted for', async () => {
  // A backend answering in 200 ms drains at most 64 spans per 200 ms from this queue: 320 spans/s,
  // far below what even a slow run of this service makes.
  const slowBackend = validateScenario(
    {
      name: 'drops',
      description: 'a full queue',
      load: { connections: 4, durationSec: 1, warmupSec: 0 },
      collector: { responseDelayMs: 200 },
      trials: 1,
      processes: 'fresh',
      variants: [{ name: 'small queue', env: { OTEL_TRACES_SAMPLER: 'always_on', OTEL_BSP_MAX_QUEUE_SIZE: 64, OTEL_BSP_MAX_EXPORT_BATCH_SIZE: 64, OTEL_BSP_SCHEDULE_DELAY: 50 } }],
    },
    'test',
  );
  const result = await runScenario(slowBackend, { pin: false });
  const s = result.variants[1].summary;
  assert.ok(s.allFlushed);
  assert.ok(s.spans.dropped! > 0);
  assert.equal(s.spans.exportFailed, 0);
  assert.equal(s.spans.exported! + s.spans.dropped!, s.spans.ended);
  assert.equal(s.spans.received, s.spans.exported);
  assert.ok(s.deliveryRatio! < 1);
});

test('an unreachable collector is not bad input: the run completes and counts the failures', async () => {
  const closedPort = await new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
  const unreachable = validateScenario(
    {
      name: 'unreachable',
      description: 'export failures',
      load: { connections: 2, durationSec: 0.5, warmupSec: 0 },
      trials: 1,
      processes: 'fresh',
      variants: [{ name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on', OTEL_BSP_SCHEDULE_DELAY: 100, OTEL_BSP_EXPORT_TIMEOUT: 1000 } }],
    },
    'test',
  );
  const result = await runScenario(unreachable, { pin: false, otlpEndpoint: `http://127.0.0.1:${closedPort}`, flushTimeoutSec: 5 });
  const s = result.variants[1].summary;
  assert.ok(s.spans.ended! > 0);
  assert.equal(s.spans.exported, 0);
  assert.equal(s.spans.received, null, 'nothing is known of what a remote endpoint received');
  assert.equal(s.deliveryRatio, null);
  assert.ok(s.spans.exportFailed! + s.spans.dropped! > 0);
  assert.ok(s.spans.exportFailed! + s.spans.dropped! <= s.spans.ended!);
});

test('open loop at a share of saturation: the rate is derived from the untraced baseline and every span is accounted for', async () => {
  const open = validateScenario(
    {
      name: 'open',
      description: 'open loop',
      load: { mode: 'open', rate: '50%', durationSec: 1, warmupSec: 0.2, connections: 32 },
      trials: 1,
      processes: 'pool',
      variants: [{ name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on', ...keepUp } }],
    },
    'test',
  );
  const result = await runScenario(open, { pin: false });
  const saturation = result.openLoop!.saturation!;
  assert.ok(saturation.requestsPerSec > 0);
  assert.equal(result.openLoop!.ratePerSec, saturation.requestsPerSec * 0.5);
  for (const v of result.variants) {
    const load = v.trials[0].load;
    assert.ok('intended' in load, 'an open-loop result');
    assert.equal(load.intended, Math.ceil(result.openLoop!.ratePerSec * 1));
    assert.equal(load.sent + load.unsent, load.intended);
    assert.equal(load.requests + load.non2xx + load.errors, load.sent);
    assert.ok(load.latencyMs.p99 >= load.sendLatencyMs.p99 || load.requests === 0);
  }
  const s = result.variants[1].summary;
  assert.equal(s.spans.started, spansPerRequest * s.requests);
  assert.equal(s.spans.received, s.spans.sampled);
  assert.equal(s.sampledTraces, s.requests);
});

/** A short scenario of warm processes (the pool or pairs): 0.5-s slices after a 0.3-s warm-up, or the warm-up given. */
const warmProcesses = (
  processes: 'pool' | 'pairs',
  trials: number,
  variants: { name: string; env: Record<string, string | number> }[],
  warmup: { warmupSec: number } | { warmupRequests: number } = { warmupSec: 0.3 },
) => validateScenario({ name: processes, description: processes, load: { connections: 4, durationSec: 0.5, ...warmup }, trials, processes, variants }, 'test');

test('the warm pool in blocks: fresh processes per block, warmed by a count of requests, each slice charged at least its own window, every span counted over every process', async () => {
  const warmupRequests = 250;
  const pooled = warmProcesses(
    'pool',
    3,
    [
      { name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on', ...keepUp } },
      // The default 5-s delay: spans of a slice wait in the queue past its end, and are still counted.
      { name: 'ratio', env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: ratio } },
    ],
    { warmupRequests },
  );
  const result = await runScenario(pooled, { pin: false });
  assert.equal(result.design.processes, 'pool');
  assert.equal(result.design.roundsRun, 3);
  // Three rounds over the default three blocks: a fresh process per variant for each.
  assert.deepEqual(result.design.roundsPerBlock, [1, 1, 1]);
  for (const v of result.variants) {
    assert.deepEqual(v.lives.map((l) => [l.block, l.rounds]), [[1, [1]], [2, [2]], [3, [3]]], v.name);
    assert.deepEqual(v.trials.map((t) => [t.trial, t.block]), [[1, 1], [2, 2], [3, 3]], v.name);
    assert.equal(new Set(v.lives.map((l) => l.startedAt)).size, 3, `${v.name}: three processes`);
    for (const t of v.trials) {
      // A slice's charge runs from the end of its process's previous slice, so it contains its window.
      assert.ok(t.cpuUs >= t.window.cost.cpuUserUs + t.window.cost.cpuSystemUs, `${v.name} round ${t.trial}`);
      assert.equal(t.cpuUsPerRequest, t.cpuUs / t.window.requests!);
      // The scheduler saw the process over its window: its main thread ran, and no counter ran backwards.
      assert.ok(t.sched && t.sched.mainThreadUs > 0, `${v.name} round ${t.trial}: sched`);
      for (const [k, x] of Object.entries(t.sched)) assert.ok(x >= 0, `${v.name} round ${t.trial}: sched.${k} ${x}`);
    }
    // Every process answered exactly the warm-up's count before its slices.
    for (const life of v.lives) {
      const sliced = v.trials.filter((t) => life.rounds.includes(t.trial)).reduce((sum, t) => sum + t.load.requests, 0);
      assert.equal(life.answeredRequests - sliced, warmupRequests, `${v.name} block ${life.block}`);
    }
    assert.ok(v.summary.allFlushed, v.name);
    assert.equal(v.summary.spans.started, spansPerRequest * v.summary.requests, v.name);
  }
  // The rounds' orders are the recorded seed's.
  const orders = roundOrders(result.variants.length, 3, result.design.seed);
  for (let round = 1; round <= 3; round++) {
    const ran = result.variants.flatMap((v) => v.trials).filter((t) => t.trial === round).sort((a, b) => a.order - b.order).map((t) => t.variant);
    assert.deepEqual(ran, orders[round - 1].map((i) => result.variants[i].name));
  }
  const s = (name: string) => result.variants.find((v) => v.name === name)!.summary;
  assert.equal(s('untraced').spans.received, 0);
  assert.equal(s('always_on').spans.received, s('always_on').spans.started);
  assert.equal(s('ratio').spans.received, s('ratio').spans.sampled);
});

test('pairs: every traced slice runs beside a slice of the baseline, and each Δ pairs exactly those two', async () => {
  const paired = warmProcesses('pairs', 2, [
    { name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on', ...keepUp } },
    { name: 'always_off', env: { OTEL_TRACES_SAMPLER: 'always_off' } },
  ]);
  const result = await runScenario(paired, { pin: false });
  assert.equal(result.design.processes, 'pairs');
  const [baseline, ...traced] = result.variants;
  // Two traced variants, two rounds: the baseline ran four slices, each beside one of them.
  assert.equal(baseline.trials.length, 4);
  for (const v of traced) {
    assert.equal(v.trials.length, 2, v.name);
    for (const t of v.trials) {
      const beside = baseline.trials.filter((b) => b.trial === t.trial && b.pairedWith === v.name);
      assert.equal(beside.length, 1, `${v.name} round ${t.trial}`);
      assert.equal(beside[0].order, t.order, 'a pair shares its place in the order');
      assert.equal(beside[0].startedAt, t.startedAt, 'and its start');
    }
    assert.equal(v.comparison.cpuUsPerRequest.change!.ratio > 0, true, v.name);
  }
  for (const v of result.variants) {
    assert.equal(v.lives.length, 2, `${v.name}: two rounds, two blocks`);
    for (const t of v.trials) assert.ok(t.cpuUs >= t.window.cost.cpuUserUs + t.window.cost.cpuSystemUs, `${v.name} round ${t.trial}`);
    // Over two blocks the interval is over the blocks (t with 1 degree of freedom).
    if (v !== baseline) assert.deepEqual([v.comparison.cpuUsPerRequest.levels!.method, v.comparison.cpuUsPerRequest.levels!.blocks], ['blocks-t', 2]);
  }
  // The warm-up (the three processes at once, 0.3 s each) and one measured round with two slices of the baseline.
  assert.equal(baseline.lives[0].loadedSec, 0.3 * 3 + 1 * 0.5 * 2);
  assert.equal(traced[0].summary.spans.received, traced[0].summary.spans.started);
});

test('rounds until precise in blocks: the sentinel is measured like a variant, and the run reports its A/A check and its noise', async () => {
  // A budget too small for anything but the two blocks that always run: 2 rounds, then 1.
  const scenario = validateScenario(
    { name: 'aa', description: 'sentinel', load: { connections: 4, durationSec: 0.5, warmupSec: 0.3 }, maxTimeSec: 1, variants: [{ name: 'always_off', env: { OTEL_TRACES_SAMPLER: 'always_off' } }] },
    'test',
  );
  const run = await runScenario(scenario, { pin: false });
  assert.deepEqual(run.variants.map((v) => [v.name, v.sentinel ?? false]), [['untraced', false], ['untraced B', true], ['always_off', false]]);
  assert.equal(run.design.stoppedBecause, 'budget');
  assert.deepEqual(run.design.roundsPerBlock, [2, 1]);
  const sentinel = run.variants[1];
  // The same settings as the baseline; only the (unused) endpoint of its own collector differs.
  const settings = (env: Record<string, string>) => Object.entries(env).filter(([key]) => key !== 'OTEL_EXPORTER_OTLP_ENDPOINT');
  assert.deepEqual(settings(sentinel.env), settings(run.variants[0].env));
  assert.equal(sentinel.lives.length, 2, 'a process of its own in each block');
  const levels = sentinel.comparison.cpuUsPerRequest.levels!;
  assert.deepEqual([levels.method, levels.blocks, levels.rounds, levels.df], ['blocks-t', 2, 3, 1]);
  assert.equal(run.aaCheck!.variant, 'untraced B');
  assert.equal(run.aaCheck!.coversZero, run.aaCheck!.change.low <= 1 && run.aaCheck!.change.high >= 1);
  assert.ok(run.noise!.fixedWork.startMs > 0 && run.noise!.fixedWork.endMs > 0);
  assert.ok(run.noise!.sliceSdPct >= 0);
  assert.ok(run.design.blockOverheadSec! > 0 && run.design.roundSec! > 0);
  const report = markdownReport(run);
  assert.match(report, /A\/A check: `untraced B` \(an identical copy of the baseline\)/);
  assert.match(report, /Noise: the untraced baseline's CPU\/request moved/);
  assert.match(report, /Intervals: each Δ is the mean of its blocks' geometric-mean ratios/);
  assert.match(terminalReport(run), /^A\/A check: /m);
});

test('concurrent rounds: every variant of a round runs at once, each counted by its own collector, exactly', async () => {
  const together = validateScenario(
    {
      name: 'together',
      description: 'concurrent mode',
      load: { mode: 'open', rate: 100, concurrent: true, durationSec: 1, warmupSec: 0.2, connections: 16 },
      trials: 2,
      variants: [
        { name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on', ...keepUp } },
        { name: 'always_off', env: { OTEL_TRACES_SAMPLER: 'always_off' } },
        { name: 'ratio', env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: ratio, ...keepUp } },
      ],
    },
    'test',
  );
  const result = await runScenario(together, { pin: false });
  // The untraced baseline comes first, so four services ran in each round.
  assert.deepEqual(result.variants.map((v) => v.name), ['untraced', 'always_on', 'always_off', 'ratio']);
  for (let round = 0; round < 2; round++) {
    const trials = result.variants.map((v) => v.trials[round]);
    // Same round, same start: they ran side by side.
    assert.equal(new Set(trials.map((t) => t.startedAt)).size, 1);
    for (const life of result.variants.map((v) => v.lives[round])) {
      // Each collector saw only its own variant's spans: what this service's exporter reported exported.
      assert.deepEqual(life.rounds, [round + 1]);
      assert.equal(life.collector!.spans, life.final.spans!.exported, life.variant);
      assert.equal(life.final.spans!.exported + life.final.spans!.exportFailed, life.final.spans!.handedToExporter, life.variant);
    }
  }
  const s = (name: string) => result.variants.find((v) => v.name === name)!.summary;
  assert.equal(s('untraced').spans.received, 0);
  assert.equal(s('always_off').spans.received, 0);
  assert.equal(s('always_on').spans.received, s('always_on').spans.started);
  assert.equal(s('ratio').spans.received, s('ratio').spans.sampled);
  assert.ok(s('ratio').spans.sampled! < s('ratio').spans.started!);
});

test('a round where one service cannot start: the error names its variant and no service is left running', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const takenPort = (blocker.address() as net.AddressInfo).port;
  const settings = { shape: resolveShape(undefined), iterationsPerUs: 100, host: '127.0.0.1', port: 0, serviceName: 'start-failure' };
  const trial = (variant: string, port: number): TrialOptions => ({
    member: {
      variant,
      service: new BuiltinService({ ...settings, port }),
      launch: { tracingEnv: { OTEL_SDK_DISABLED: 'true' }, instrumentation: 'service', runtime: { nodeFlags: [] }, sdk: 'otel-0.223' },
      baseline: 0,
      collector: null,
    },
    round: 1,
    order: 1,
    settings: {
      load: { mode: 'open', rate: { kind: 'fixed', perSec: 10 }, concurrent: true, connections: 1, durationSec: 0.1, warmupSec: 0 },
      ratePerSec: 10,
      flushTimeoutMs: 1000,
    },
    onPhase: () => {},
  });
  try {
    await assert.rejects(
      runTrialsTogether([trial('starts', 0), trial('blocked', takenPort), trial('starts too', 0)]),
      (error: unknown) => error instanceof ServiceStartError && /^blocked: port \d+ on 127\.0\.0\.1 is already in use/.test(error.message),
    );
  } finally {
    blocker.close();
  }
  // The services that did start were killed: no node child of this process is left.
  assert.deepEqual(await childrenLeft(/\bnode\b/), []);
});

test('a service that dies mid-run: the run fails naming its exit, the harness does not crash, and no service is left', async () => {
  const pool = validateScenario(
    {
      name: 'dies',
      description: 'a service killed after round 1',
      load: { connections: 2, durationSec: 0.3, warmupSec: 0 },
      trials: 3,
      processes: 'pool',
      variants: [
        { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
        { name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
      ],
    },
    'test',
  );
  const service = /sut\/builtin\/main\.ts/;
  let killed = 0;
  await assert.rejects(
    runScenario(pool, { pin: false, flushTimeoutSec: 2 }, (event) => {
      if (event.type !== 'round-end' || event.round !== 1) return;
      killed = liveChildren(service)[0]!;
      process.kill(killed, 'SIGKILL');
    }),
    (error: unknown) => error instanceof ServiceStartError && /the service exited \(SIGKILL\)/.test(error.message),
  );
  assert.ok(killed > 0, 'a service was running after round 1');
  assert.deepEqual(await childrenLeft(service), []);
});
