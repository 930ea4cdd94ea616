// The command line as a user meets it: real processes, exit codes, one-line errors, no partial results.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = path.join(root, 'src/cli/main.ts');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tracetax-cli-'));

function tracetax(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function scenarioFile(name: string, content: unknown): string {
  const file = path.join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

const tiny = {
  name: 'tiny',
  description: 'two short variants',
  load: { connections: 2, durationSec: 0.5, warmupSec: 0 },
  trials: 1,
  variants: [{ name: 'on', env: { OTEL_TRACES_SAMPLER: 'always_on' } }],
};

const fourMetrics = (values: number[]) => ({ cpuUsPerRequest: values, serverTimeP99: values, requestsPerSec: values, deliveryRatio: [] });
const baselineOf = (samples: Record<string, unknown>) => ({ kind: 'tracetax-baseline', schemaVersion: 1, scenario: 'quick', samples });

function withTakenPort<T>(fn: (port: number) => T | Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const holder = net.createServer().listen(0, '127.0.0.1', async () => {
      try {
        resolve(await fn((holder.address() as net.AddressInfo).port));
      } catch (error) {
        reject(error);
      } finally {
        holder.close();
      }
    });
  });
}

/** A folder that looks like a tracetax checkout but was never installed. */
function checkoutWithoutModules(): string {
  const dir = mkdtempSync(path.join(tmp, 'uninstalled-'));
  mkdirSync(path.join(dir, 'src/sut/builtin'), { recursive: true });
  writeFileSync(path.join(dir, 'src/sut/builtin/main.ts'), '');
  return dir;
}

