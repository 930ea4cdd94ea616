import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gcPausesBetween, gcPausesSoFar, totalPauseMs } from '../../src/measure/gc.ts';
import { batchRegime, warnings } from '../../src/report/rows.ts';
import type { RunDocument, TracingConfig } from '../../src/model/index.ts';

const batch = (maxExportBatchSize: number, scheduledDelayMillis: number): TracingConfig => ({
  kind: 'sdk',
  sampler: { name: 'traceidratio', ratio: 1 },
  processor: { kind: 'batch', maxQueueSize: 2048, maxExportBatchSize, scheduledDelayMillis, exportTimeoutMillis: 30000 },
  exporter: { kind: 'none' },
  plantedSpanIterations: 0,
});

test('the batching regime: a batch that fills before the delay goes by size, else the timer sends what queued', () => {
  // 100 req/s × 8 spans: 512 spans in 0.64 s, well inside 5 s.
  assert.deepEqual(batchRegime(batch(512, 5000), 800), { kind: 'size', text: 'size: 512 spans in 0.64 s' });
  // The same service sampling 1/16: 50 spans/s, so the 5-s timer sends about 250.
  assert.deepEqual(batchRegime(batch(512, 5000), 50), { kind: 'timer', text: '5-s timer: ~250 spans' });
  assert.deepEqual(batchRegime(batch(512, 200), 50), { kind: 'timer', text: '200-ms timer: ~10.0 spans' });
  assert.equal(batchRegime({ ...batch(512, 5000), processor: { kind: 'simple' } } as TracingConfig, 800).text, 'each span (simple)');
  assert.deepEqual(batchRegime(batch(512, 5000), 0), { kind: 'other', text: 'nothing sampled' });
  assert.deepEqual(batchRegime({ kind: 'untraced' }, null), { kind: 'other', text: '–' });
});

test('GC tallies: a window is the difference of two tallies, and allocation shows up as collections', async () => {
  const before = gcPausesSoFar();
  // Enough short-lived garbage to fill the young generation many times over. Each array escapes into
  // `sink`, or the optimizing compiler may prove it dead and never allocate it (then nothing is collected).
  let sink: unknown[] = [];
  let keep = 0;
  for (let i = 0; i < 2_000_000; i++) {
    sink = [i, i + 1, { i }];
    keep += sink.length;
  }
  assert.ok(keep > 0 && sink.length === 3);
  // Node hands GC entries to observers from the event loop: a window spans turns of it, as the service's do.
  for (let turn = 0; turn < 20 && gcPausesBetween(before, gcPausesSoFar()).minor.count === 0; turn++) await new Promise((resolve) => setTimeout(resolve, 100));
  const window = gcPausesBetween(before, gcPausesSoFar());
  assert.ok(window.minor.count > 0, `scavenges counted: ${JSON.stringify(window)}`);
  assert.ok(window.minor.ms >= 0 && totalPauseMs(window) >= window.minor.ms);
  const same = gcPausesSoFar();
  assert.deepEqual(gcPausesBetween(same, same), { minor: { count: 0, ms: 0 }, major: { count: 0, ms: 0 }, incremental: { count: 0, ms: 0 }, weakCallbacks: { count: 0, ms: 0 } });
});

test('a fit whose ratios batched in different regimes is flagged; one regime is not', () => {
  const variant = (name: string, ratio: number, spansPerSec: number) => ({
    name,
    config: { ...batch(512, 5000), sampler: { name: 'traceidratio', ratio } },
    summary: { processorSpansPerSec: spansPerSec, failedRequests: 0, spans: { dropped: 0, exportFailed: 0 }, allFlushed: true },
    comparison: { cpuUsPerRequest: { verdict: 'differs', estimate: { n: 10, confidence: 0.95 } } },
    trials: [],
  });
  const runOf = (variants: ReturnType<typeof variant>[]) =>
    ({
      variants,
      design: { precisionPts: 2 },
      fits: [{ family: 'traceidratio', metric: 'cpuUsPerRequest', straight: true, points: variants.map((v) => ({ variant: v.name })) }],
      positionEffect: null,
    }) as unknown as RunDocument;
  // 100 req/s: ratio 1 fills its batches in 0.64 s, 1/16 waits out the 5-s timer.
  const mixed = warnings(runOf([variant('ratio 1', 1, 800), variant('ratio 1/16', 0.0625, 50)]));
  assert.deepEqual(
    mixed.filter((w) => w.includes('regimes')),
    ['traceidratio: the batches of ratio 1 went by size, those of ratio 1/16 waited for the timer: the fitted line assumes one cost per sampled span, which two batching regimes need not share (see the batching table)'],
  );
  // At saturation every ratio fills its batches before the timer.
  assert.deepEqual(warnings(runOf([variant('ratio 1', 1, 30000), variant('ratio 1/16', 0.0625, 1900)])).filter((w) => w.includes('regimes')), []);
});
