// A variant on another Node.js really runs there: the service reports process.version, recorded per
// trial; its overhead is against the untraced variant on the same runtime; a missing runtime stops the
// run before any load. Needs `npm run runtimes -- --install` (.ci/run does it); skips elsewhere only.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runMicro } from '../../src/micro/run.ts';
import { runScenario } from '../../src/run/run.ts';
import { validateScenario } from '../../src/scenario/validate.ts';
import { installCommand, runtimeFolder, runtimeVersions } from '../../src/sut/runtimes.ts';
import { isCI } from '../support/ci-env.ts';
import { tinyOpenLoad } from '../support/tiny-load.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const installed = existsSync(path.join(runtimeFolder('node24'), 'bin', 'node'));
const skip = installed ? false : isCI() ? false : `Node.js ${runtimeVersions.node24} is not installed: run '${installCommand}'`;

test('a variant on node24 runs on Node.js 24, against the untraced variant on node24', { skip }, async () => {
  const scenario = validateScenario(
    {
      name: 'runtimes-e2e',
      description: 'one traced variant on tracetax’s runtime and one on node24',
      load: tinyOpenLoad,
      trials: 2,
      variants: [
        { name: 'on', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
        { name: 'on node24', runtime: 'node24', nodeFlags: ['--max-semi-space-size=16'], env: { OTEL_TRACES_SAMPLER: 'always_on' } },
      ],
    },
    'test',
  );
  const run = await runScenario(scenario, { pin: false, flushTimeoutSec: 10 });
  const v = (name: string) => run.variants.find((x) => x.name === name)!;
  assert.deepEqual(run.variants.map((x) => x.name), ['untraced', 'untraced node24 --max-semi-space-size=16', 'on', 'on node24']);
  for (const name of ['untraced node24 --max-semi-space-size=16', 'on node24']) {
    assert.deepEqual(v(name).trials.map((t) => t.node), [`v${runtimeVersions.node24}`, `v${runtimeVersions.node24}`], name);
  }
  for (const name of ['untraced', 'on']) assert.deepEqual(v(name).trials.map((t) => t.node), [process.version, process.version], name);
  assert.equal(v('on node24').comparedWith, 'untraced node24 --max-semi-space-size=16');
  assert.equal(v('on').comparedWith, undefined);
  assert.equal(v('untraced node24 --max-semi-space-size=16').comparison.cpuUsPerRequest.change, null, 'a baseline of its own');
  const s = v('on node24').summary;
  assert.equal(s.spans.received, s.spans.ended);
  assert.equal(s.spans.ended, s.requests * run.spansPerRequestExpected);
});

const sdkInstalled = existsSync(path.join(root, 'sdks/otel-latest/node_modules/@opentelemetry/sdk-trace'));
const sdkSkip = installed && sdkInstalled ? false : isCI() ? false : `the otel-latest SDK set or Node.js 24 is not installed: run '${installCommand}'`;

test('a variant on the otel-latest SDK set loads @opentelemetry/sdk-trace 3.x, and every span it ends arrives', { skip: sdkSkip }, async () => {
  const scenario = validateScenario(
    {
      name: 'sdk-e2e',
      description: 'always_on with both SDK sets on node24',
      load: tinyOpenLoad,
      trials: 2,
      variants: [
        { name: 'on 0.223', runtime: 'node24', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
        { name: 'on latest', runtime: 'node24', sdk: 'otel-latest', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
        { name: 'on latest http', runtime: 'node24', sdk: 'otel-latest', env: { OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' } },
      ],
    },
    'test',
  );
  const run = await runScenario(scenario, { pin: false, flushTimeoutSec: 10 });
  const v = (name: string) => run.variants.find((x) => x.name === name)!;
  assert.deepEqual(v('on 0.223').trials.map((t) => t.sdk), ['@opentelemetry/sdk-trace-base 2.x', '@opentelemetry/sdk-trace-base 2.x']);
  for (const name of ['on latest', 'on latest http']) {
    assert.equal(v(name).sdk, 'otel-latest');
    assert.deepEqual(v(name).trials.map((t) => t.sdk), ['@opentelemetry/sdk-trace 3.x', '@opentelemetry/sdk-trace 3.x'], name);
  }
  for (const name of ['on 0.223', 'on latest', 'on latest http']) {
    const s = v(name).summary;
    assert.equal(s.spans.ended, s.requests * run.spansPerRequestExpected, name);
    assert.equal(s.spans.received, s.spans.ended, name);
  }
});

test('a micro run on node24 with the otel-latest set runs there, children included, and says so in micro.json', { skip: sdkSkip }, async () => {
  const doc = await runMicro(
    {
      kind: 'micro',
      name: 'micro-elsewhere',
      description: 'tiny budgets on another runtime and SDK set',
      source: 'test',
      taskTimeMs: 5,
      taskWarmupMs: 0,
      spec: { warmupSec: 0, maxRateSec: 0.3, fixedRatePerSec: 1000, fixedRateSec: 0.3, repeats: 1 },
      runtime: { runtime: 'node24', nodeFlags: [] },
      sdk: 'otel-latest',
    },
    { pin: false, version: 'test', asyncCountRequests: 10 },
  );
  assert.equal(doc.environment.node, `v${runtimeVersions.node24}`);
  assert.equal(doc.environment.sdk, 'otel-latest');
  assert.equal(doc.environment.sdkLine, '@opentelemetry/sdk-trace 3.x');
  assert.equal(doc.environment.packages['@opentelemetry/sdk-trace'], '3.1.1');
  assert.ok(doc.results.length > 0 && doc.results.every((r) => r.samples > 0));
  // The spec benchmark's exporting child ran on the same set: what it exported in the window arrived (and what it exported before it).
  assert.ok(doc.spec!.maxRate.exported > 0);
  assert.ok(doc.spec!.maxRate.received >= doc.spec!.maxRate.exported);
});

test('a runtime that is not installed: exit 2 and one line naming the install command, before any process starts', () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'tracetax-rt-')), 'rt.json');
  writeFileSync(file, JSON.stringify({ name: 'rt', description: 'd', trials: 1, variants: [{ name: 'on', runtime: 'node22', env: {} }] }));
  const out = path.join(path.dirname(file), 'out');
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), '--scenario', file, '--out', out, '--no-pin'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, XDG_CACHE_HOME: path.dirname(file) },
    timeout: 60_000,
  });
  assert.equal(result.status, 2, result.stderr);
  assert.deepEqual(result.stderr.trim().split('\n'), [
    `tracetax: runtime node22 (Node.js ${runtimeVersions.node22}) is not installed at ${path.join(path.dirname(file), 'tracetax', 'runtimes', `node-v${runtimeVersions.node22}`)}: run '${installCommand}'`,
  ]);
  assert.equal(existsSync(out), false);
});
