// node --import tsx --test test/micro.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, propagation, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { readExplainSource } from '../src/micro/command.ts';
import { ExplainInputError, explainRun, floorComponents, microCosts, predictComponents, serviceRequestProfile, sumComponents, type MicroCosts } from '../src/micro/explain.ts';
import { markdownExplain, terminalExplain } from '../src/micro/explain-report.ts';
import { emitServiceRequest, recordSpans } from '../src/micro/fixtures.ts';
import type { MicroDocument, MicroResult } from '../src/micro/result.ts';
import { runMicro } from '../src/micro/run.ts';
import { MicroResultsError, readMicroDocument, writeMicroFolder } from '../src/micro/write.ts';
import type { RunDocument } from '../src/run/run.ts';
import { listShippedMicroScenarios, listShippedScenarios, loadAnyScenario, loadScenario } from '../src/scenario/load.ts';
import { ScenarioError, validateMicroScenario } from '../src/scenario/validate.ts';
import { resolveShape, spansPerRequest } from '../src/service/shape.ts';
import { startTopology } from '../src/service/topology.ts';
import type { TracingConfig } from '../src/tracing/config.ts';
import { createSpanCounters } from '../src/tracing/counting.ts';

/** Per-operation costs in ns, round numbers so every prediction below can be worked out by hand. */
const knownNs: Record<string, number> = {
  'span.root.always_on': 2000,
  'span.child.always_on': 1000,
  'span.root.always_off': 500,
  'span.child.always_off': 250,
  'attributes.set10': 1000, // 100 ns per attribute
  'attributes.addEvent': 500,
  'processor.batch.onEnd': 100,
  'processor.simple.onEnd': 1000,
  'otlp.serialize.service': 5000,
  'otlp.serialize.spec': 8000,
  'propagation.inject': 200,
  'propagation.extract': 400,
  'propagation.extract.none': 20,
  'context.with.none': 30,
  'context.with.als': 130, // +100 ns
  'context.await.none': 60,
  'context.await.als': 260, // +200 ns per 2 promises: +100 ns per resource
  'span.root10attrs.always_on': 3000,
  'span.root10attrs.batch': 3200,
};

function microDoc(ns: Record<string, number> = knownNs): MicroDocument {
  const results: MicroResult[] = Object.entries(ns).map(([id, nsPerOp]) => ({
    id,
    suite: id.split('.')[0]!,
    name: id,
    nsPerOp,
    opsPerSec: 1e9 / nsPerOp,
    rmePercent: 1,
    samples: 100,
    opsPerSample: 10,
  }));
  const window = (processor: 'batch' | 'simple', cpuUsPerSpan: number) => ({
    processor, targetPerSec: 10_000, seconds: 15, created: 150_000, exported: 150_000, exportFailed: 0, received: 150_000, cpuPercent: cpuUsPerSpan, cpuUsPerSpan, exportLagMs: { p50: 1, p99: 2 },
  });
  const ms = (values: number[]) => ({ mean: values[0]!, sd: 0, values });
  return {
    schemaVersion: 1,
    kind: 'micro',
    tool: { name: 'tracetax', version: 'test' },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:02:00.000Z',
    scenario: { name: 'micro', description: 'test', source: 'test', taskTimeMs: 10, taskWarmupMs: 0 },
    environment: { node: 'v20', platform: 'linux', arch: 'x64', cpuModel: 'test cpu', cpuCount: 2, pinning: { pinned: false, reason: 'test' }, packages: {} },
    results,
    collectorDecode: { spansPerSec: 1e6, rmePercent: 1, samples: 10, batchSpans: 512, payloadBytes: 1000 },
    asyncResources: { requests: 100, perRequest: 100, byType: { PROMISE: 100 } },
    spec: {
      attributes: '10',
      pinnedTo: null,
      maxRate: { ...window('batch', 40), targetPerSec: null, spansPerSec: 25_000 },
      fixedRate: {
        targetPerSec: 10_000,
        seconds: 15,
        repeats: 1,
        // batch: 26.2 µs/span − (3.2 + 8) in-process = 15 µs transport; simple: 92 − (3 + 1 + 8) = 80 µs
        batch: { cpuPercent: ms([26.2]), achievedPerSec: ms([10_000]), exportFailed: 0, windows: [window('batch', 26.2)] },
        simple: { cpuPercent: ms([92]), achievedPerSec: ms([10_000]), exportFailed: 0, windows: [window('simple', 92)] },
      },
    },
    wallSec: 120,
  };
}

