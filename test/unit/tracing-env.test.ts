import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TracingConfigError } from '../../src/tracing/defaults.ts';
import { describeTracing } from '../../src/tracing/describe.ts';
import { pickTracingEnv, tracingConfigFromEnv } from '../../src/tracing/env.ts';

test('no variables give the specification defaults', () => {
  assert.deepEqual(tracingConfigFromEnv({}), {
    kind: 'sdk',
    sampler: { name: 'parentbased_always_on' },
    processor: { kind: 'batch', maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000, exportTimeoutMillis: 30000 },
    exporter: { kind: 'otlp', protocol: 'grpc', endpoint: 'http://localhost:4317' },
    plantedSpanIterations: 0,
  });
});

test('OTEL_SDK_DISABLED=true is the untraced baseline', () => {
  assert.deepEqual(tracingConfigFromEnv({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_SAMPLER: 'always_on' }), { kind: 'untraced' });
  assert.equal(tracingConfigFromEnv({ OTEL_SDK_DISABLED: 'false' }).kind, 'sdk');
});

test('every standard variable maps to its field', () => {
  const config = tracingConfigFromEnv({
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.0625',
    OTEL_BSP_MAX_QUEUE_SIZE: '4096',
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '1024',
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_BSP_EXPORT_TIMEOUT: '1000',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317',
  });
  assert.deepEqual(config, {
    kind: 'sdk',
    sampler: { name: 'parentbased_traceidratio', ratio: 0.0625 },
    processor: { kind: 'batch', maxQueueSize: 4096, maxExportBatchSize: 1024, scheduledDelayMillis: 200, exportTimeoutMillis: 1000 },
    exporter: { kind: 'otlp', protocol: 'grpc', endpoint: 'http://127.0.0.1:4317' },
    plantedSpanIterations: 0,
  });
  assert.match(describeTracing(config), /parentbased_traceidratio\(0\.0625\) · batch\(queue=4096, batch=1024, delay=200ms, timeout=1000ms\)/);
});

test('the traces endpoint wins over the general one; none and simple are understood', () => {
  const config = tracingConfigFromEnv({
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:1',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:2',
    TRACETAX_SPAN_PROCESSOR: 'simple',
  });
  assert.equal(config.kind === 'sdk' && config.exporter.kind === 'otlp' && config.exporter.endpoint, 'http://b:2');
  assert.deepEqual(config.kind === 'sdk' && config.processor, { kind: 'simple' });
  const none = tracingConfigFromEnv({ OTEL_TRACES_EXPORTER: 'none' });
  assert.deepEqual(none.kind === 'sdk' && none.exporter, { kind: 'none' });
});

test('the OTLP protocol comes from the traces variable, then the general one, and grpc by default', () => {
  const exporter = (env: Record<string, string>) => {
    const config = tracingConfigFromEnv(env);
    return config.kind === 'sdk' ? config.exporter : undefined;
  };
  assert.deepEqual(exporter({}), { kind: 'otlp', protocol: 'grpc', endpoint: 'http://localhost:4317' });
  assert.deepEqual(exporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }), {
    kind: 'otlp',
    protocol: 'http/protobuf',
    endpoint: 'http://localhost:4318/v1/traces',
  });
  assert.deepEqual(exporter({ OTEL_EXPORTER_OTLP_PROTOCOL: ' http/json ' }), { kind: 'otlp', protocol: 'http/json', endpoint: 'http://localhost:4318/v1/traces' });
  assert.deepEqual(exporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }), exporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }));
  // An empty traces variable is unset: the general one applies.
  assert.deepEqual(exporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: '' }), exporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }));
  assert.deepEqual(exporter({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }), {
    kind: 'otlp',
    protocol: 'grpc',
    endpoint: 'http://localhost:4317',
  });
  assert.deepEqual(exporter({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }), { kind: 'none' });
  assert.match(describeTracing(tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })), / · otlp http\/json http:\/\/localhost:4318\/v1\/traces$/);
});

test('over HTTP the general endpoint gets /v1/traces appended and the traces endpoint is used as it is', () => {
  const endpoint = (env: Record<string, string>) => {
    const config = tracingConfigFromEnv(env);
    return config.kind === 'sdk' && config.exporter.kind === 'otlp' ? config.exporter.endpoint : undefined;
  };
  for (const protocol of ['http/protobuf', 'http/json']) {
    const p = { OTEL_EXPORTER_OTLP_PROTOCOL: protocol };
    assert.equal(endpoint({ ...p, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }), 'http://c:4318/v1/traces');
    assert.equal(endpoint({ ...p, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' }), 'http://c:4318/v1/traces');
    assert.equal(endpoint({ ...p, OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c/otlp' }), 'https://c/otlp/v1/traces');
    assert.equal(endpoint({ ...p, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://d:9/custom' }), 'http://d:9/custom');
    assert.equal(endpoint({ ...p, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://d:9' }), 'http://d:9');
  }
  // gRPC has no path: the general endpoint is the server's address, as it was.
  assert.equal(endpoint({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317' }), 'http://c:4317');
});

test('the ratio is only read by the ratio samplers', () => {
  const config = tracingConfigFromEnv({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: '7' });
  assert.deepEqual(config.kind === 'sdk' && config.sampler, { name: 'always_on' });
});

test('bad values fail with a message naming the variable and the fix', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ OTEL_TRACES_SAMPLER: 'sometimes' }, /OTEL_TRACES_SAMPLER=sometimes is not a supported sampler: use one of always_on/],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' }, /OTEL_TRACES_SAMPLER_ARG=1.5 is not a ratio in \[0, 1\]/],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '-0.1' }, /is not a ratio in \[0, 1\]/],
    [{ OTEL_BSP_MAX_QUEUE_SIZE: '0' }, /OTEL_BSP_MAX_QUEUE_SIZE=0 is not a positive whole number/],
    [{ OTEL_BSP_SCHEDULE_DELAY: 'soon' }, /OTEL_BSP_SCHEDULE_DELAY=soon is not a positive whole number/],
    [{ OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '200' }, /exceeds OTEL_BSP_MAX_QUEUE_SIZE=100/],
    [{ TRACETAX_SPAN_PROCESSOR: 'fast' }, /use batch or simple/],
    [{ OTEL_TRACES_EXPORTER: 'zipkin' }, /OTEL_TRACES_EXPORTER=zipkin is not supported: use otlp or none/],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'http' }, /^OTEL_EXPORTER_OTLP_PROTOCOL=http is not an OTLP protocol: use grpc, http\/protobuf or http\/json$/],
    [{ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'HTTP/JSON', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /^OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=HTTP\/JSON is not an OTLP protocol/],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' }, /OTEL_EXPORTER_OTLP_ENDPOINT 'localhost:4318' is not/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost' }, /not a URL|not an http\(s\) URL/],
    [{ TRACETAX_PLANTED_SPAN_ITERATIONS: '-1' }, /TRACETAX_PLANTED_SPAN_ITERATIONS=-1 is not a non-negative number/],
  ];
  for (const [env, message] of cases) {
    assert.throws(() => tracingConfigFromEnv(env), (error: Error) => error instanceof TracingConfigError && message.test(error.message) && !error.message.includes('\n'));
  }
});

test('pickTracingEnv keeps only the tracing variables', () => {
  assert.deepEqual(pickTracingEnv({ PATH: '/bin', OTEL_TRACES_SAMPLER: 'always_on', HOME: '/root' }), { OTEL_TRACES_SAMPLER: 'always_on' });
  assert.deepEqual(pickTracingEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' }), {
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
  });
});
