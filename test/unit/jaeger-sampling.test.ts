// Jaeger remote sampling without sockets or processes: the strategies file (the same bytes a real Jaeger v2
// gave), strategies files named by scenario files, the rate-limiting sampler on a fake clock, and the
// OTEL_* parsing. Exact counts only. The /sampling server and the samplers in real processes are in
// test/e2e/jaeger-sampling.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ROOT_CONTEXT, SpanKind, context, trace, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { encodeStrategy, parseStrategies, strategyFor, StrategiesError } from '../../src/jaeger/sampling-strategies.ts';
import { ScenarioError, validateScenario } from '../../src/scenario/validate.ts';
import { TracingConfigError } from '../../src/tracing/defaults.ts';
import { describeTracing } from '../../src/tracing/describe.ts';
import { tracingConfigFromEnv } from '../../src/tracing/env.ts';
import { samplingBaseUrl } from '../../src/tracing/samplers/jaeger-remote.ts';
import { createSampler } from '../../src/tracing/samplers/registry.ts';
import { RateLimiter, RateLimitingSampler } from '../../src/tracing/samplers/rate-limiting.ts';
import { recordedFromJaeger, richStrategies } from '../support/jaeger-strategies.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

const edgeStrategies = {
  service_strategies: [
    { service: 'dup', type: 'probabilistic', param: 0.25 },
    { service: 'dup', type: 'probabilistic', param: 0.75 },
    { service: 'tiny', type: 'probabilistic', param: 0.0000001 },
    { service: 'esc', type: 'probabilistic', param: 0.3, operation_strategies: [{ operation: 'GET /a?b=<c>&d "q" é', type: 'probabilistic', param: 1 }] },
    { service: 'é ü', type: 'probabilistic', param: 0.125 },
  ],
};
// Recorded from the same Jaeger as recordedFromJaeger (../support/jaeger-strategies.ts) with this file.
const recordedEdges: Record<string, string> = {
  dup: '{"strategyType":0,"probabilisticSampling":{"samplingRate":0.75}}',
  tiny: '{"strategyType":0,"probabilisticSampling":{"samplingRate":1e-7}}',
  esc: '{"strategyType":0,"probabilisticSampling":{"samplingRate":0.3},"operationSampling":{"defaultSamplingProbability":0.3,"defaultLowerBoundTracesPerSecond":0,"perOperationStrategies":[{"operation":"GET /a?b=\\u003cc\\u003e\\u0026d \\"q\\" é","probabilisticSampling":{"samplingRate":1}}],"defaultUpperBoundTracesPerSecond":0}}',
  'é ü': '{"strategyType":0,"probabilisticSampling":{"samplingRate":0.125}}',
  unknown: '{"strategyType":0,"probabilisticSampling":{"samplingRate":0.001}}',
};

test('strategies file: the responses are the ones a real Jaeger v2 gave for the same file', () => {
  const rich = parseStrategies(JSON.stringify(richStrategies), 'rich.json');
  for (const [service, body] of Object.entries(recordedFromJaeger)) assert.equal(encodeStrategy(strategyFor(rich, service)), body, service);
  const edges = parseStrategies(JSON.stringify(edgeStrategies), 'edges.json');
  for (const [service, body] of Object.entries(recordedEdges)) assert.equal(encodeStrategy(strategyFor(edges, service)), body, service);
  // No file at all, and the project's own file for `npm run jaeger`.
  assert.equal(encodeStrategy(strategyFor(parseStrategies('{}', 'empty.json'), 'x')), '{"strategyType":0,"probabilisticSampling":{"samplingRate":0.001}}');
  const shipped = parseStrategies(readFileSync(path.join(root, 'scripts/jaeger/strategies.json'), 'utf8'), 'strategies.json');
  assert.equal(encodeStrategy(strategyFor(shipped, 'tracetax-service')), '{"strategyType":0,"probabilisticSampling":{"samplingRate":1}}');
});

