// node --import tsx --test test/e2e/micro.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, propagation, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { readExplainSource } from '../../src/cli/commands/micro.ts';
import { ExplainInputError, microCosts, serviceRequestProfile } from '../../src/micro/explain.ts';
import { emitServiceRequest, recordSpans } from '../../src/micro/fixtures.ts';
import { runMicro } from '../../src/micro/run.ts';
import { resolveShape, spansPerRequest } from '../../src/sut/builtin/shape.ts';
import { startTopology } from '../../src/sut/builtin/topology.ts';
import { createSpanCounters } from '../../src/tracing/counting.ts';
import { knownNs, microDoc, tinyMicroScenario } from '../support/micro-doc.ts';

/** Counts the calls the explain model prices: inject, extract (with and without a parent), context.with. */
class CountingPropagator extends W3CTraceContextPropagator {
  injects = 0;
  extracts = 0;
  extractsWithParent = 0;
  override inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    this.injects++;
    super.inject(ctx, carrier, setter);
  }
  override extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    this.extracts++;
    const out = super.extract(ctx, carrier, getter);
    if (out !== ctx) this.extractsWithParent++;
    return out;
  }
}
class CountingContextManager extends AsyncLocalStorageContextManager {
  withs = 0;
  override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    this.withs++;
    return super.with(ctx, fn, thisArg, ...args);
  }
}

test('the request profile and the micro fixture match one real request of the service (src/sut/builtin/topology.ts)', async () => {
  const p = serviceRequestProfile;
  assert.equal(p.rootSpans + p.childSpans, spansPerRequest);
  // One request through the real four-hop service, recorded in memory by a processor that, unlike
  // SimpleSpanProcessor, calls no context.with of its own (the model prices the processor separately).
  const real: ReadableSpan[] = [];
  const collect = { onStart: () => {}, onEnd: (span: ReadableSpan) => void real.push(span), forceFlush: async () => {}, shutdown: async () => {} };
  const provider = new BasicTracerProvider({ spanProcessors: [collect] });
  const propagator = new CountingPropagator();
  const manager = new CountingContextManager().enable();
  context.setGlobalContextManager(manager);
  propagation.setGlobalPropagator(propagator);
  const topology = await startTopology({
    shape: resolveShape(undefined),
    iterationsPerUs: 1,
    host: '127.0.0.1',
    frontendPort: 0,
    tracer: provider.getTracer('test'),
    counters: createSpanCounters(),
    onFrontendArrival: () => {},
    onFrontendResponse: () => {},
  });
  try {
    const response = await fetch(topology.frontendUrl);
    assert.equal(response.status, 200);
    await response.text();
  } finally {
    await topology.close();
    context.disable(); // later tests run without the context manager and propagator
    propagation.disable();
  }
  assert.equal(real.length, spansPerRequest);
  assert.equal(real.filter((s) => s.parentSpanContext === undefined).length, p.rootSpans);
  assert.equal(real.reduce((n, s) => n + Object.keys(s.attributes).length, 0), p.attributes);
  assert.equal(real.reduce((n, s) => n + s.events.length, 0), p.events);
  assert.equal(propagator.injects, p.injects);
  assert.equal(propagator.extractsWithParent, p.extractsWithParent);
  assert.equal(propagator.extracts - propagator.extractsWithParent, p.extractsWithoutParent);
  assert.equal(manager.withs, p.contextWith);
  // The fixture the micro-benchmarks serialize has the same spans: kind, attribute count and event count each.
  const shape = (spans: typeof real) => spans.map((s) => `${s.kind}/${Object.keys(s.attributes).length}/${s.events.length}`).sort();
  assert.deepEqual(shape(recordSpans(spansPerRequest, emitServiceRequest)), shape(real));
});

test('--explain with an incomplete micro run is refused before the load run, and micro scenarios refuse load-only flags', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tracetax-micro-'));
  try {
    const { 'span.child.always_off': _, ...missing } = knownNs;
    const dir = path.join(root, 'incomplete');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'micro.json'), JSON.stringify(microDoc(missing)));
    assert.throws(() => readExplainSource(dir), (error: Error) => error instanceof ExplainInputError && /no 'span\.child\.always_off'/.test(error.message));
    const cli = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', timeout: 60_000 });
    const out = path.join(root, 'out');
    const explain = run('--scenario', 'quick', '--explain', dir, '--out', out);
    assert.equal(explain.status, 2, explain.stderr);
    assert.match(explain.stderr, /no 'span\.child\.always_off'/);
    assert.ok(!existsSync(out), 'no results folder');
    const confirm = run('--scenario', 'micro', '--confirm', '--out', out);
    assert.equal(confirm.status, 2, confirm.stderr);
    assert.match(confirm.stderr, /--confirm apply to load scenarios/);
    assert.ok(!existsSync(out), 'no results folder');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a short real micro run: every task measured, the spec benchmark exported through gRPC, and the model accepts it', async () => {
  const doc = await runMicro(
    tinyMicroScenario,
    { pin: false, version: 'test', asyncCountRequests: 20 },
  );
  const ids = doc.results.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const r of doc.results) {
    assert.ok(r.opsPerSec > 0 && r.nsPerOp > 0, r.id);
    assert.ok(r.samples >= 1, r.id);
    assert.ok(Number.isInteger(r.opsPerSample) && r.opsPerSample >= 1, r.id);
  }
  assert.doesNotThrow(() => microCosts(doc));
  assert.ok(doc.collectorDecode.spansPerSec > 0);
  assert.ok(doc.asyncResources!.perRequest > 0);
  const spec = doc.spec!;
  assert.ok(spec.maxRate.exported > 0);
  assert.ok(spec.maxRate.received >= spec.maxRate.exported);
  assert.equal(spec.fixedRate!.batch.windows.length, 1);
  assert.equal(spec.fixedRate!.simple.windows.length, 1);
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
  assert.equal(doc.environment.packages.tinybench, pkg.dependencies.tinybench);
});
