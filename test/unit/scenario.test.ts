import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listShippedScenarios, loadScenario } from '../../src/scenario/load.ts';
import { ScenarioError, validateScenario } from '../../src/scenario/validate.ts';
import { tracingConfigFromEnv } from '../../src/tracing/env.ts';

const minimal = { name: 's', description: 'd', variants: [{ name: 'on', env: { OTEL_TRACES_SAMPLER: 'always_on' } }] };

test('defaults fill what a file leaves out, and the untraced baseline is added first', () => {
  const scenario = validateScenario(minimal, 'test');
  // 2-s slices in the warm pool; a fresh process's trial measures 10 s.
  assert.deepEqual(scenario.load, { mode: 'closed', connections: 16, durationSec: 2, warmupSec: 5, concurrent: false });
  assert.equal(validateScenario({ ...minimal, processes: 'fresh' }, 'test').load.durationSec, 10);
  assert.deepEqual(scenario.rounds, { kind: 'until-precise', precisionPts: 2, maxTimeSec: 300, minRounds: 4 });
  assert.equal(scenario.processes, 'pool');
  assert.deepEqual(scenario.variants.map((v) => v.name), ['untraced', 'on']);
  assert.equal(tracingConfigFromEnv(scenario.variants[0].env).kind, 'untraced');
  assert.deepEqual(scenario.shape.frontend, { cpuUs: 20, sleepMs: 0 });
  assert.deepEqual(scenario.gate, { thresholds: { cpuUsPerRequest: 5, serverTimeP99: 10, requestsPerSec: 5, deliveryRatio: 0.1 }, alpha: 0.05 });
});

test('the open-loop mode takes a fixed rate or a share of saturation; --rate switches any scenario to it', () => {
  const fixed = validateScenario({ ...minimal, load: { mode: 'open', rate: 250 } }, 'test');
  assert.deepEqual(fixed.load, { mode: 'open', rate: { kind: 'fixed', perSec: 250 }, connections: 64, durationSec: 2, warmupSec: 5, concurrent: false });
  const share = validateScenario({ ...minimal, processes: 'pool' }, 'test', { rate: '80%' });
  assert.deepEqual(share.load.rate, { kind: 'saturation-share', share: 0.8 });
  assert.equal(share.load.mode, 'open');
  assert.equal(validateScenario(minimal, 'test').load.mode, 'closed');
  for (const [raw, overrides, message] of [
    [{ ...minimal, load: { mode: 'open' } }, {}, /load\.rate is needed with mode 'open'/],
    [{ ...minimal, load: { concurrent: true } }, {}, /load\.concurrent needs mode 'open'/],
    [{ ...minimal, load: { mode: 'open', rate: 100, concurrent: 'yes' } }, {}, /load\.concurrent must be true or false/],
    [{ ...minimal, load: { mode: 'open', rate: 100, concurrent: true } }, { rate: '50%' }, /--rate 50% is a share of saturation, but load\.concurrent/],
    [{ ...minimal, load: { rate: 100 } }, {}, /load\.rate applies only to mode 'open'/],
    [{ ...minimal, load: { mode: 'sideways' } }, {}, /load\.mode must be closed or open/],
    [{ ...minimal, load: { mode: 'open', rate: '150%' } }, {}, /load\.rate 150% must be a share in \(0%, 100%\]/],
    [minimal, { rate: 'fast' }, /--rate must be requests per second/],
    [minimal, { rate: '-5' }, /--rate must be requests per second/],
    [{ ...minimal, load: { speed: 1 } }, {}, /load\.speed is not a setting/],
  ] as const) {
    assert.throws(() => validateScenario(raw, 'test', overrides), message);
  }
});

test('gate thresholds from the file override the defaults one by one', () => {
  const scenario = validateScenario({ ...minimal, gate: { thresholds: { cpuUsPerRequest: 8 }, alpha: 0.01 } }, 'test');
  assert.deepEqual(scenario.gate, { thresholds: { cpuUsPerRequest: 8, serverTimeP99: 10, requestsPerSec: 5, deliveryRatio: 0.1 }, alpha: 0.01 });
});

test('an untraced variant of the file is moved first, not duplicated', () => {
  const scenario = validateScenario(
    { ...minimal, variants: [...minimal.variants, { name: 'base', env: { OTEL_SDK_DISABLED: true } }] },
    'test',
  );
  assert.deepEqual(scenario.variants.map((v) => v.name), ['base', 'on']);
  assert.equal(scenario.variants[0].env.OTEL_SDK_DISABLED, 'true');
});