test('strategies file: what Jaeger would silently replace is refused with one line naming the field', () => {
  const cases: [unknown, RegExp][] = [
    [{ default_strategy: { type: 'weird', param: 1 } }, /default_strategy\.type must be "probabilistic" or "ratelimiting", got "weird"/],
    [{ default_strategy: { type: 'probabilistic', param: 1.5 } }, /default_strategy\.param 1\.5 is not a probability in \[0, 1\]/],
    [{ default_strategy: { type: 'probabilistic' } }, /default_strategy\.param must be a number/],
    [{ service_strategies: [{ service: 'big', type: 'ratelimiting', param: 40000 }] }, /service_strategies\[0\]\.param 40000 is not a rate Jaeger can send \(0 to 32767/],
    [{ service_strategies: [{ service: 'neg', type: 'ratelimiting', param: -3.5 }] }, /param -3\.5 is not a rate/],
    [{ service_strategies: [{ type: 'probabilistic', param: 1 }] }, /service_strategies\[0\]\.service must be the service name/],
    [{ service_strategies: {} }, /service_strategies must be a list/],
    [{ default_stragety: {} }, /strategies\.default_stragety is not a field of Jaeger's strategies file: use default_strategy, service_strategies/],
    [{ default_strategy: { type: 'probabilistic', param: 1, operation_strategies: [{ op: 'x', type: 'probabilistic', param: 1 }] } }, /operation_strategies\[0\]\.op is not a field/],
    [[], /it must be an object/],
    // Jaeger skips these with a log line and samples the operation at the default probability.
    [
      { service_strategies: [{ service: 's', type: 'probabilistic', param: 0.5, operation_strategies: [{ operation: 'op-rl', type: 'ratelimiting', param: 3 }] }] },
      /^f\.json: service_strategies\[0\]\.operation_strategies\[0\] \(op-rl\) is ratelimiting, but Jaeger supports only probabilistic operation strategies: use type "probabilistic"/,
    ],
    [
      { default_strategy: { type: 'probabilistic', param: 1, operation_strategies: [{ operation: 'a', type: 'probabilistic', param: 1 }, { operation: 'b', type: 'ratelimiting', param: 1 }] } },
      /default_strategy\.operation_strategies\[1\] \(b\) is ratelimiting/,
    ],
  ];
  for (const [content, message] of cases) {
    assert.throws(
      () => parseStrategies(JSON.stringify(content), 'f.json'),
      (e: Error) => e instanceof StrategiesError && e.message.startsWith('f.json: ') && message.test(e.message) && !e.message.includes('\n'),
      JSON.stringify(content),
    );
  }
  assert.throws(
    () => parseStrategies('{"default_strategy":', 'g.json'),
    (e: Error) => e instanceof StrategiesError && /^g\.json is not JSON \(.*\): write it in Jaeger's strategies file format$/.test(e.message),
  );
});

test('scenario files: the strategies files are checked at load time, relative to the scenario file', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracetax-scenario-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 's.json'), '{"default_strategy":{"type":"probabilistic","param":0.5}}');
  writeFileSync(path.join(dir, 'bad.json'), '{"default_strategy":{"type":"probabilistic","param":5}}');
  const source = path.join(dir, 'my.ts');
  const spec = (extra: object, env: object = { OTEL_TRACES_SAMPLER: 'jaeger_remote' }) => ({ name: 'x', description: 'y', variants: [{ name: 'r', env }], ...extra });
  const ok = validateScenario(spec({ sampling: { strategiesFile: 's.json' } }, { OTEL_TRACES_SAMPLER: 'jaeger_remote', TRACETAX_SAMPLING_STRATEGIES: 's.json' }), source);
  assert.deepEqual(ok.sampling, { strategiesFile: path.join(dir, 's.json') });
  assert.equal(ok.variants[1].env.TRACETAX_SAMPLING_STRATEGIES, path.join(dir, 's.json'));
  const cases: [object, RegExp][] = [
    [spec({ sampling: { strategiesFile: 'nope.json' } }), /cannot read the strategies file .*nope\.json \(ENOENT\): check the path/],
    [spec({ sampling: { strategiesFile: 'bad.json' } }), /bad\.json: default_strategy\.param 5 is not a probability/],
    [spec({ sampling: { file: 's.json' } }), /sampling\.file is not a setting: use strategiesFile/],
    [spec({}, { OTEL_TRACES_SAMPLER: 'always_on', TRACETAX_SAMPLING_STRATEGIES: 's.json' }), /variant r: TRACETAX_SAMPLING_STRATEGIES applies only to OTEL_TRACES_SAMPLER=jaeger_remote/],
    [spec({}, { OTEL_TRACES_SAMPLER: 'jaeger_remote', OTEL_TRACES_SAMPLER_ARG: 'pollingIntervalMs=soon' }), /pollingIntervalMs=soon is not a positive whole number of ms/],
  ];
  for (const [raw, message] of cases) {
    assert.throws(() => validateScenario(raw, source), (e: Error) => e instanceof ScenarioError && message.test(e.message) && !e.message.includes('\n'), message.source);
  }
});

