// Jaeger remote sampling: the strategies file, the embedded /sampling server (real HTTP on loopback,
// and compared byte for byte with a real Jaeger where one is installed), the rate-limiting sampler on a
// fake clock, the OTEL_* parsing, and the JS remote sampler in a real service process. Exact counts only.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ROOT_CONTEXT, SpanKind, context, trace, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { startRunSampling } from '../src/collector/run-sampling.ts';
import { SamplingServer } from '../src/collector/sampling-server.ts';
import { encodeStrategy, parseStrategies, strategyFor, StrategiesError } from '../src/collector/sampling-strategies.ts';
import { markdownReport } from '../src/report/markdown.ts';
import { runScenario } from '../src/run/run.ts';
import { ScenarioError, validateScenario } from '../src/scenario/validate.ts';
import { ServiceProcess } from '../src/service/process.ts';
import { resolveShape, spansPerRequest } from '../src/service/shape.ts';
import { describeTracing } from '../src/tracing/config.ts';
import { TracingConfigError, tracingConfigFromEnv } from '../src/tracing/env.ts';
import { samplingBaseUrl } from '../src/tracing/jaeger-remote.ts';
import { findJaegerBinary, freePort, startLocalJaeger } from '../src/jaeger/local.ts';
import { createSampler } from '../src/tracing/provider.ts';
import { RateLimiter, RateLimitingSampler } from '../src/tracing/rate-limiting-sampler.ts';
import { isCI } from './ci-env.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

