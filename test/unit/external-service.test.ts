// An external service and zero-code instrumentation in a scenario: what they resolve to, and every
// mistake refused with one line before any process starts.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { instrumentationEnv } from '../../src/sut/instrumentation.ts';
import { findProgram } from '../../src/sut/external/external.ts';
import { ScenarioError, validateScenario, type ScenarioOverrides } from '../../src/scenario/validate.ts';

const variants = [
  { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
  { name: 'auto on', instrumentation: 'auto', env: { OTEL_TRACES_SAMPLER: 'always_on', OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http' } },
];
const withService = (service: unknown, extra: Record<string, unknown> = {}) => ({ name: 's', description: 'd', service, variants, ...extra });
const scenarioFile = path.join(path.sep, 'work', 'scenarios', 'mine.json');

test('an external service resolves: cwd from the scenario file, {port} per process, ready by path or line', () => {
  const scenario = validateScenario(withService({ command: ['node', 'server.js'], url: 'http://127.0.0.1:{port}/items?x=1', cwd: '..', env: { MODE: 'fast', WORKERS: 2 } }), scenarioFile);
  assert.deepEqual(scenario.service, {
    kind: 'external',
    command: ['node', 'server.js'],
    url: 'http://127.0.0.1:{port}/items?x=1',
    ready: { kind: 'path', path: '/items?x=1' },
    readyTimeoutSec: 30,
    env: { MODE: 'fast', WORKERS: '2' },
    cwd: path.join(path.sep, 'work'),
    portPerProcess: true,
    allowRemoteTarget: false,
  });
  const byLine = validateScenario(withService({ command: ['x'], url: 'http://localhost:8080/', ready: 'listening on' }, { processes: 'fresh' }), scenarioFile);
  assert.deepEqual(byLine.service.kind === 'external' && byLine.service.ready, { kind: 'line', text: 'listening on' });
  assert.equal(byLine.service.kind === 'external' && byLine.service.portPerProcess, false);
  // Without `command`, `service` is still the built-in topology's work per hop.
  assert.deepEqual(validateScenario(withService({ frontend: { cpuUs: 5 } }), 'test').service, { kind: 'builtin' });
});

test('variants carry their instrumentation; the untraced baseline never has any', () => {
  const scenario = validateScenario(withService(undefined), 'test');
  assert.deepEqual(scenario.variants.map((v) => v.instrumentation), ['service', 'auto']);
  const matrix = validateScenario({ name: 's', description: 'd', variants: [{ matrix: { OTEL_TRACES_SAMPLER: ['always_on', 'always_off'] }, instrumentation: 'auto' }] }, 'test');
  assert.deepEqual(matrix.variants.map((v) => [v.name, v.instrumentation]), [['untraced', 'service'], ['always_on', 'auto'], ['always_off', 'auto']]);
});

test('the command line names the service instead of the scenario, and only loopback unless allowed', () => {
  const given: ScenarioOverrides = { service: { command: ['node', 'app.js'], url: 'http://127.0.0.1:{port}/', ready: '/health' } };
  const scenario = validateScenario(withService(undefined), 'test', given);
  assert.equal(scenario.service.kind, 'external');
  assert.equal(scenario.service.kind === 'external' && scenario.service.cwd, process.cwd());
  // --instrumentation sets every traced variant's; the untraced baseline keeps none.
  const service = validateScenario({ name: 's', description: 'd', variants: [{ name: 'on', env: {} }] }, 'test', { ...given, instrumentation: 'auto' });
  assert.deepEqual(service.variants.map((v) => v.instrumentation), ['service', 'auto']);
  const remote = validateScenario(withService(undefined), 'test', { service: { command: ['x'], url: 'http://192.0.2.7:{port}/' }, allowRemoteTarget: true });
  assert.equal(remote.service.kind === 'external' && remote.service.allowRemoteTarget, true);
});

test('every mistake in a service or an instrumentation is one line naming the field', () => {
  const cases: [unknown, ScenarioOverrides, RegExp][] = [
    [withService({ command: [], url: 'http://127.0.0.1:{port}/' }), {}, /^service\.command must be a non-empty list of strings/],
    [withService({ command: 'node server.js', url: 'http://127.0.0.1:{port}/' }), {}, /^service\.command must be a non-empty list/],
    [withService({ command: ['node'], url: 'not a url' }), {}, /^service\.url 'not a url' is not an http\(s\) URL/],
    [withService({ command: ['node'] }), {}, /^service\.url must be the URL the load goes to/],
    [withService({ command: ['node'], url: 'http://10.0.0.5:{port}/' }), {}, /is not on this machine: .*--allow-remote-target/],
    [withService({ command: ['node'], url: 'http://127.0.0.1:3000/' }), {}, /fixed port, but processes 'pool' runs several at once: put \{port\} in the url/],
    [withService({ command: ['node'], url: 'http://127.0.0.1:{port}/', env: { OTEL_TRACES_SAMPLER: 'always_on' } }), {}, /^service\.env\.OTEL_TRACES_SAMPLER: OTEL_\* variables belong to the variants/],
    [withService({ command: ['node'], url: 'http://127.0.0.1:{port}/', ready: '' }), {}, /^service\.ready must be a path/],
    [withService({ command: ['node'], url: 'http://127.0.0.1:{port}/', readyTimeoutSec: 0 }), {}, /^service\.readyTimeoutSec must be a positive number/],
    [withService({ command: ['node'], url: 'http://127.0.0.1:{port}/', shell: true }), {}, /^service\.shell is not a setting of an external service/],
    [withService(undefined), { service: { command: [''], url: 'http://127.0.0.1:{port}/' } }, /^--service-cmd needs the program/],
    [withService(undefined), { service: { command: ['x'], url: 'http://127.0.0.1:{port}/', ready: '' } }, /^--service-ready must be a path/],
    [withService(undefined), { instrumentation: 'manual' }, /^--instrumentation must be 'auto' .* or 'service'/],
    [{ name: 's', description: 'd', variants: [{ name: 'x', instrumentation: 'magic', env: {} }] }, {}, /^variants\[0\]\.instrumentation must be 'service' .* or 'auto'/],
    [{ name: 's', description: 'd', variants: [{ name: 'off', instrumentation: 'auto', env: { OTEL_SDK_DISABLED: 'true' } }] }, {}, /instrumentation 'auto' on an untraced variant/],
    [{ name: 's', description: 'd', variants: [{ name: 'p', instrumentation: 'auto', env: { TRACETAX_SPAN_PROCESSOR: 'simple' } }] }, {}, /TRACETAX_SPAN_PROCESSOR applies to tracetax's own SDK setup/],
  ];
  for (const [raw, overrides, message] of cases) {
    assert.throws(() => validateScenario(raw, scenarioFile, overrides), (error: unknown) => error instanceof ScenarioError && message.test(error.message) && !error.message.includes('\n'), String(message));
  }
});

test('zero-code instrumentation preloads the register hook after the inherited NODE_OPTIONS, and only for auto', () => {
  assert.deepEqual(instrumentationEnv('service', '--max-old-space-size=100'), {});
  const auto = instrumentationEnv('auto', '--max-old-space-size=100');
  assert.match(auto.NODE_OPTIONS, /^--max-old-space-size=100 --import "[^"]+esm-hook\.mjs" --require "[^"]+auto-instrumentations-node\/build\/src\/register\.js" --require "[^"]+exit-after-flush\.cjs"$/);
  assert.equal(auto.OTEL_METRICS_EXPORTER, 'none');
  assert.equal(instrumentationEnv('auto', undefined).NODE_OPTIONS.startsWith('--import '), true);
});

test('a program is found as the shell would: a path from the working folder, or a name on PATH', () => {
  assert.match(findProgram('node', '/', process.env.PATH) ?? '', /\/node$/);
  assert.equal(findProgram(process.execPath, '/'), process.execPath);
  assert.equal(findProgram('no-such-program-tracetax', '/', process.env.PATH), null);
  assert.equal(findProgram('./package.json', process.cwd()), null, 'not executable');
  assert.equal(findProgram('node', '/', ''), null, 'an empty PATH finds nothing');
});