test('OTEL_TRACES_SAMPLER=jaeger_remote and tracetax_ratelimiting: the ARG parsed, defaults, and one-line errors', () => {
  const config = tracingConfigFromEnv({
    OTEL_TRACES_SAMPLER: 'jaeger_remote',
    OTEL_TRACES_SAMPLER_ARG: 'endpoint=http://localhost:5778/sampling, pollingIntervalMs=5000,initialSamplingRate=0.25',
  });
  assert.deepEqual(config.kind === 'sdk' && config.sampler, {
    name: 'jaeger_remote',
    jaegerRemote: { endpoint: 'http://localhost:5778/sampling', pollingIntervalMs: 5000, initialSamplingRate: 0.25 },
  });
  assert.match(describeTracing(config), /^jaeger_remote\(http:\/\/localhost:5778\/sampling, every 5000 ms, initial 0\.25\) · batch/);
  const defaults = tracingConfigFromEnv({ OTEL_TRACES_SAMPLER: 'jaeger_remote' });
  assert.deepEqual(defaults.kind === 'sdk' && defaults.sampler.name === 'jaeger_remote' && defaults.sampler.jaegerRemote, { endpoint: 'http://localhost:5778/sampling', pollingIntervalMs: 60000, initialSamplingRate: 0.001 });
  const limited = tracingConfigFromEnv({ OTEL_TRACES_SAMPLER: 'tracetax_ratelimiting', OTEL_TRACES_SAMPLER_ARG: '50' });
  assert.deepEqual(limited.kind === 'sdk' && limited.sampler, { name: 'tracetax_ratelimiting', tracesPerSecond: 50 });
  assert.match(describeTracing(limited), /^tracetax_ratelimiting\(50\/s\) · /);
  assert.equal(samplingBaseUrl('http://h:5778/sampling'), 'http://h:5778');
  assert.equal(samplingBaseUrl('http://h:5778/'), 'http://h:5778');

  const cases: [Record<string, string>, RegExp][] = [
    [{ OTEL_TRACES_SAMPLER_ARG: '0.1' }, /OTEL_TRACES_SAMPLER_ARG entry '0\.1' is not key=value: use e\.g\. endpoint=http:\/\/localhost:5778\/sampling,pollingIntervalMs=5000,initialSamplingRate=0\.25/],
    [{ OTEL_TRACES_SAMPLER_ARG: 'endpoint=' }, /entry 'endpoint=' is not key=value/],
    [{ OTEL_TRACES_SAMPLER_ARG: 'endpoint=localhost:5778' }, /endpoint 'localhost:5778' is not an http\(s\) URL: use e\.g\. http:\/\/localhost:5778\/sampling/],
    [{ OTEL_TRACES_SAMPLER_ARG: 'pollingIntervalMs=0' }, /pollingIntervalMs=0 is not a positive whole number of ms/],
    [{ OTEL_TRACES_SAMPLER_ARG: 'initialSamplingRate=2' }, /initialSamplingRate=2 is not a ratio in \[0, 1\]/],
    [{ OTEL_TRACES_SAMPLER_ARG: 'pollingIntervalMs=1,pollingIntervalMs=2' }, /names pollingIntervalMs twice/],
    [{ OTEL_TRACES_SAMPLER_ARG: 'interval=5' }, /key 'interval' is not a jaeger_remote setting: use endpoint, pollingIntervalMs or initialSamplingRate/],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => tracingConfigFromEnv({ OTEL_TRACES_SAMPLER: 'jaeger_remote', ...env }),
      (e: Error) => e instanceof TracingConfigError && message.test(e.message) && !e.message.includes('\n'),
      message.source,
    );
  }
  for (const arg of [undefined, '', '0', '-5', 'many']) {
    assert.throws(
      () => tracingConfigFromEnv({ OTEL_TRACES_SAMPLER: 'tracetax_ratelimiting', ...(arg === undefined ? {} : { OTEL_TRACES_SAMPLER_ARG: arg }) }),
      (e: Error) => e instanceof TracingConfigError && /is not traces per second for tracetax_ratelimiting: give a positive number, e\.g\. 50$/.test(e.message),
      String(arg),
    );
  }
});