// A strategies file exercising every rule of Jaeger's file provider (no invalid entries: those tracetax refuses).
const richStrategies = {
  service_strategies: [
    { service: 'prob', type: 'probabilistic', param: 0.1 },
    { service: 'zero', type: 'probabilistic', param: 0 },
    { service: 'rl', type: 'ratelimiting', param: 50 },
    { service: 'rlfrac', type: 'ratelimiting', param: 2.7 },
    {
      service: 'ops',
      type: 'probabilistic',
      param: 0.05,
      operation_strategies: [
        { operation: 'frontend GET /hello', type: 'probabilistic', param: 0.2 },
        { operation: 'op-zero', type: 'probabilistic', param: 0 },
      ],
    },
    { service: 'rlops', type: 'ratelimiting', param: 7, operation_strategies: [{ operation: 'a', type: 'probabilistic', param: 0.3 }] },
    { service: 'nops', type: 'ratelimiting', param: 4 },
  ],
  default_strategy: {
    type: 'probabilistic',
    param: 0.5,
    operation_strategies: [
      { operation: '/health', type: 'probabilistic', param: 0 },
      { operation: 'a', type: 'probabilistic', param: 0.9 },
    ],
  },
};
const defaultOps = '"perOperationStrategies":[{"operation":"/health","probabilisticSampling":{"samplingRate":0}},{"operation":"a","probabilisticSampling":{"samplingRate":0.9}}]';
// Recorded from a real Jaeger v2 (built from the v1.76.0 tag, remote_sampling with this file), 2026-11-25,
// when the file also had a ratelimiting operation strategy on 'ops', which Jaeger skipped (tracetax now refuses it).
const recordedFromJaeger: Record<string, string> = {
  prob: `{"strategyType":0,"probabilisticSampling":{"samplingRate":0.1},"operationSampling":{"defaultSamplingProbability":0.1,"defaultLowerBoundTracesPerSecond":0,${defaultOps},"defaultUpperBoundTracesPerSecond":0}}`,
  zero: `{"strategyType":0,"probabilisticSampling":{"samplingRate":0},"operationSampling":{"defaultSamplingProbability":0,"defaultLowerBoundTracesPerSecond":0,${defaultOps},"defaultUpperBoundTracesPerSecond":0}}`,
  rl: `{"strategyType":1,"rateLimitingSampling":{"maxTracesPerSecond":50},"operationSampling":{"defaultSamplingProbability":0.5,"defaultLowerBoundTracesPerSecond":0,${defaultOps},"defaultUpperBoundTracesPerSecond":0}}`,
  rlfrac: `{"strategyType":1,"rateLimitingSampling":{"maxTracesPerSecond":2},"operationSampling":{"defaultSamplingProbability":0.5,"defaultLowerBoundTracesPerSecond":0,${defaultOps},"defaultUpperBoundTracesPerSecond":0}}`,
  ops: '{"strategyType":0,"probabilisticSampling":{"samplingRate":0.05},"operationSampling":{"defaultSamplingProbability":0.05,"defaultLowerBoundTracesPerSecond":0,"perOperationStrategies":[{"operation":"frontend GET /hello","probabilisticSampling":{"samplingRate":0.2}},{"operation":"op-zero","probabilisticSampling":{"samplingRate":0}},{"operation":"/health","probabilisticSampling":{"samplingRate":0}},{"operation":"a","probabilisticSampling":{"samplingRate":0.9}}],"defaultUpperBoundTracesPerSecond":0}}',
  rlops:
    '{"strategyType":1,"rateLimitingSampling":{"maxTracesPerSecond":7},"operationSampling":{"defaultSamplingProbability":0.001,"defaultLowerBoundTracesPerSecond":0,"perOperationStrategies":[{"operation":"a","probabilisticSampling":{"samplingRate":0.3}},{"operation":"/health","probabilisticSampling":{"samplingRate":0}}],"defaultUpperBoundTracesPerSecond":0}}',
  nops: `{"strategyType":1,"rateLimitingSampling":{"maxTracesPerSecond":4},"operationSampling":{"defaultSamplingProbability":0.5,"defaultLowerBoundTracesPerSecond":0,${defaultOps},"defaultUpperBoundTracesPerSecond":0}}`,
  unknown: `{"strategyType":0,"probabilisticSampling":{"samplingRate":0.5},"operationSampling":{"defaultSamplingProbability":0.5,"defaultLowerBoundTracesPerSecond":0,${defaultOps},"defaultUpperBoundTracesPerSecond":0}}`,
};
const edgeStrategies = {
  service_strategies: [
    { service: 'dup', type: 'probabilistic', param: 0.25 },
    { service: 'dup', type: 'probabilistic', param: 0.75 },
    { service: 'tiny', type: 'probabilistic', param: 0.0000001 },
    { service: 'esc', type: 'probabilistic', param: 0.3, operation_strategies: [{ operation: 'GET /a?b=<c>&d "q" é', type: 'probabilistic', param: 1 }] },
    { service: 'é ü', type: 'probabilistic', param: 0.125 },
  ],
};
// Recorded from the same Jaeger with this file.
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

async function get(url: string): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

test('the sampling server answers /sampling over HTTP as Jaeger does, and counts the answers per service', async () => {
  const server = await SamplingServer.start({ strategies: parseStrategies(JSON.stringify(richStrategies), 'rich.json') });
  try {
    assert.match(server.endpoint, /^http:\/\/127\.0\.0\.1:\d+\/sampling$/);
    for (const service of ['prob', 'ops', 'rl']) {
      assert.deepEqual(await get(`${server.endpoint}?service=${encodeURIComponent(service)}`), { status: 200, type: 'application/json', body: recordedFromJaeger[service] });
    }
    // Jaeger v2's handler is mounted at "/": any path answers, the legacy "/" included.
    const base = samplingBaseUrl(server.endpoint);
    assert.equal((await get(`${base}/?service=prob`)).body, recordedFromJaeger.prob);
    assert.equal((await get(`${base}/sampling/sampling?service=prob`)).body, recordedFromJaeger.prob);
    const missing = { status: 400, type: 'text/plain; charset=utf-8', body: "'service' parameter must be provided once\n" };
    assert.deepEqual(await get(server.endpoint), missing);
    assert.deepEqual(await get(`${server.endpoint}?service=a&service=b`), missing);
    assert.equal((await get(`${server.endpoint}?service=`)).body, recordedFromJaeger.unknown, 'an empty name gets the default');
    assert.deepEqual(server.polls(), { prob: 3, ops: 1, rl: 1, '': 1 });
  } finally {
    await server.stop();
  }
});