function assertBadInput(result: ReturnType<typeof tracetax>, message: RegExp, out?: string) {
  assert.equal(result.code, 2, `exit code; stderr: ${result.stderr}`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line: ${result.stderr}`);
  assert.match(lines[0], /^tracetax: /);
  assert.match(lines[0], message);
  if (out) assert.equal(existsSync(out), false, 'no results folder');
}

test('bad input: one line, exit 2, no results folder', async () => {
  const out = path.join(tmp, 'never');
  const cases: [string[], RegExp][] = [
    [['--scenario', 'nope'], /unknown scenario 'nope': use one of .*quick/],
    [['--scenario', 'quick', '--duration', '0'], /--duration must be a positive number/],
    [['--scenario', 'quick', '--duration', 'soon'], /--duration must be a positive number/],
    [['--scenario', 'quick', '--connections', '0'], /--connections must be a positive whole number/],
    [['--scenario', 'quick', '--trials', '-1'], /--trials must be a positive whole number/],
    [['--scenario', 'quick', '--otlp-endpoint', 'jaeger'], /--otlp-endpoint 'jaeger' is not a URL/],
    [['--scenario', 'quick', '--seed', '1.5'], /--seed 1\.5 is not a seed: use a whole number/],
    [['--scenario', 'quick', '--precision', '0'], /--precision must be a positive number, got 0/],
    [['--scenario', 'quick', '--max-time', '-3'], /--max-time must be a positive number, got -3/],
    [['--scenario', 'quick', '--trials', '3', '--precision', '1'], /--trials fixes the number of rounds, --precision and --max-time let them run until precise/],
    [['--scenario', 'quick', '--processes', 'warm'], /--processes must be 'pairs' .* or 'fresh' .*, got "warm"/],
    [['--scenario', scenarioFile('ratio', { ...tiny, variants: [{ name: 'r', env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 1.5 } }] })], /OTEL_TRACES_SAMPLER_ARG=1.5 is not a ratio in \[0, 1\]/],
    [['--scenario', scenarioFile('sampler', { ...tiny, variants: [{ name: 's', env: { OTEL_TRACES_SAMPLER: 'mostly' } }] })], /OTEL_TRACES_SAMPLER=mostly is not a supported sampler/],
    [['--scenario', scenarioFile('processor', { ...tiny, variants: [{ name: 'p', env: { TRACETAX_SPAN_PROCESSOR: 'eager' } }] })], /TRACETAX_SPAN_PROCESSOR=eager is not a span processor: use batch or simple/],
    [['--scenario', scenarioFile('malformed', { ...tiny, load: { durationSec: 'long' } })], /load\.durationSec must be a positive number/],
    [['--scenario', path.join(tmp, 'missing.json')], /no scenario file at/],
    [['--scenario', 'quick', '--no-such-flag'], /Unknown argument/],
    [[], /name a scenario with --scenario NAME/],
    [['--scenario', 'quick', '--check', path.join(tmp, 'no-baseline.json')], /no baseline file at .*: save one first with --save-baseline/],
    [['--scenario', 'quick', '--check', scenarioFile('not-a-baseline', { hello: 1 })], /is not a tracetax baseline/],
    [['--scenario', 'quick', '--check', scenarioFile('bad-samples', baselineOf({ always_on: { ...fourMetrics([1]), cpuUsPerRequest: 'many' } }))], /samples\.always_on\.cpuUsPerRequest is not a list of numbers/],
    [['--scenario', 'quick', '--check', scenarioFile('other-variants', baselineOf({ renamed: fourMetrics([1.2, 1.3]) }))], /has no samples for 'always_on', 'traceidratio 0\.1', 'always_off'/],
    [['--scenario', 'quick', '--save-baseline', tmp], /--save-baseline .* is a folder: name a file/],
    [['--scenario', 'quick', '--check', mkdtempSync(path.join(tmp, 'empty-'))], /is a folder but not a tracetax checkout \(no src\/sut\/builtin\/main\.ts\)/],
    [['--scenario', 'quick', '--check', checkoutWithoutModules()], /has no installed dependencies: run 'npm ci' in /],
  ];
  for (const [args, message] of cases) assertBadInput(tracetax(...args, '--out', out), message, out);
  assertBadInput(tracetax('--scenario', 'quick', '--out', scenarioFile('a-file', {})), /--out .*a-file\.json: ENOTDIR: choose another folder/);
});

test('bad input: a taken collector port, an existing --out folder', async () => {
  const out = path.join(tmp, 'never-port');
  await withTakenPort((port) => {
    assertBadInput(tracetax('--scenario', scenarioFile('tiny', tiny), '--collector-port', String(port), '--out', out, '--no-pin'), new RegExp(`port ${port} on 127.0.0.1 is already in use`), out);
  });
  const full = mkdtempSync(path.join(tmp, 'full-'));
  writeFileSync(path.join(full, 'keep.txt'), 'mine');
  assertBadInput(tracetax('--scenario', scenarioFile('tiny', tiny), '--out', full), /already exists and is not empty/);
  assert.deepEqual(readdirSync(full), ['keep.txt']);
});

test('a run writes run.json, report.md and report.html whole, and prints the table', () => {
  const out = path.join(tmp, 'run');
  const result = tracetax('--scenario', scenarioFile('tiny', tiny), '--out', out, '--no-pin', '--seed', '1');
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(readdirSync(out).sort(), ['benchmark-action-bigger.json', 'benchmark-action-smaller.json', 'bmf.json', 'report.html', 'report.md', 'run.json']);
  const smaller = JSON.parse(readFileSync(path.join(out, 'benchmark-action-smaller.json'), 'utf8'));
  assert.ok(smaller.some((e: { name: string; unit: string }) => e.name === 'tiny: on CPU per request' && e.unit === 'µs'));
  const bmf = JSON.parse(readFileSync(path.join(out, 'bmf.json'), 'utf8'));
  const cpu = bmf['tiny/on']['cpu-us-per-request'];
  assert.ok(cpu.lower_value <= cpu.value && cpu.value <= cpu.upper_value);
  assert.deepEqual(readdirSync(tmp).filter((f) => f.includes('.tmp-')), [], 'no temporary folder left');
  const run = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8'));
  assert.deepEqual(run.variants.map((v: { name: string }) => v.name), ['untraced', 'on']);
  assert.match(result.stdout, /^tiny: 1 round \(fixed\); median ± 95% CI; Δ against untraced/m);
  assert.match(result.stdout, /^on\s/m);
  // Progress went to stderr, one line per trial and per round when not on a terminal.
  assert.match(result.stderr, /^round 1 untraced: .* µs\/req/m);
  assert.match(result.stderr, /^round 1 on: .* µs\/req/m);
  assert.match(result.stderr, /^block 1: fresh processes for every variant/m);
  assert.match(result.stderr, /^round 1 \(block 1\) done at \d+:\d\d\n/m);
  const report = readFileSync(path.join(out, 'report.md'), 'utf8');
  assert.match(report, /## Overhead against the untraced baseline/);
  assert.match(report, /\| on \|/);
});

test('serve: runs the service alone, answers, and stops on Ctrl-C', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--variant', 'always_on', '--port', '0'], { cwd: root });
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening`)));
  });
  const response = await fetch(url);
  assert.equal(response.status, 200);
  assert.match(await response.text(), /hello tracetax/);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  assert.equal(await exited, 0);
  assert.match(stdout, /stopped after 1 requests; spans started 8, sampled 8/);
});