test('the rate limiter on a fake clock: a full bucket, then exactly the credits earned', () => {
  let now = 1000;
  const sampler = new RateLimitingSampler(10, () => now);
  const decide = () => sampler.shouldSample().decision === SamplingDecision.RECORD_AND_SAMPLED;
  const sampledOf = (n: number) => Array.from({ length: n }, decide).filter(Boolean).length;
  // A burst of 100 roots at once: the bucket starts full at maxTracesPerSecond credits.
  assert.equal(sampledOf(100), 10);
  // Then 3 simulated seconds of 1,000 roots/s (one per ms): 10 credits earned per second, 30 in all.
  let sampled = 0;
  for (let i = 0; i < 3000; i++) {
    now += 1;
    if (decide()) sampled++;
  }
  assert.equal(sampled, 30);
  // Idle for a minute: the balance is capped at 10, not 600.
  now += 60_000;
  assert.equal(sampledOf(100), 10);
  // 0.5/s: the bucket holds one credit (Jaeger's max(rate, 1)), earned every 2 s.
  now = 0;
  const slow = new RateLimitingSampler(0.5, () => now);
  assert.equal(Array.from({ length: 5 }, () => slow.shouldSample().decision).filter((d) => d === SamplingDecision.RECORD_AND_SAMPLED).length, 1);
  now = 1999;
  assert.equal(slow.shouldSample().decision, SamplingDecision.NOT_RECORD);
  now = 4000;
  assert.equal(slow.shouldSample().decision, SamplingDecision.RECORD_AND_SAMPLED);
  // A sampled root carries Jaeger's sampler tags; a clock stepping back earns nothing.
  assert.deepEqual(new RateLimitingSampler(3, () => 0).shouldSample().attributes, { 'sampler.type': 'ratelimiting', 'sampler.param': 3 });
  let t = 100;
  const limiter = new RateLimiter(1, 1, () => t);
  assert.equal(limiter.checkCredit(), true);
  t = 50;
  assert.equal(limiter.checkCredit(), false);
  assert.throws(() => new RateLimitingSampler(0), RangeError);
});

test('tracetax_ratelimiting decides at the root and children follow their parent', () => {
  const sampler = createSampler({ name: 'tracetax_ratelimiting', tracesPerSecond: 1 });
  const root = () => sampler.shouldSample(ROOT_CONTEXT, '0af7651916cd43dd8448eb211c80319c', 'root', SpanKind.SERVER, {}, []).decision;
  const child = (sampled: boolean) =>
    sampler.shouldSample(
      trace.setSpanContext(context.active(), { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: true }),
      '0af7651916cd43dd8448eb211c80319c',
      'child',
      SpanKind.SERVER,
      {},
      [],
    ).decision;
  assert.equal(root(), SamplingDecision.RECORD_AND_SAMPLED);
  assert.equal(root(), SamplingDecision.NOT_RECORD, 'the one credit is spent');
  // Children cost no credit: a sampled parent's children are all sampled, an unsampled one's none.
  for (let i = 0; i < 50; i++) {
    assert.equal(child(true), SamplingDecision.RECORD_AND_SAMPLED);
    assert.equal(child(false), SamplingDecision.NOT_RECORD);
  }
});