/** Sends `target` as the request line verbatim (fetch would normalise it) and returns the raw response. */
function rawGet(endpoint: string, target: string): Promise<string> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (data += chunk)).on('end', () => resolve(data)).on('error', reject);
  });
}

test('the sampling server answers 400 to a request target URL cannot parse, and keeps serving', async () => {
  const server = await SamplingServer.start();
  try {
    assert.throws(() => new URL('//[', 'http://x'), { code: 'ERR_INVALID_URL' });
    const response = await rawGet(server.endpoint, '//[');
    assert.match(response, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.equal(response.split('\r\n\r\n')[1], 'request target is not a valid URL: use /sampling?service=NAME\n');
    assert.equal((await get(`${server.endpoint}?service=s`)).body, '{"strategyType":0,"probabilisticSampling":{"samplingRate":0.001}}');
    assert.deepEqual(server.polls(), { s: 1 });
  } finally {
    await server.stop();
  }
});

test('a run starts one sampling server per strategies file and fills the endpoint into those variants only', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracetax-sampling-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'a.json'), '{"default_strategy":{"type":"probabilistic","param":0.5}}');
  writeFileSync(path.join(dir, 'b.json'), '{"default_strategy":{"type":"ratelimiting","param":5}}');
  const remote = { OTEL_TRACES_SAMPLER: 'jaeger_remote', OTEL_TRACES_SAMPLER_ARG: 'initialSamplingRate=1' };
  const variants = [
    { env: { OTEL_TRACES_SAMPLER: 'always_on' } },
    { env: remote },
    { env: { ...remote, TRACETAX_SAMPLING_STRATEGIES: path.join(dir, 'b.json') } },
    { env: { OTEL_TRACES_SAMPLER: 'jaeger_remote', OTEL_TRACES_SAMPLER_ARG: 'endpoint=http://127.0.0.1:5778/sampling' } },
  ];
  const sampling = await startRunSampling(variants, path.join(dir, 'a.json'));
  try {
    const filled = variants.map((v) => sampling.fill(v.env));
    assert.deepEqual(filled[0], variants[0].env);
    assert.deepEqual(filled[3], variants[3].env, 'a variant naming its endpoint keeps it');
    const [a, b] = sampling.summary()!.servers;
    assert.deepEqual([a.strategiesFile, b.strategiesFile], [path.join(dir, 'a.json'), path.join(dir, 'b.json')]);
    assert.equal(filled[1].OTEL_TRACES_SAMPLER_ARG, `endpoint=${a.endpoint},initialSamplingRate=1`);
    assert.equal(filled[2].OTEL_TRACES_SAMPLER_ARG, `endpoint=${b.endpoint},initialSamplingRate=1`);
    assert.equal((await get(`${b.endpoint}?service=s`)).body, '{"strategyType":1,"rateLimitingSampling":{"maxTracesPerSecond":5}}');
    const config = tracingConfigFromEnv(filled[1]);
    assert.deepEqual(config.kind === 'sdk' && config.sampler, {
      name: 'jaeger_remote',
      ratio: 1,
      jaegerRemote: { endpoint: a.endpoint, pollingIntervalMs: 60000, initialSamplingRate: 1 },
    });
  } finally {
    await sampling.stop();
  }
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
    ratio: 1,
    jaegerRemote: { endpoint: 'http://localhost:5778/sampling', pollingIntervalMs: 5000, initialSamplingRate: 0.25 },
  });
  assert.match(describeTracing(config), /^jaeger_remote\(http:\/\/localhost:5778\/sampling, every 5000 ms, initial 0\.25\) · batch/);
  const defaults = tracingConfigFromEnv({ OTEL_TRACES_SAMPLER: 'jaeger_remote' });
  assert.deepEqual(defaults.kind === 'sdk' && defaults.sampler.jaegerRemote, { endpoint: 'http://localhost:5778/sampling', pollingIntervalMs: 60000, initialSamplingRate: 0.001 });
  const limited = tracingConfigFromEnv({ OTEL_TRACES_SAMPLER: 'tracetax_ratelimiting', OTEL_TRACES_SAMPLER_ARG: '50' });
  assert.deepEqual(limited.kind === 'sdk' && limited.sampler, { name: 'tracetax_ratelimiting', ratio: 1, tracesPerSecond: 50 });
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
  const sampler = createSampler({ name: 'tracetax_ratelimiting', ratio: 1, tracesPerSecond: 1 });
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

