// node --import tsx --test test/unit/micro.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { explainRun, floorComponents, microCosts, predictComponents, sumComponents } from '../../src/micro/explain.ts';
import { markdownExplain, terminalExplain } from '../../src/micro/explain-report.ts';
import { MicroResultsError, readMicroDocument, writeMicroFolder } from '../../src/micro/write.ts';
import { listShippedMicroScenarios, listShippedScenarios, loadAnyScenario, loadScenario } from '../../src/scenario/load.ts';
import { ScenarioError, validateMicroScenario } from '../../src/scenario/validate.ts';
import { knownNs, microDoc } from '../support/micro-doc.ts';
import type { MicroCosts, MicroDocument, RunDocument, TracingConfig } from '../../src/model/index.ts';

const sdk = (name: 'always_on' | 'always_off' | 'traceidratio', ratio = 1, processor: 'batch' | 'simple' = 'batch'): TracingConfig => ({
  kind: 'sdk',
  sampler: name === 'traceidratio' ? { name, ratio } : { name },
  processor: processor === 'simple' ? { kind: 'simple' } : { kind: 'batch', maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000, exportTimeoutMillis: 30000 },
  exporter: { kind: 'otlp', protocol: 'grpc', endpoint: 'http://127.0.0.1:4317' },
  plantedSpanIterations: 0,
});

/** Just the fields the explain model reads from a run. */
function runDoc(
  variants: { name: string; config: TracingConfig; requests: number; sampled: number; roots: number; ratio: number | null; low?: number; high?: number }[],
  fits: unknown[] = [],
): RunDocument {
  return {
    baseline: 'untraced',
    fits,
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

test('explain against the fit: the predicted floor and cost per sampled span next to the fitted ones', () => {
  const interval = (value: number) => ({ value, low: value * 0.9, high: value * 1.1 });
  const fit = (metric: string) => ({ family: 'traceidratio', metric, floor: interval(60), perTrace: interval(80), perSpan: interval(10), points: [{ variant: 'ratio 0.1' }] });
  const run = runDoc(
    [{ name: 'ratio 0.1', config: sdk('traceidratio', 0.1), requests: 100, sampled: 80, roots: 10, ratio: 1.2 }],
    [fit('cpuUsPerRequest'), fit('serverTimeP50')],
  );
  const costs = microCosts(microDoc());
  const e = explainRun(run, microDoc());
  // Only the CPU fit has a prediction to hold against it.
  assert.equal(e.fitChecks.length, 1);
  const [check] = e.fitChecks;
  const at = (sampled: number, roots: number) => sumComponents(predictComponents(costs, { config: sdk('traceidratio', 0.1), sampledPerRequest: sampled, sampledRootsPerRequest: roots }));
  assert.equal(check!.family, 'traceidratio');
  assert.equal(check!.predictedFloorUs, floorComponents(costs).total);
  assert.ok(Math.abs(check!.predictedPerSpanUs - (at(8, 1) - at(0, 0)) / 8) < 1e-9);
  assert.ok(Math.abs(check!.predictedPerSpanWithTransportUs! - (check!.predictedPerSpanUs + 15)) < 1e-9);
  assert.deepEqual(check!.fittedFloorUs, interval(60));
  assert.match(markdownExplain(e), /### Against the fit: floor and cost per sampled span/);
  assert.match(terminalExplain(e), /per sampled span, with export transport/);
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
    assert.deepEqual(readdirSync(dir).sort(), ['micro.json', 'report.html', 'report.md']);
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

test('explain compares like with like: a variant on another runtime or SDK set than the micro run is named, not predicted', () => {
  const run = runDoc([
    { name: 'here', config: sdk('always_on'), requests: 100, sampled: 800, roots: 100, ratio: 1.07 },
    { name: 'on node24', config: sdk('always_on'), requests: 100, sampled: 800, roots: 100, ratio: 1.05 },
  ]);
  const variants = run.variants.map((v) => (v.name === 'on node24' ? { ...v, runtime: { runtime: 'node24' as const, nodeFlags: [] }, sdk: 'otel-latest' as const } : v));
  const e = explainRun({ ...run, variants }, microDoc());
  assert.deepEqual(e.rows.map((r) => r.variant), ['here']);
  assert.deepEqual(e.elsewhere, [{ variant: 'on node24', ranOn: 'node24 · otel-latest', microOn: "tracetax's own Node.js · otel-0.223" }]);
  assert.match(terminalExplain(e), /on node24: not predicted: it ran on node24 · otel-latest, the micro-benchmarks on tracetax's own Node\.js · otel-0\.223/);
  // A micro run on that runtime and set predicts that variant, and names the other.
  const doc = microDoc();
  const there = explainRun({ ...run, variants }, { ...doc, environment: { ...doc.environment, runtime: { runtime: 'node24', nodeFlags: [] }, sdk: 'otel-latest' } });
  assert.deepEqual(there.rows.map((r) => r.variant), ['on node24']);
  assert.deepEqual(there.elsewhere?.map((x) => x.variant), ['here']);
});

test('a micro scenario takes a runtime and SDK set from the file or --runtime/--sdk, refused where the set cannot run', () => {
  const raw = { kind: 'micro', name: 'm', description: 'd' };
  assert.deepEqual([validateMicroScenario(raw, 'test').runtime, validateMicroScenario(raw, 'test').sdk], [{ nodeFlags: [] }, 'otel-0.223']);
  const latest = validateMicroScenario(raw, 'test', { runtime: 'node24', sdk: 'otel-latest' });
  assert.deepEqual([latest.runtime, latest.sdk], [{ runtime: 'node24', nodeFlags: [] }, 'otel-latest']);
  assert.throws(() => validateMicroScenario(raw, 'test', { sdk: 'otel-latest' }), (e: unknown) => e instanceof ScenarioError && /needs Node\.js ≥ 22\.15\.0, and it would run on tracetax's own: give it runtime 'node22' or 'node24'/.test(e.message));
  assert.throws(() => validateMicroScenario(raw, 'test', { runtime: 'node19' }), /--runtime must be one of node20, node22, node24/);
  assert.throws(() => validateMicroScenario({ ...raw, sdk: 'nope' }, 'test'), /scenario\.sdk must be one of otel-0\.223, otel-latest/);
});
