// Runtimes as a variant property: parsing, a baseline per runtime, matrices over runtimes, and the
// missing-runtime error; all without starting a process.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ScenarioError, validateScenario } from '../../src/scenario/validate.ts';
import { runtimeLabel } from '../../src/scenario/runtime.ts';
import { installCommand, runtimeNode, RuntimeMissingError, runtimeVersions } from '../../src/sut/runtimes.ts';

const scenario = (variants: unknown[]) => validateScenario({ name: 's', description: 'd', variants }, 'test');
const on = { OTEL_TRACES_SAMPLER: 'always_on' };

test('every traced variant gets an untraced baseline on its own runtime and flags, added where the file has none', () => {
  const s = scenario([
    { name: 'on', env: on },
    { name: 'on 24', runtime: 'node24', env: on },
    { name: 'on 22 acf', runtime: 'node22', nodeFlags: ['--experimental-async-context-frame'], env: on },
    { name: 'off 24', runtime: 'node24', env: { OTEL_TRACES_SAMPLER: 'always_off' } },
  ]);
  assert.deepEqual(
    s.variants.map((v) => [v.name, v.runtime]),
    [
      ['untraced', { nodeFlags: [] }],
      ['untraced node24', { runtime: 'node24', nodeFlags: [] }],
      ['untraced node22 --experimental-async-context-frame', { runtime: 'node22', nodeFlags: ['--experimental-async-context-frame'] }],
      ['on', { nodeFlags: [] }],
      ['on 24', { runtime: 'node24', nodeFlags: [] }],
      ['on 22 acf', { runtime: 'node22', nodeFlags: ['--experimental-async-context-frame'] }],
      ['off 24', { runtime: 'node24', nodeFlags: [] }],
    ],
  );
  // A file that names its own baselines keeps them; with no variant on tracetax's runtime none is added for it.
  const own = scenario([
    { name: 'base 20', runtime: 'node20', env: { OTEL_SDK_DISABLED: 'true' } },
    { name: 'on 20', runtime: 'node20', env: on },
  ]);
  assert.deepEqual(own.variants.map((v) => v.name), ['base 20', 'on 20']);
});

test('a matrix expands over runtimes, named by ${runtime}', () => {
  const s = scenario([{ matrix: { runtime: ['node20', 'node24'], OTEL_TRACES_SAMPLER: ['always_on', 'always_off'] }, name: '${OTEL_TRACES_SAMPLER} ${runtime}' }]);
  // No variant on tracetax's runtime: no baseline for it; the first added one leads.
  assert.deepEqual(s.variants.map((v) => v.name), ['untraced node20', 'untraced node24', 'always_on node20', 'always_on node24', 'always_off node20', 'always_off node24']);
  assert.equal(runtimeLabel({ runtime: 'node22', nodeFlags: ['--a', '--b'] }), 'node22 --a --b');
  assert.equal(runtimeLabel({ nodeFlags: [] }), '');
});

test('a bad runtime or flag list is one line naming the field', () => {
  for (const [variants, message] of [
    [[{ name: 'x', runtime: 'node18', env: on }], /^variants\[0\]\.runtime must be one of node20, node22, node24, got "node18"/],
    [[{ name: 'x', nodeFlags: '--x', env: on }], /^variants\[0\]\.nodeFlags must be a list of Node\.js flags/],
    [[{ name: 'x', nodeFlags: ['x'], env: on }], /^variants\[0\]\.nodeFlags must be a list of Node\.js flags/],
    [[{ matrix: { runtime: ['node24'] }, runtime: 'node22', env: on }], /^variants\[0\]: give the runtime either as runtime or in the matrix, not both/],
    [[{ matrix: { runtime: [] }, env: on }], /^variants\[0\]\.matrix\.runtime must be a non-empty list/],
    [[{ name: 'untraced node24', env: on }, { name: 'y', runtime: 'node24', env: on }], /'untraced node24' is taken by a traced variant/],
  ] as [unknown[], RegExp][]) {
    assert.throws(() => scenario(variants), (error: unknown) => error instanceof ScenarioError && message.test(error.message), String(message));
  }
});

test('a runtime that is not installed: one line naming the install command', () => {
  const saved = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = mkdtempSync(path.join(os.tmpdir(), 'tracetax-no-runtimes-'));
  try {
    assert.throws(
      () => runtimeNode('node24'),
      (error: unknown) =>
        error instanceof RuntimeMissingError &&
        error.message.includes(`Node.js ${runtimeVersions.node24}`) &&
        error.message.endsWith(`run '${installCommand}'`) &&
        !error.message.includes('\n'),
    );
  } finally {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  }
});

test('an SDK set other than tracetax\'s own: on a runtime new enough, for the service\'s own spans only', () => {
  const s = scenario([
    { name: 'on latest', runtime: 'node24', sdk: 'otel-latest', env: on },
    { name: 'on', runtime: 'node24', env: on },
  ]);
  assert.deepEqual(s.variants.map((v) => [v.name, v.sdk]), [['untraced node24', 'otel-0.223'], ['on latest', 'otel-latest'], ['on', 'otel-0.223']]);
  for (const [variants, message] of [
    [[{ name: 'x', sdk: 'otel-latest', env: on }], /^variants\[0\] \(x\): sdk 'otel-latest' needs Node\.js ≥ 22\.15\.0, and it would run on tracetax's own: give it runtime 'node22' or 'node24'/],
    [[{ name: 'x', runtime: 'node20', sdk: 'otel-latest', env: on }], /would run on node20 \(20\.20\.2\): give it runtime 'node22' or 'node24'/],
    [[{ name: 'x', runtime: 'node24', sdk: 'otel-latest', instrumentation: 'auto', env: on }], /with instrumentation 'auto': the register hook brings its own SDK/],
    [[{ name: 'x', runtime: 'node24', sdk: 'otel-latest', env: { OTEL_SDK_DISABLED: 'true' } }], /on an untraced variant: remove it/],
    [[{ name: 'x', sdk: 'otel-1.0', env: on }], /^variants\[0\]\.sdk must be one of otel-0\.223, otel-latest, got "otel-1\.0"/],
  ] as [unknown[], RegExp][]) {
    assert.throws(() => scenario(variants), (error: unknown) => error instanceof ScenarioError && message.test(error.message), String(message));
  }
  assert.throws(
    () =>
      validateScenario(
        { name: 's', description: 'd', service: { command: ['node', 'x.js'], url: 'http://127.0.0.1:{port}/' }, variants: [{ name: 'x', runtime: 'node24', sdk: 'otel-latest', env: on }] },
        'test',
      ),
    /variant 'x': sdk 'otel-latest' applies to the built-in service's tracing code; an external service brings its own SDK/,
  );
});