/** N sequential requests to the service's frontend; every one must succeed. */
async function drive(service: ServiceProcess, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await fetch(service.frontendUrl);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  }
}

test('the JS remote sampler in a real service: the initial rate until the first poll, then the per-operation strategy; a plain probabilistic one is ignored', async (t) => {
  // initialSamplingRate=1, and a strategy of 0: unreachable endpoint → every trace sampled; once the
  // server has answered twice (the sampler polls again only after it applied the first answer), none.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracetax-remote-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const perOperationZero = parseStrategies(
    JSON.stringify({ default_strategy: { type: 'probabilistic', param: 0, operation_strategies: [{ operation: 'frontend GET /hello', type: 'probabilistic', param: 0 }] } }),
    'ops.json',
  );
  const plainZero = parseStrategies(JSON.stringify({ default_strategy: { type: 'probabilistic', param: 0 } }), 'plain.json');
  const run = async (strategies: typeof plainZero) => {
    const port = await freePort();
    const service = await ServiceProcess.start({
      settings: { shape: resolveShape(undefined), iterationsPerUs: 100, host: '127.0.0.1', port: 0, serviceName: 'remote-e2e' },
      tracingEnv: {
        OTEL_TRACES_SAMPLER: 'jaeger_remote',
        OTEL_TRACES_SAMPLER_ARG: `endpoint=http://127.0.0.1:${port}/sampling,pollingIntervalMs=50,initialSamplingRate=1`,
        OTEL_TRACES_EXPORTER: 'none',
      },
    });
    let server: SamplingServer | undefined;
    try {
      await drive(service, 20); // nothing answers yet: the initial sampler decides
      server = await SamplingServer.start({ strategies, port });
      await server.answeredAtLeast('remote-e2e', 2);
      await drive(service, 30);
      return await service.shutdown(5000);
    } finally {
      service.kill();
      await server?.stop();
    }
  };
  const applied = await run(perOperationZero);
  assert.equal(applied.requests, 50);
  assert.equal(applied.spans.started, 50 * spansPerRequest);
  assert.equal(applied.spans.sampled, 20 * spansPerRequest, 'the 20 requests before the strategy, and none after');
  const ignored = await run(plainZero);
  assert.equal(ignored.spans.started, 50 * spansPerRequest);
  assert.equal(ignored.spans.sampled, 50 * spansPerRequest, 'strategyType 0 (a number) is not "PROBABILISTIC": the sampler keeps its initial rate');
});