test('serve: an unknown variant and a taken port are bad input', async () => {
  assertBadInput(tracetax('serve', '--variant', 'sometimes'), /unknown variant 'sometimes': use one of/);
  await withTakenPort((port) => {
    const result = tracetax('serve', '--variant', 'untraced', '--port', String(port));
    assert.equal(result.code, 2);
    assert.match(result.stderr, new RegExp(`port ${port} on 127.0.0.1 is already in use`));
  });
});

test('the gate: exit 0 on an unchanged tree, 1 with a planted regression, and the verdict names the metric', () => {
  // Wide thresholds keep the unchanged check clear of noise (its interval must stay below them to pass, not
  // only its change); the planted regression (10⁶ loop iterations a span, several times the request's CPU) is far beyond them.
  const gated = scenarioFile('gated', {
    ...tiny,
    name: 'gated',
    load: { connections: 4, durationSec: 0.8, warmupSec: 0.2 },
    trials: 4,
    variants: [{ name: 'on', env: { OTEL_TRACES_SAMPLER: 'always_on', OTEL_BSP_MAX_QUEUE_SIZE: 65536, OTEL_BSP_SCHEDULE_DELAY: 100 } }],
    gate: { thresholds: { cpuUsPerRequest: 300, serverTimeP99: 3000, requestsPerSec: 90, deliveryRatio: 50 } },
  });
  const baselineFile = path.join(tmp, 'baseline.json');
  const saved = tracetax('--scenario', gated, '--save-baseline', baselineFile, '--out', path.join(tmp, 'gate-save'), '--no-pin');
  assert.equal(saved.code, 0, saved.stderr);
  assert.equal(JSON.parse(readFileSync(baselineFile, 'utf8')).samples.on.cpuUsPerRequest.length, 4);

  const unchanged = tracetax('--scenario', gated, '--check', baselineFile, '--out', path.join(tmp, 'gate-same'), '--no-pin');
  assert.equal(unchanged.code, 0, unchanged.stdout + unchanged.stderr);
  assert.match(unchanged.stdout, /^PASS: /m);

  const planted = tracetax('--scenario', gated, '--check', baselineFile, '--plant-span-iterations', '1000000', '--out', path.join(tmp, 'gate-planted'), '--no-pin');
  assert.equal(planted.code, 1, planted.stdout + planted.stderr);
  assert.match(planted.stdout, /^FAIL: on CPU µs\/request overhead \+\d/m);
  const verdict = JSON.parse(readFileSync(path.join(tmp, 'gate-planted', 'verdict.json'), 'utf8'));
  assert.ok(verdict.failures.some((r: { metric: string }) => r.metric === 'cpuUsPerRequest'));
  assert.match(readFileSync(path.join(tmp, 'gate-planted', 'report.md'), 'utf8'), /## Regression check[^]*\*\*FAIL: on CPU µs\/request overhead/);
  assert.match(readFileSync(path.join(tmp, 'gate-planted', 'report.html'), 'utf8'), /<section id="verdict"><h2>Regression check<\/h2>[^]*<strong>FAIL: on CPU µs\/request overhead/);

  const otherScenario = tracetax('--scenario', 'quick', '--check', baselineFile);
  assert.equal(otherScenario.code, 2);
  assert.match(otherScenario.stderr, /was saved from scenario 'gated', not 'quick'/);
});

test('the gate in the same run: this tree beside a base checkout (here itself), each against its own untraced; a plant in this tree only', () => {
  const gated = scenarioFile('gated-same-run', {
    ...tiny,
    name: 'gated-same-run',
    load: { connections: 4, durationSec: 0.8, warmupSec: 0.2 },
    processes: 'pairs',
    trials: 3,
    // One block: the gate's mechanics on three rounds of one process each (blocks are tested in test/unit/blocks.test.ts).
    blocks: 1,
    variants: [{ name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } }, { name: 'on', env: { OTEL_TRACES_SAMPLER: 'always_on', OTEL_BSP_MAX_QUEUE_SIZE: 65536 } }],
    gate: { thresholds: { cpuUsPerRequest: 300, serverTimeP99: 3000, requestsPerSec: 90, deliveryRatio: 50 } },
  });
  const unchanged = tracetax('--scenario', gated, '--check', root, '--out', path.join(tmp, 'same-run'), '--no-pin');
  assert.equal(unchanged.code, 0, unchanged.stdout + unchanged.stderr);
  assert.match(unchanged.stdout, /^PASS: .*against the base checkout in the same run/m);
  const run = JSON.parse(readFileSync(path.join(tmp, 'same-run', 'run.json'), 'utf8'));
  assert.equal(run.base.path, path.resolve(root));
  assert.deepEqual(run.variants.map((v: { name: string }) => v.name), ['untraced', 'on', 'base:untraced', 'base:on']);
  const byName = Object.fromEntries(run.variants.map((v: { name: string }) => [v.name, v]));
  assert.equal(byName['base:on'].tree, 'base');
  assert.equal(byName['base:on'].comparedWith, 'base:untraced');
  assert.equal(byName['base:untraced'].comparison.cpuUsPerRequest.change, null, "the base's untraced is its own baseline");
  // In pairs each traced window has its own tree's untraced window beside it, and both trees share the slice.
  for (const t of byName['base:untraced'].trials) assert.equal(t.pairedWith, 'base:on');
  const slice = (name: string) => byName[name].trials.map((t: { trial: number; order: number; startedAt: string }) => `${t.trial}/${t.order}/${t.startedAt}`);
  for (const name of ['untraced', 'base:untraced', 'base:on']) assert.deepEqual(slice(name), slice('on'), name);
  for (const name of ['on', 'base:on']) assert.equal(byName[name].summary.spans.received, byName[name].summary.spans.ended, `${name}: every span arrived`);
  const verdict = JSON.parse(readFileSync(path.join(tmp, 'same-run', 'verdict.json'), 'utf8'));
  assert.equal(verdict.mode, 'same-run');
  const cpu = verdict.rows.find((r: { metric: string }) => r.metric === 'cpuUsPerRequest');
  assert.equal(cpu.test.method, 'paired-t');
  assert.equal(cpu.test.rounds, 3);

  const planted = tracetax('--scenario', gated, '--check', root, '--plant-span-iterations', '1000000', '--out', path.join(tmp, 'same-run-planted'), '--no-pin');
  assert.equal(planted.code, 1, planted.stdout + planted.stderr);
  assert.match(planted.stdout, /^FAIL: on CPU µs\/request overhead \+\d/m);
  const plantedRun = JSON.parse(readFileSync(path.join(tmp, 'same-run-planted', 'run.json'), 'utf8'));
  const env = (name: string) => plantedRun.variants.find((v: { name: string }) => v.name === name).env;
  assert.equal(env('on').TRACETAX_PLANTED_SPAN_ITERATIONS, '1000000');
  assert.equal(env('base:on').TRACETAX_PLANTED_SPAN_ITERATIONS, undefined, 'the base runs as it is');
});
