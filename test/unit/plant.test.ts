// The gate's planted regression is a fixed amount of work: the same count of loop iterations for every
// ended span, read from the variant's environment, whatever the machine's speed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { describeTracing } from '../../src/tracing/describe.ts';
import { tracingConfigFromEnv } from '../../src/tracing/env.ts';
import { setUpTracing } from '../../src/tracing/provider.ts';

test('a plant burns exactly its fixed iteration count once per ended sampled span, and none for an unsampled one', async () => {
  const config = tracingConfigFromEnv({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_EXPORTER: 'none', TRACETAX_PLANTED_SPAN_ITERATIONS: '12345' });
  assert.equal(config.kind === 'sdk' && config.plantedSpanIterations, 12345);
  assert.match(describeTracing(config), /planted 12,345 iterations\/span/);
  const burnt: number[] = [];
  const tracing = setUpTracing(config, { serviceName: 'plant', burnCpu: (iterations) => burnt.push(iterations) });
  const tracer = trace.getTracer('plant');
  for (let i = 0; i < 5; i++) tracer.startSpan(`span ${i}`).end();
  tracer.startSpan('still open');
  assert.ok(await tracing.shutdown(5000));
  assert.deepEqual(burnt, [12345, 12345, 12345, 12345, 12345], 'one burn per ended span, each the same count');
  assert.equal(tracing.counters.ended, 5);
});

test('no plant in a real variant: 0 iterations, no burning processor', () => {
  const config = tracingConfigFromEnv({ OTEL_TRACES_SAMPLER: 'always_on' });
  assert.equal(config.kind === 'sdk' && config.plantedSpanIterations, 0);
  assert.doesNotMatch(describeTracing(config), /planted/);
});
