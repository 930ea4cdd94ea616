import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareWithBaseline, median, roundPairs } from '../../src/compare/summary.ts';
import type { TrialResult } from '../../src/model/index.ts';

const trial = (round: number, cpu: number) =>
  ({
    trial: round,
    cpuUsPerRequest: cpu,
    load: { requestsPerSec: 1e6 / cpu, latencyMs: { p50: 1, p99: 2 } },
    serverTimeUs: { p50: cpu, p99: 2 * cpu },
  }) as unknown as TrialResult;

test('median of odd and even counts, ignoring NaN', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([Number.NaN, 5]), 5);
  assert.ok(Number.isNaN(median([])));
});

test('roundPairs pairs each trial with the baseline of its round and leaves out unmatched rounds', () => {
  const pairs = roundPairs([trial(1, 130), trial(4, 999)], [trial(1, 100), trial(2, 100)], (t) => t.cpuUsPerRequest);
  assert.deepEqual(pairs, [[130, 100]]);
});

test('the change is paired by round: drift between rounds cancels out', () => {
  // The machine is 50% slower in rounds 2 and 4; the variant costs exactly 10% more in every round.
  const baseline = [trial(1, 100), trial(2, 150), trial(3, 100), trial(4, 150), trial(5, 100)];
  const variant = baseline.map((t) => trial(t.trial, t.cpuUsPerRequest * 1.1));
  const c = compareWithBaseline(variant, baseline, 2).cpuUsPerRequest;
  assert.ok(Math.abs(c.change!.ratio - 1.1) < 1e-12);
  assert.ok(Math.abs(c.change!.low - 1.1) < 1e-12 && Math.abs(c.change!.high - 1.1) < 1e-12);
  // Unpaired, the drift swamps the change: the rank test sees overlapping samples.
  assert.ok(c.test!.p > 0.05);
  assert.equal(c.verdict, 'differs');
  assert.equal(c.estimate.n, 5);
  assert.ok(c.estimate.low <= c.estimate.median && c.estimate.median <= c.estimate.high);
});

test('the baseline compared with itself: ratio 1, no test; against itself as a variant: p = 1', () => {
  const baseline = [trial(1, 100), trial(2, 120), trial(3, 90)];
  const own = compareWithBaseline(baseline, null, 2).cpuUsPerRequest;
  assert.equal(own.change, null);
  assert.equal(own.test, null);
  assert.equal(own.verdict, null);
  const same = compareWithBaseline(baseline, baseline, 2).cpuUsPerRequest;
  assert.equal(same.change!.ratio, 1);
  assert.equal(same.test!.p, 1);
  assert.equal(same.verdict, 'same');
});