test('a matrix expands to the cartesian product with templated names and shared settings', () => {
  const scenario = validateScenario(
    {
      ...minimal,
      variants: [
        {
          matrix: { OTEL_TRACES_SAMPLER: ['traceidratio', 'parentbased_traceidratio'], OTEL_TRACES_SAMPLER_ARG: [1, 0.5, 0.001] },
          env: { OTEL_BSP_SCHEDULE_DELAY: 200 },
          name: '${OTEL_TRACES_SAMPLER}@${OTEL_TRACES_SAMPLER_ARG}',
        },
      ],
    },
    'test',
  );
  assert.equal(scenario.variants.length, 1 + 6);
  assert.deepEqual(scenario.variants.slice(1).map((v) => v.name), [
    'traceidratio@1',
    'traceidratio@0.5',
    'traceidratio@0.001',
    'parentbased_traceidratio@1',
    'parentbased_traceidratio@0.5',
    'parentbased_traceidratio@0.001',
  ]);
  assert.deepEqual(scenario.variants[2].env, { OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5' });
});

test('overrides replace the file values and are checked the same way', () => {
  const scenario = validateScenario(minimal, 'test', { durationSec: 1.5, connections: 2, trials: 5, warmupSec: 0 });
  assert.deepEqual(scenario.load, { mode: 'closed', connections: 2, durationSec: 1.5, warmupSec: 0, concurrent: false });
  assert.deepEqual(scenario.rounds, { kind: 'fixed', count: 5 });
  for (const [overrides, message] of [
    [{ durationSec: 0 }, /--duration must be a positive number, got 0/],
    [{ connections: -1 }, /--connections must be a positive whole number/],
    [{ connections: 1.5 }, /--connections must be a positive whole number/],
    [{ trials: 0 }, /--trials must be a positive whole number/],
    [{ warmupSec: -1 }, /--warmup must be a non-negative number/],
    [{ warmupRequests: 2.5 }, /--warmup-requests must be a non-negative whole number/],
    [{ warmupSec: 1, warmupRequests: 100 }, /--warmup and --warmup-requests both given/],
  ] as const) {
    assert.throws(() => validateScenario(minimal, 'test', overrides), message);
  }
});

test('a warm-up counts seconds or requests: the file may give one, and the command line replaces it in either unit', () => {
  const inRequests = { ...minimal, load: { warmupRequests: 4000 } };
  assert.equal(validateScenario(inRequests, 'test').load.warmupRequests, 4000);
  assert.equal(validateScenario(minimal, 'test').load.warmupRequests, undefined);
  assert.equal(validateScenario(inRequests, 'test', { warmupSec: 2 }).load.warmupRequests, undefined, '--warmup replaces the count');
  assert.equal(validateScenario(inRequests, 'test', { warmupSec: 2 }).load.warmupSec, 2);
  assert.equal(validateScenario(minimal, 'test', { warmupRequests: 500 }).load.warmupRequests, 500);
  assert.throws(() => validateScenario({ ...minimal, load: { warmupSec: 1, warmupRequests: 10 } }, 'test'), /load\.warmupSec and load\.warmupRequests both set/);
  assert.throws(() => validateScenario({ ...minimal, load: { warmupRequests: -1 } }, 'test'), /load\.warmupRequests must be a non-negative whole number/);
});

test('a malformed scenario names the field that is wrong', () => {
  const cases: [unknown, RegExp][] = [
    [[], /the scenario must be an object/],
    [{ ...minimal, name: '' }, /^name must be a non-empty string/],
    [{ ...minimal, variants: [] }, /variants must be a non-empty list/],
    [{ ...minimal, variants: [{ env: {} }] }, /variants\[0\]\.name must be a non-empty string/],
    [{ ...minimal, variants: [{ name: 'x', env: { OTEL_TRACES_SAMPLR: 'always_on' } }] }, /variants\[0\]\.env\.OTEL_TRACES_SAMPLR is not a tracing setting/],
    [{ ...minimal, variants: [{ name: 'x', env: { OTEL_TRACES_SAMPLER: 'maybe' } }] }, /variants\[0\] \(x\): OTEL_TRACES_SAMPLER=maybe is not a supported sampler/],
    [{ ...minimal, variants: [{ name: 'x', env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 2 } }] }, /not a ratio in \[0, 1\]/],
    [{ ...minimal, variants: [{ matrix: { OTEL_TRACES_SAMPLER_ARG: [] } }] }, /variants\[0\]\.matrix\.OTEL_TRACES_SAMPLER_ARG must be a non-empty list/],
    [{ ...minimal, variants: [minimal.variants[0], minimal.variants[0]] }, /the name 'on' is used twice/],
    [{ ...minimal, variants: [{ name: 'untraced', env: {} }] }, /'untraced' is taken by a traced variant/],
    [{ ...minimal, load: { connections: 0 } }, /load\.connections must be a positive whole number/],
    [{ ...minimal, service: { cache: { cpuUs: 1 } } }, /service\.cache is not a hop/],
    [{ ...minimal, collector: { delay: 1 } }, /collector\.delay is not a setting: use responseDelayMs/],
    [{ ...minimal, gate: { thresholds: { memory: 5 } } }, /gate\.thresholds\.memory is not a gated metric/],
    [{ ...minimal, gate: { alpha: 1.5 } }, /gate\.alpha must be below 1/],
    [{ ...minimal, collector: { responseDelayMs: -1 } }, /collector\.responseDelayMs must be a non-negative number/],
    [{ ...minimal, service: { db: { cpuUs: -5 } } }, /service\.db\.cpuUs must be a non-negative number/],
  ];
  for (const [raw, message] of cases) {
    assert.throws(() => validateScenario(raw, 'test'), (error: Error) => error instanceof ScenarioError && message.test(error.message));
  }
});

test('every shipped scenario is valid, and the required ones are there', async () => {
  const names = listShippedScenarios();
  for (const required of ['quick', 'sampling-ratios', 'batch-processor']) assert.ok(names.includes(required), required);
  for (const name of names) {
    const scenario = await loadScenario(name);
    assert.equal(scenario.name, name);
    assert.equal(tracingConfigFromEnv(scenario.variants[0].env).kind, 'untraced');
  }
  const sampling = await loadScenario('sampling-ratios');
  assert.equal(sampling.variants.length, 13);
});

test('an unknown scenario lists the known ones', async () => {
  const shipped = listShippedScenarios();
  assert.ok(shipped.length >= 3);
  await assert.rejects(loadScenario('nope'), (error: Error) => error.message === `unknown scenario 'nope': use one of ${shipped.join(', ')}, or a path to your own scenario file`);
  await assert.rejects(loadScenario('./missing.ts'), /no scenario file at missing\.ts/);
});

test('rounds: a fixed count, or until precise; the command line wins over the file, and one may not ask for both', () => {
  assert.deepEqual(validateScenario({ ...minimal, trials: 3 }, 'test').rounds, { kind: 'fixed', count: 3 });
  assert.deepEqual(validateScenario({ ...minimal, precision: 1, maxTimeSec: 60 }, 'test').rounds, { kind: 'until-precise', precisionPts: 1, maxTimeSec: 60, minRounds: 4 });
  // --precision or --max-time turn a file's fixed rounds into rounds until precise, and --trials the other way round.
  assert.deepEqual(validateScenario({ ...minimal, trials: 3 }, 'test', { maxTimeSec: 30 }).rounds, { kind: 'until-precise', precisionPts: 2, maxTimeSec: 30, minRounds: 4 });
  assert.deepEqual(validateScenario({ ...minimal, precision: 1 }, 'test', { trials: 2 }).rounds, { kind: 'fixed', count: 2 });
  assert.equal(validateScenario(minimal, 'test', { processes: 'fresh' }).processes, 'fresh');
  for (const [raw, overrides, message] of [
    [minimal, { trials: 2, precision: 1 }, /--trials fixes the number of rounds, --precision and --max-time let them run until precise/],
    [{ ...minimal, trials: 2, maxTimeSec: 60 }, {}, /trials fixes the number of rounds, precision and maxTimeSec/],
    [minimal, { precision: 0 }, /--precision must be a positive number/],
    [{ ...minimal, maxTimeSec: -5 }, {}, /scenario\.maxTimeSec must be a positive number/],
    [{ ...minimal, processes: 'warm' }, {}, /processes must be 'pairs' .* 'pool' .* or 'fresh' .*, got "warm"/],
    [minimal, { processes: 'cold' }, /--processes must be 'pairs'/],
    [{ ...minimal, trails: 3 }, {}, /trails is not a setting of a scenario: use name, description/],
    [{ ...minimal, processes: 'pairs' }, { rate: '50%' }, /a rate of 50% of saturation with processes 'pairs' loads two services on one core at 100% of it: use processes 'pool'/],
  ] as const) {
    assert.throws(() => validateScenario(raw, 'test', overrides), (e: unknown) => e instanceof ScenarioError && message.test(e.message), JSON.stringify(overrides));
  }
});
