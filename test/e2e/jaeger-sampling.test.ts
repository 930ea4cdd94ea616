// Jaeger remote sampling over sockets and processes: the embedded /sampling server (real HTTP on loopback,
// and compared byte for byte with a real Jaeger where one is installed), a run's sampling servers, and the
// JS remote sampler in a real service process. Exact counts only. The strategies file, the rate-limiting
// sampler on a fake clock and the OTEL_* parsing are in test/unit/jaeger-sampling.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startRunSampling } from '../../src/jaeger/run-sampling.ts';
import { SamplingServer } from '../../src/jaeger/sampling-server.ts';
import { parseStrategies } from '../../src/jaeger/sampling-strategies.ts';
import { markdownReport } from '../../src/report/markdown.ts';
import { runScenario } from '../../src/run/run.ts';
import { validateScenario } from '../../src/scenario/validate.ts';
import { BuiltinService } from '../../src/sut/builtin/builtin.ts';
import type { RunningService } from '../../src/sut/service-under-test.ts';
import { resolveShape, spansPerRequest } from '../../src/sut/builtin/shape.ts';
import { tracingConfigFromEnv } from '../../src/tracing/env.ts';
import { samplingBaseUrl } from '../../src/tracing/samplers/jaeger-remote.ts';
import { findJaegerBinary, freePort, startLocalJaeger } from '../support/local-jaeger.ts';
import { isCI } from '../support/ci-env.ts';
import { recordedFromJaeger, richStrategies } from '../support/jaeger-strategies.ts';

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
      jaegerRemote: { endpoint: a.endpoint, pollingIntervalMs: 60000, initialSamplingRate: 1 },
    });
  } finally {
    await sampling.stop();
  }
});

/** N sequential requests to the service's frontend; every one must succeed. */
async function drive(service: RunningService, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await fetch(service.url);
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
    const service = await new BuiltinService({ shape: resolveShape(undefined), iterationsPerUs: 100, host: '127.0.0.1', port: 0, serviceName: 'remote-e2e' }).start({
      tracingEnv: {
        OTEL_TRACES_SAMPLER: 'jaeger_remote',
        OTEL_TRACES_SAMPLER_ARG: `endpoint=http://127.0.0.1:${port}/sampling,pollingIntervalMs=50,initialSamplingRate=1`,
        OTEL_TRACES_EXPORTER: 'none',
      },
      instrumentation: 'service',
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
  assert.equal(applied.spans!.started, 50 * spansPerRequest);
  assert.equal(applied.spans!.sampled, 20 * spansPerRequest, 'the 20 requests before the strategy, and none after');
  const ignored = await run(plainZero);
  assert.equal(ignored.spans!.started, 50 * spansPerRequest);
  assert.equal(ignored.spans!.sampled, 50 * spansPerRequest, 'strategyType 0 (a number) is not "PROBABILISTIC": the sampler keeps its initial rate');
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
  // A process's wallMs runs from before it is spawned to after its final stats, so it bounds that life.
  const limitedVariant = result.variants.find((v) => v.name === 'limited')!;
  const limited = limitedVariant.summary;
  const allowed = limitedVariant.lives.reduce((sum, l) => sum + 5 + (5 * l.wallMs) / 1000, 0);
  assert.equal(limitedVariant.lives.length, 1);
  assert.ok(limited.sampledTraces! > 0 && limited.sampledTraces! < limited.requests);
  assert.ok(limited.sampledTraces! <= allowed, `${limited.sampledTraces} sampled traces, at most ${allowed} allowed`);
  assert.equal(limited.spans.sampled, limited.sampledTraces! * spansPerRequest);
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