const sdk = (name: 'always_on' | 'always_off' | 'traceidratio', ratio = 1, processor: 'batch' | 'simple' = 'batch'): TracingConfig => ({
  kind: 'sdk',
  sampler: { name, ratio },
  processor: processor === 'simple' ? { kind: 'simple' } : { kind: 'batch', maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000, exportTimeoutMillis: 30000 },
  exporter: { kind: 'otlp-grpc', endpoint: 'http://127.0.0.1:4317' },
  plantedSpanWorkUs: 0,
});

/** Just the fields the explain model reads from a run. */
function runDoc(variants: { name: string; config: TracingConfig; requests: number; sampled: number; roots: number; ratio: number | null; low?: number; high?: number }[]): RunDocument {
  return {
    baseline: 'untraced',
    variants: [
      { name: 'untraced', config: { kind: 'untraced' }, ratio: null, requests: 100, sampled: 0, roots: 0 },
      ...variants,
    ].map((v) => ({
      name: v.name,
      config: v.config,
      description: v.name,
      summary: { requests: v.requests, sampledTraces: v.roots, spans: { sampled: v.sampled } },
      comparison: {
        cpuUsPerRequest: {
          estimate: { median: 1000 },
          change: v.ratio === null ? null : { ratio: v.ratio, low: v.low ?? v.ratio, high: v.high ?? v.ratio },
        },
      },
    })),
  } as unknown as RunDocument;
}

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

test('the request profile and the micro fixture match one real request of the service (src/service/topology.ts)', async () => {
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

test('micro costs are read in µs from the micro results, with derived per-call and transport costs', () => {
  const c = microCosts(microDoc());
  assert.equal(c.rootOn, 2);
  assert.equal(c.setAttribute, 0.1);
  assert.ok(Math.abs(c.contextWithExtra - 0.1) < 1e-12);
  assert.ok(Math.abs(c.perAsyncResourceExtra - 0.1) < 1e-12);
  assert.equal(c.asyncResourcesPerRequest, 100);
  assert.ok(Math.abs(c.transportPerSpan!.batch! - 15) < 1e-9);
  assert.ok(Math.abs(c.transportPerSpan!.simple! - 80) < 1e-9);
  const { 'propagation.inject': _, ...missing } = knownNs;
  assert.throws(() => microCosts(microDoc(missing)), /no 'propagation.inject'/);
});

test('export transport is CPU per exported span, from windows that exported everything below saturation', () => {
  const doc = microDoc();
  const f = doc.spec!.fixedRate!;
  const base = f.batch.windows[0]!;
  // 20 µs per created span over 150,000 created but 100,000 exported: 30 µs per exported span, less 11.2 in-process.
  const partial = { ...base, exported: 100_000, cpuUsPerSpan: 20, cpuPercent: 20 };
  const failed = { ...f.simple.windows[0]!, exported: 1_000, exportFailed: 149_000 };
  const saturated = { ...f.simple.windows[0]!, cpuPercent: 99.6 };
  const withWindows = (batch: (typeof base)[], simple: (typeof base)[]) =>
    ({ ...doc, spec: { ...doc.spec!, fixedRate: { ...f, batch: { ...f.batch, windows: batch }, simple: { ...f.simple, windows: simple } } } }) as MicroDocument;
  const c = microCosts(withWindows([partial, saturated], [failed, saturated]));
  assert.ok(Math.abs(c.transportPerSpan!.batch! - 18.8) < 1e-9, String(c.transportPerSpan!.batch)); // the saturated window is left out
  assert.equal(c.transportPerSpan!.simple, null);
  // A sampled simple-processor variant then names no export cost, and says why.
  const run = runDoc([{ name: 'simple', config: sdk('always_on', 1, 'simple'), requests: 100, sampled: 800, roots: 100, ratio: 1.5 }]);
  const row = explainRun(run, withWindows([base], [failed])).rows[0]!;
  assert.equal(row.differs, true);
  assert.doesNotMatch(row.finding!, /per exported span beyond/);
  assert.match(row.finding!, /Export cost is not estimated: every simple-processor window .* failed exports or ran at ≥ 95% CPU/);
});

test('--explain with an incomplete micro run is refused before the load run, and micro scenarios refuse load-only flags', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tracetax-micro-'));
  try {
    const { 'span.child.always_off': _, ...missing } = knownNs;
    const dir = path.join(root, 'incomplete');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'micro.json'), JSON.stringify(microDoc(missing)));
    assert.throws(() => readExplainSource(dir), (error: Error) => error instanceof ExplainInputError && /no 'span\.child\.always_off'/.test(error.message));
    const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
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

test('the floor: context manager, propagation and non-recording spans, worked out by hand', () => {
  const f = floorComponents(microCosts(microDoc()));
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);
  close(f.contextWith, 5 * 0.1);
  close(f.asyncContext, 100 * 0.1);
  close(f.contextManager, 10.5);
  close(f.propagation, 3 * 0.2 + 3 * 0.4 + 0.02); // 1.82
  close(f.nonRecordingSpans, 0.5 + 7 * 0.25); // 2.25
  close(f.total, 10.5 + 1.82 + 2.25);
});

test('always_on: every span recorded, processed and serialized', () => {
  const costs: MicroCosts = microCosts(microDoc());
  const p = predictComponents(costs, { config: sdk('always_on'), sampledPerRequest: 8, sampledRootsPerRequest: 1 });
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);
  close(p.nonRecordingSpans, 0);
  close(p.recordedSpans, 2 + 7 * 1);
  close(p.attributesAndEvents, 27 * 0.1 + 2 * 0.5); // 3.7
  close(p.processor, 8 * 0.1);
  close(p.serialization, 8 * 5);
  close(sumComponents(p), 10.5 + 1.82 + 9 + 3.7 + 0.8 + 40); // 65.82
  const simple = predictComponents(costs, { config: sdk('always_on', 1, 'simple'), sampledPerRequest: 8, sampledRootsPerRequest: 1 });
  close(simple.processor, 8 * 1);
});

