// Your own service: a real server started by command, instrumented with zero code by the register hook,
// measured from outside; exact span counts at the collector; every bad command fails before any load.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../src/run/run.ts';
import { validateScenario } from '../../src/scenario/validate.ts';
import type { RunDocument, VariantResult } from '../../src/model/index.ts';
import { tinyOpenLoad } from '../support/tiny-load.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tinyServer = path.join(root, 'test/fixtures/services/tiny-server.cjs');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tracetax-external-'));

/** Processes (not zombies) anywhere on the machine running `file`. */
function processesRunning(file: string): number[] {
  return execFileSync('ps', ['-e', '-o', 'pid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, stat, ...args]) => pid && !stat?.startsWith('Z') && args.join(' ').includes(file))
    .map(([pid]) => Number(pid));
}

async function processesLeft(file: string): Promise<number[]> {
  for (let i = 0; i < 50 && processesRunning(file).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  return processesRunning(file);
}

const sumOf = (v: VariantResult, pick: (l: VariantResult['lives'][number]) => number) => v.lives.reduce((sum, l) => sum + pick(l), 0);

test('an external service by command: zero-code spans counted exactly at the collector, CPU from /proc, nothing left running', async () => {
  const scenario = validateScenario(
    {
      name: 'external',
      description: 'the tiny server, untraced and auto-instrumented',
      service: { command: [process.execPath, tinyServer], url: 'http://127.0.0.1:{port}/', ready: 'listening' },
      // Open loop: every request sent is answered within its window, so the client's count is the server's.
      load: { mode: 'open', rate: 200, connections: 4, durationSec: 0.5, warmupSec: 0.5 },
      trials: 2,
      processes: 'pool',
      variants: [
        { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
        { name: 'auto always_on', instrumentation: 'auto', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
        { name: 'auto always_off', instrumentation: 'auto', env: { OTEL_TRACES_SAMPLER: 'always_off' } },
      ],
    },
    path.join(tmp, 'external.json'),
  );
  const run: RunDocument = await runScenario(scenario, { pin: false, flushTimeoutSec: 10 });
  const v = (name: string) => run.variants.find((x) => x.name === name)!;

  assert.equal(run.scenario.service?.kind, 'external');
  for (const variant of run.variants) {
    assert.ok(variant.lives.every((l) => l.final.flushed), `${variant.name}: every process ended by itself after SIGTERM`);
    assert.ok(variant.lives.every((l) => l.final.spans === undefined), `${variant.name}: a foreign process's own span counts are unknown`);
    assert.equal(variant.summary.spans.started, null);
    assert.equal(variant.summary.deliveryRatio, null);
    for (const t of variant.trials) {
      assert.ok(t.cpuUsPerRequest > 0, `${variant.name}: CPU per request from /proc`);
      assert.ok(t.window.cost.peakRssBytes > 0, `${variant.name}: peak RSS from /proc`);
      assert.equal(t.window.requests, null, 'requests are the load driver’s');
      assert.ok(Number.isNaN(t.serverTimeUs.p50), 'no server time from outside');
      assert.ok(t.load.latencyMs.p99 >= t.load.latencyMs.p50);
    }
    assert.ok(sumOf(variant, (l) => l.answeredRequests) > 0);
  }
  // One SERVER span per request made by the http instrumentation, the readiness probe's included.
  const on = v('auto always_on');
  assert.equal(on.summary.spans.received, sumOf(on, (l) => l.answeredRequests));
  assert.equal(on.summary.receivedSpansPerRequest, 1);
  assert.equal(v('untraced').summary.spans.received, 0);
  assert.equal(v('auto always_off').summary.spans.received, 0);
  assert.equal(on.instrumentation, 'auto');
  assert.match(on.description, /^auto-instrumentation · /);
  assert.deepEqual(await processesLeft(tinyServer), []);
});

test('the built-in service under zero-code instrumentation: its own spans off, the http instrumentation’s counted at the collector', async () => {
  const scenario = validateScenario(
    {
      name: 'builtin-auto',
      description: 'manual against automatic instrumentation on the built-in topology',
      load: tinyOpenLoad,
      trials: 2,
      processes: 'pool',
      variants: [
        { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
        { name: 'manual', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
        { name: 'auto', instrumentation: 'auto', env: { OTEL_TRACES_SAMPLER: 'always_on', OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http' } },
      ],
    },
    'test',
  );
  const run = await runScenario(scenario, { pin: false, flushTimeoutSec: 10 });
  const v = (name: string) => run.variants.find((x) => x.name === name)!;
  const manual = v('manual').summary;
  const auto = v('auto').summary;
  // The hand-written spans: every one counted by the service and received.
  assert.equal(manual.spans.received, manual.spans.ended);
  assert.equal(manual.receivedSpansPerRequest, run.spansPerRequestExpected);
  // Automatic, the http instrumentation alone: a server span per hop (4) and a client span per call (3),
  // nothing hand-written, nothing counted inside.
  assert.equal(auto.spans.started, null);
  assert.equal(auto.spans.received, auto.requests * 7);
  assert.ok(v('auto').lives.every((l) => l.final.flushed));
  assert.ok(v('auto').trials.every((t) => t.serverTimeUs.p99 >= t.serverTimeUs.p50), 'the built-in service still times its requests');
});

function tracetax(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function scenarioWith(name: string, service: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const file = path.join(tmp, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      description: 'a faulty service',
      service: { command: [process.execPath, tinyServer], url: 'http://127.0.0.1:{port}/', ...service },
      load: { mode: 'open', rate: 200, connections: 2, durationSec: 0.5, warmupSec: 0 },
      trials: 3,
      processes: 'pool',
      variants: [{ name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on' } }],
      ...extra,
    }),
  );
  return file;
}

test('--service-cmd: quick\'s variants against a plain server, instrumented with zero code by default', async () => {
  const out = path.join(tmp, 'quick-own');
  const hello = path.join(root, 'examples/hello-server.cjs');
  const result = tracetax('--scenario', 'quick', '--service-cmd', 'node', hello, '--service-url', 'http://127.0.0.1:{port}/', '--trials', '2', '--duration', '0.5', '--warmup', '0.5', '--out', out, '--no-pin');
  assert.equal(result.code, 0, result.stderr);
  const run = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8')) as RunDocument;
  const received = (name: string) => run.variants.find((v) => v.name === name)!.summary.spans.received!;
  assert.deepEqual(run.scenario.service?.kind === 'external' && run.scenario.service.command, ['node', hello]);
  assert.deepEqual(run.variants.map((v) => v.instrumentation), ['service', 'auto', 'auto', 'auto']);
  assert.equal(received('untraced'), 0);
  assert.equal(received('always_off'), 0);
  assert.ok(received('traceidratio 0.1') > 0 && received('traceidratio 0.1') < received('always_on'));
  assert.match(readFileSync(path.join(out, 'report.md'), 'utf8'), /Measured from outside: CPU/);
  assert.deepEqual(await processesLeft(hello), []);
});

const faults: [string, () => string[], number, RegExp][] = [
  ['a program that is not found', () => ['--scenario', 'quick', '--service-cmd', 'no-such-program-tracetax', '--service-url', 'http://127.0.0.1:{port}/'], 2, /no-such-program-tracetax was not found \(not on PATH\)/],
  ['a command that exits before it is ready', () => ['--scenario', scenarioWith('early', { env: { BEHAVIOUR: 'exit-early' } })], 2, /exited \(code 3\) before it was ready; last stderr: tiny-server: cannot open the database/],
  ['a service never ready', () => ['--scenario', scenarioWith('silent', { env: { BEHAVIOUR: 'silent' }, ready: 'listening', readyTimeoutSec: 1 })], 2, /was not ready within 1 s: waited for a stdout line with 'listening'/],
  ['a url that answers 404', () => ['--scenario', scenarioWith('notfound', { env: { BEHAVIOUR: 'not-found' }, ready: 'listening' })], 2, /is ready, but GET http:\/\/127\.0\.0\.1:\d+\/ answered 404/],
  ['a url off this machine', () => ['--scenario', scenarioWith('remote', { url: 'http://192.0.2.1:{port}/' })], 2, /is not on this machine: .*--allow-remote-target/],
  ['a fixed port with several processes at once', () => ['--scenario', scenarioWith('fixed', { url: 'http://127.0.0.1:3999/' })], 2, /has a fixed port, but processes 'pool' runs several at once/],
  ['a service that dies during the run', () => ['--scenario', scenarioWith('dies', { env: { BEHAVIOUR: 'die-after', DIE_AFTER: '150' }, ready: 'listening' }, { blocks: 1 })], 3, /round \d+, .*exited \(code 7\) during the run/],
];

for (const [what, args, code, message] of faults) {
  test(`${what}: exit ${code}, one line naming the cause, no results, nothing left running`, async () => {
    const out = path.join(tmp, `out-${what.replaceAll(' ', '-')}`);
    const result = tracetax(...args(), '--out', out, '--no-pin');
    assert.equal(result.code, code, `exit code; stderr: ${result.stderr}`);
    // The run's progress may come first; the error is one line, the last.
    const errors = result.stderr.trim().split('\n').filter((line) => line.startsWith('tracetax: '));
    assert.equal(errors.length, 1, result.stderr);
    assert.match(errors[0], message);
    assert.ok(result.stderr.trim().endsWith(errors[0]), result.stderr);
    assert.equal(existsSync(out), false, 'no partial results');
    assert.deepEqual(await processesLeft(tinyServer), []);
  });
}