test('a short run: jaeger_remote variants get the embedded sampling server, the report says what each sampler does', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracetax-remote-run-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // The strategy equals the initial rate, so the counts are exact whenever the first poll lands.
  writeFileSync(path.join(dir, 'all.json'), JSON.stringify({ default_strategy: { type: 'probabilistic', param: 1, operation_strategies: [{ operation: 'frontend GET /hello', type: 'probabilistic', param: 1 }] } }));
  const keepUp = { OTEL_BSP_MAX_QUEUE_SIZE: 65536, OTEL_BSP_MAX_EXPORT_BATCH_SIZE: 512, OTEL_BSP_SCHEDULE_DELAY: 100 };
  const scenario = validateScenario(
    {
      name: 'remote',
      description: 'jaeger_remote against the embedded sampling server',
      load: { connections: 2, durationSec: 1, warmupSec: 0.3 },
      trials: 1,
      sampling: { strategiesFile: 'all.json' },
      variants: [
        { name: 'remote', env: { OTEL_TRACES_SAMPLER: 'jaeger_remote', OTEL_TRACES_SAMPLER_ARG: 'pollingIntervalMs=100,initialSamplingRate=1', ...keepUp } },
        { name: 'limited', env: { OTEL_TRACES_SAMPLER: 'tracetax_ratelimiting', OTEL_TRACES_SAMPLER_ARG: 5, ...keepUp } },
      ],
    },
    path.join(dir, 'remote.ts'),
  );
  const result = await runScenario(scenario, { pin: false, serviceName: 'remote-run' });
  const remote = result.variants.find((v) => v.name === 'remote')!;
  const [server] = result.jaegerSampling!.servers;
  assert.equal(result.jaegerSampling!.servers.length, 1);
  assert.equal(server.strategiesFile, path.join(dir, 'all.json'));
  assert.equal(remote.env.OTEL_TRACES_SAMPLER_ARG, `endpoint=${server.endpoint},pollingIntervalMs=100,initialSamplingRate=1`);
  assert.ok(server.polls['remote-run'] >= 1, 'the sampler polled with the service name');
  assert.deepEqual(Object.keys(server.polls), ['remote-run']);
  const s = remote.summary;
  assert.equal(s.spans.sampled, s.spans.started);
  assert.equal(s.spans.received, s.spans.sampled);
  assert.equal(s.sampledTraces, s.requests);
  // Rate limited at 5/s: at most a full bucket (5) plus 5 per second of the process's life, whole traces only.
  // A trial's wallMs runs from before the service is spawned to after its final stats, so it bounds that life.
  const limitedVariant = result.variants.find((v) => v.name === 'limited')!;
  const limited = limitedVariant.summary;
  const allowed = limitedVariant.trials.reduce((sum, t) => sum + 5 + (5 * t.wallMs) / 1000, 0);
  assert.equal(limitedVariant.trials.length, 1);
  assert.ok(limited.sampledTraces > 0 && limited.sampledTraces < limited.requests);
  assert.ok(limited.sampledTraces <= allowed, `${limited.sampledTraces} sampled traces, at most ${allowed} allowed`);
  assert.equal(limited.spans.sampled, limited.sampledTraces * spansPerRequest);
  assert.equal(limited.spans.received, limited.spans.sampled);
  const markdown = markdownReport(result);
  assert.match(markdown, /## Jaeger remote sampling/);
  assert.match(markdown, /ignores RATE_LIMITING strategies\. `limited` uses tracetax's own rate-limiting sampler/);
  assert.match(markdown, new RegExp(`Embedded sampling server ${server.endpoint.replace(/[.]/g, '\\.')}, strategies from .*all\\.json: answered \\d+ for remote-run`));
});

// The real Jaeger, where one is installed: the same strategies file, the same bytes.
const jaegerBinary = findJaegerBinary();
test(
  'a real Jaeger v2 answers /sampling with the same bytes as the embedded server',
  { skip: !jaegerBinary && !isCI() ? 'no Jaeger binary (scripts/jaeger.sh --install builds one; CI must have it)' : false },
  async (t) => {
    assert.ok(jaegerBinary, 'CI needs a Jaeger binary: run scripts/jaeger.sh --install');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tracetax-jaeger-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const strategiesFile = path.join(dir, 'strategies.json');
    writeFileSync(strategiesFile, JSON.stringify(richStrategies));
    const jaeger = await startLocalJaeger({ binary: jaegerBinary!, samplingStrategiesFile: strategiesFile });
    t.after(() => jaeger.stop());
    const base = jaeger.samplingUrl!;
    const ours = await SamplingServer.start({ strategies: parseStrategies(JSON.stringify(richStrategies), 'rich.json') });
    t.after(() => ours.stop());
    for (const query of [...Object.keys(recordedFromJaeger).map((s) => `?service=${s}`), '', '?service=a&service=b']) {
      const real = await get(`${base}/sampling${query}`);
      const embedded = await get(`${ours.endpoint}${query}`);
      assert.deepEqual(embedded, real, query);
    }
  },
);