test('a ratio sampler pays for its recorded share and non-recording spans for the rest', () => {
  const p = predictComponents(microCosts(microDoc()), { config: sdk('traceidratio', 0.1), sampledPerRequest: 0.8, sampledRootsPerRequest: 0.1 });
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);
  close(p.recordedSpans, 0.1 * 2 + 0.7 * 1);
  close(p.nonRecordingSpans, 0.9 * 0.5 + 6.3 * 0.25);
  close(p.attributesAndEvents, 0.1 * 3.7);
  close(p.serialization, 0.8 * 5);
});

test('explainRun: predicted vs measured, the 30% rule, and the named missing cost', () => {
  const run = runDoc([
    // always_on measured +70 µs against 65.82 predicted: agree.
    { name: 'always_on', config: sdk('always_on'), requests: 100, sampled: 800, roots: 100, ratio: 1.07, low: 1.05, high: 1.09 },
    // always_off measured +100 µs against 14.57 predicted: differ, the floor is named.
    { name: 'always_off', config: sdk('always_off'), requests: 100, sampled: 0, roots: 0, ratio: 1.1, low: 1.05, high: 1.2 },
    // ratio 0.1 measured +200 µs: differ, export transport is named with its size.
    { name: 'ratio 0.1', config: sdk('traceidratio', 0.1), requests: 100, sampled: 80, roots: 10, ratio: 1.2, low: 1.1, high: 1.3 },
    // measured below zero: nothing to explain.
    { name: 'noisy', config: sdk('always_off'), requests: 100, sampled: 0, roots: 0, ratio: 0.98, low: 0.9, high: 1.05 },
  ]);
  const e = explainRun(run, microDoc());
  assert.deepEqual(e.rows.map((r) => r.variant), ['always_on', 'always_off', 'ratio 0.1', 'noisy']);
  const [on, off, ratio, noisy] = e.rows;
  assert.ok(Math.abs(on!.measured!.us - 70) < 1e-9);
  assert.ok(Math.abs(on!.ratio! - 65.82 / 70) < 1e-9);
  assert.equal(on!.differs, false);
  assert.equal(on!.finding, null);
  assert.equal(off!.differs, true);
  assert.match(off!.finding!, /floor beyond the modelled calls/);
  assert.equal(ratio!.differs, true);
  assert.match(ratio!.finding!, /15\.0 CPU µs per exported span/);
  assert.match(ratio!.finding!, /12\.0 µs\/request at 0\.8 sampled spans/);
  assert.equal(noisy!.ratio, null);
  assert.match(noisy!.finding!, /no added CPU/);
  // Variants that recorded under 1% of requests give the floor its measured side.
  assert.deepEqual(e.floor.measured.map((m) => m.variant), ['always_off', 'noisy']);
  assert.ok(Math.abs(e.floor.measured[0]!.measured!.us - 100) < 1e-9);
  // The printers show every variant and the floor.
  const md = markdownExplain(e);
  for (const text of ['## Where the cost goes', '| always_on |', 'differ by > 30%', 'agree within 30%', '### The floor', 'measured: always_off']) assert.ok(md.includes(text), text);
  assert.match(terminalExplain(e), /the floor \(nothing sampled\)/);
});

test('micro scenarios: listed apart from load scenarios, validated, and refused where load is expected', async () => {
  assert.deepEqual(listShippedMicroScenarios(), ['micro']);
  assert.ok(!listShippedScenarios().includes('micro'));
  const loaded = await loadAnyScenario('micro');
  assert.equal(loaded.kind, 'micro');
  assert.equal(loaded.scenario.name, 'micro');
  assert.equal((await loadAnyScenario('quick')).kind, 'load');
  await assert.rejects(loadScenario('micro'), /unknown scenario 'micro'/);
  await assert.rejects(loadAnyScenario('nope'), /use one of batch-processor, .*micro.*quick/);
  const m = validateMicroScenario({ kind: 'micro', name: 'm', description: 'd' }, 'test');
  assert.equal(m.taskTimeMs, 300);
  assert.equal(m.spec?.fixedRatePerSec, 10_000);
  assert.equal(validateMicroScenario({ kind: 'micro', name: 'm', description: 'd', spec: false }, 'test').spec, null);
  const bad: [unknown, RegExp][] = [
    [{ kind: 'micro', name: 'm', description: 'd', taskTimeMs: 0 }, /taskTimeMs must be a positive number/],
    [{ kind: 'micro', name: 'm', description: 'd', spec: { repeats: 1.5 } }, /spec\.repeats must be a positive whole number/],
    [{ kind: 'micro', name: 'm', description: 'd', spec: { rate: 5 } }, /spec\.rate is not a setting/],
    [{ kind: 'micro', name: 'm', description: 'd', variants: [] }, /variants is not a setting of a micro scenario/],
  ];
  for (const [raw, message] of bad) assert.throws(() => validateMicroScenario(raw, 'test'), (error: Error) => error instanceof ScenarioError && message.test(error.message));
});

test('the results folder is written whole, read back, and a wrong file is refused', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tracetax-micro-'));
  try {
    const dir = path.join(root, 'run');
    const doc = microDoc();
    const files = writeMicroFolder(dir, doc);
    assert.deepEqual(readdirSync(root), ['run']); // no temporary sibling left behind
    assert.deepEqual(readdirSync(dir).sort(), ['micro.json', 'report.md']);
    assert.deepEqual(readMicroDocument(dir), doc);
    assert.deepEqual(readMicroDocument(files.microJson), doc);
    const md = readFileSync(files.reportMd, 'utf8');
    for (const text of ['## Per operation', '| span.root.always_on |', 'decode rate / export rate: 40.0×', '## The specification benchmark at a fixed rate']) assert.ok(md.includes(text), text);
    writeFileSync(path.join(root, 'other.json'), '{"kind":"load"}');
    assert.throws(() => readMicroDocument(path.join(root, 'other.json')), MicroResultsError);
    assert.throws(() => readMicroDocument(path.join(root, 'missing')), /ENOENT/);
    // An --out folder that filled up after checkOutputDir is left alone, not emptied and replaced.
    const filled = path.join(root, 'filled');
    mkdirSync(filled);
    writeFileSync(path.join(filled, 'keep.txt'), 'mine');
    assert.throws(() => writeMicroFolder(filled, doc), /is no longer an empty folder/);
    assert.deepEqual(readdirSync(filled), ['keep.txt']);
    assert.ok(!readdirSync(root).some((name) => name.includes('.tmp-')), 'no temporary sibling left behind');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a short real micro run: every task measured, the spec benchmark exported through gRPC, and the model accepts it', async () => {
  const doc = await runMicro(
    {
      kind: 'micro',
      name: 'micro-test',
      description: 'tiny budgets',
      source: 'test',
      taskTimeMs: 5,
      taskWarmupMs: 0,
      spec: { warmupSec: 0, maxRateSec: 0.5, fixedRatePerSec: 2000, fixedRateSec: 0.5, repeats: 1 },
    },
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
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
  assert.equal(doc.environment.packages.tinybench, pkg.dependencies.tinybench);
});
