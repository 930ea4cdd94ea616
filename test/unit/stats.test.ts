// node --import tsx --test test/unit/stats.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bootstrapPairedRatio,
  pairedRatioT,
  pairedRatioTest,
  studentTTwoSidedP,
  studentT975,
  bootstrapRatioOfMedians,
  confidenceWarning,
  formatEstimate,
  formatRatio,
  mannWhitneyU,
  medianCI,
  minimumPValue,
  mulberry32,
  significanceWarning,
} from '../../src/compare/stats.ts';

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

test('medianCI of 1..10: [x(2), x(9)] covers with 1 − 2·11/1024; [x(3), x(8)] would only reach 0.89', () => {
  const e = medianCI([7, 3, 10, 1, 5, 2, 9, 4, 8, 6]);
  assert.equal(e.median, 5.5);
  assert.equal(e.low, 2);
  assert.equal(e.high, 9);
  assert.equal(e.n, 10);
  close(e.confidence, 1 - 22 / 1024);
  // At 0.85 the narrower pair is enough: 1 − 2·(1 + 10 + 45)/1024 = 0.890625.
  const narrower = medianCI([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.85);
  assert.deepEqual([narrower.low, narrower.high], [3, 8]);
  close(narrower.confidence, 0.890625);
});

test('medianCI with too few values for 95%: [min, max] and the coverage it achieves', () => {
  assert.deepEqual(medianCI([5, 1, 4, 2, 3]), { median: 3, low: 1, high: 5, n: 5, confidence: 1 - 2 / 32 });
  assert.deepEqual(medianCI([2, 1]), { median: 1.5, low: 1, high: 2, n: 2, confidence: 0.5 });
  assert.deepEqual(medianCI([7]), { median: 7, low: 7, high: 7, n: 1, confidence: 0 });
  const empty = medianCI([]);
  assert.equal(empty.n, 0);
  assert.ok([empty.median, empty.low, empty.high, empty.confidence].every(Number.isNaN));
  // Six values are the fewest whose [min, max] reaches 95%: 1 − 2/64.
  assert.equal(medianCI([6, 5, 4, 3, 2, 1]).confidence, 1 - 2 / 64);
});

test('medianCI leaves NaN out and rejects a confidence outside (0, 1)', () => {
  assert.deepEqual(medianCI([NaN, 3, 1, NaN, 2]), medianCI([1, 2, 3]));
  assert.throws(() => medianCI([1, 2, 3], 1), RangeError);
  assert.throws(() => medianCI([1, 2, 3], 0), RangeError);
});

test('medianCI of many values: a narrow interval around the median with about the requested coverage', () => {
  const values = Array.from({ length: 2001 }, (_, i) => i);
  const e = medianCI(values);
  assert.equal(e.median, 1000);
  assert.ok(e.low < 1000 && e.high > 1000 && e.high - 1000 === 1000 - e.low);
  assert.ok(e.high - e.low < 100);
  assert.ok(e.confidence >= 0.95 && e.confidence < 0.96, String(e.confidence));
});

test('Mann–Whitney: 5 clearly above 5 gives the exact p = 2/252', () => {
  const result = mannWhitneyU([16, 17, 18, 19, 20], [1, 2, 3, 4, 5]);
  assert.deepEqual(result, { u: 25, p: 2 / 252, n1: 5, n2: 5, exact: true });
  assert.equal(mannWhitneyU([1, 2, 3, 4, 5], [16, 17, 18, 19, 20]).u, 0);
  assert.equal(mannWhitneyU([1, 2, 3, 4, 5], [16, 17, 18, 19, 20]).p, 2 / 252);
});

test('Mann–Whitney exact p matches an enumeration of every ordering', () => {
  const a = [1.1, 3.2, 4.5];
  const b = [2.0, 5.1, 6.3, 0.5];
  // U of a = pairs where a beats b: 1.1 > 0.5; 3.2 > 0.5, 2.0; 4.5 > 0.5, 2.0 → 5.
  const observed = 5;
  const n = a.length + b.length;
  let atMost = 0;
  let atLeast = 0;
  let total = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    if (popcount(mask) !== a.length) continue;
    let u = 0; // positions in mask are a's ranks; each beats the b's below it
    let bsBelow = 0;
    for (let rank = 0; rank < n; rank++) {
      if (mask & (1 << rank)) u += bsBelow;
      else bsBelow++;
    }
    total++;
    if (u <= observed) atMost++;
    if (u >= observed) atLeast++;
  }
  assert.equal(total, 35);
  const result = mannWhitneyU(a, b);
  assert.equal(result.u, observed);
  assert.equal(result.exact, true);
  close(result.p, Math.min(1, (2 * Math.min(atMost, atLeast)) / total));
});

test('Mann–Whitney normal approximation agrees with the exact p for 20 vs 20', () => {
  // b's values interleave a's to different degrees. a's two smallest values have no b between them, so
  // making them equal leaves U alone but, being a tie, switches to the approximation.
  for (const shift of [0.3, 3.3, 6.3, 9.3, 12.3]) {
    const a = [0, 0.1, ...Array.from({ length: 18 }, (_, i) => 2 + i * 2)];
    const b = Array.from({ length: 20 }, (_, i) => i * 2 + shift);
    const exact = mannWhitneyU(a, b);
    const approx = mannWhitneyU([0, 0, ...a.slice(2)], b);
    assert.equal(exact.exact, true);
    assert.equal(approx.exact, false);
    assert.equal(approx.u, exact.u);
    close(approx.p, exact.p, 0.005);
  }
});

test('Mann–Whitney with ties: identical samples and all-equal values give p = 1', () => {
  const same = mannWhitneyU([3, 1, 2, 5, 4], [1, 2, 3, 4, 5]);
  assert.equal(same.u, 12.5);
  assert.equal(same.p, 1);
  assert.equal(mannWhitneyU([2, 2, 2], [2, 2]).p, 1);
  // Separated but tied inside each sample: the approximation still finds the difference.
  assert.ok(mannWhitneyU([10, 10, 11, 11, 12, 12], [1, 1, 2, 2, 3, 3]).p < 0.01);
});

test('Mann–Whitney drops NaN and reports NaN for an empty sample', () => {
  assert.deepEqual(mannWhitneyU([16, NaN, 17, 18, 19, 20], [1, 2, NaN, 3, 4, 5]), mannWhitneyU([16, 17, 18, 19, 20], [1, 2, 3, 4, 5]));
  const empty = mannWhitneyU([], [1, 2]);
  assert.equal(empty.n1, 0);
  assert.ok(Number.isNaN(empty.p));
});

test('Mann–Whitney exact at the 50 + 50 limit, approximation beyond it', () => {
  const fifty = Array.from({ length: 50 }, (_, i) => i);
  const exact = mannWhitneyU(fifty, fifty.map((x) => x + 5.5));
  assert.equal(exact.exact, true);
  assert.ok(exact.p > 0.05 && exact.p < 0.5, String(exact.p));
  assert.equal(mannWhitneyU([...fifty, 50], fifty.map((x) => x + 5.5)).exact, false);
});

test('minimumPValue: 3+3 can never reach 0.05, 4+4 and 5+5 can', () => {
  assert.equal(minimumPValue(3, 3), 0.1);
  assert.equal(minimumPValue(4, 4), 2 / 70);
  assert.equal(minimumPValue(5, 5), 2 / 252);
  assert.equal(minimumPValue(1, 1), 1);
  assert.equal(minimumPValue(0, 5), 1);
  // It is the exact test's p for fully separated samples.
  assert.equal(mannWhitneyU([4, 5, 6], [1, 2, 3]).p, minimumPValue(3, 3));
});

test('mulberry32 is deterministic per seed and stays in [0, 1)', () => {
  const first = mulberry32(42);
  const again = mulberry32(42);
  const draws = Array.from({ length: 1000 }, () => first());
  assert.deepEqual(Array.from({ length: 1000 }, () => again()), draws);
  assert.ok(draws.every((x) => x >= 0 && x < 1));
  assert.notDeepEqual(Array.from({ length: 5 }, mulberry32(43)), draws.slice(0, 5));
});

test('bootstrapRatioOfMedians of identical samples: exactly 1, interval around 1', () => {
  const values = [10, 11, 12, 13, 9];
  const r = bootstrapRatioOfMedians(values, [...values].reverse());
  assert.equal(r.ratio, 1);
  assert.ok(r.low <= 1 && 1 <= r.high);
  assert.equal(r.resamples, 10_000);
  assert.equal(r.confidence, 0.95);
});

test('bootstrapRatioOfMedians is deterministic for a seed and its interval holds the estimate', () => {
  const a = [110, 121, 100, 105, 99, 108];
  const b = [100, 98, 102, 101, 97, 103];
  const options = { resamples: 2000, seed: 7 };
  const r = bootstrapRatioOfMedians(a, b, options);
  assert.deepEqual(bootstrapRatioOfMedians(a, b, options), r);
  close(r.ratio, 106.5 / 100.5);
  assert.ok(r.low <= r.ratio && r.ratio <= r.high);
  assert.ok(r.low < r.high);
  for (const seed of [1, 2, 3]) {
    const other = bootstrapRatioOfMedians(a, b, { ...options, seed });
    assert.ok(other.low <= other.ratio && other.ratio <= other.high);
  }
  // A wider requested confidence never narrows the interval (same seed, same resamples).
  const wide = bootstrapRatioOfMedians(a, b, { ...options, confidence: 0.99 });
  assert.ok(wide.low <= r.low && wide.high >= r.high);
});

test('studentT975 matches the tables: 12.706 (1), 4.303 (2), 3.182 (3), 2.571 (5), 2.228 (10), 2.042 (30), 1.984 (100)', () => {
  for (const [df, t] of [[1, 12.706], [2, 4.303], [3, 3.182], [5, 2.571], [10, 2.228], [30, 2.042], [100, 1.984]]) {
    assert.ok(Math.abs(studentT975(df) - t) < 0.003, `df ${df}: ${studentT975(df)} vs ${t}`);
  }
  assert.ok(Number.isNaN(studentT975(0)));
});

test('pairedRatioT: a constant ratio whatever the drift; the interval from the log ratios\' spread; fewer than two pairs give no interval', () => {
  const exact = pairedRatioT([[110, 100], [165, 150], [220, 200]]);
  assert.ok(Math.abs(exact.ratio - 1.1) < 1e-12 && Math.abs(exact.low - 1.1) < 1e-12 && Math.abs(exact.high - 1.1) < 1e-12);
  // log ratios ±d around 0 over 4 rounds: mean 0, sd = d·√(4/3), half-width t(3)·sd/2.
  const d = 0.02;
  const r = pairedRatioT([[Math.exp(d), 1], [Math.exp(-d), 1], [Math.exp(d), 1], [Math.exp(-d), 1]]);
  const half = (studentT975(3) * d * Math.sqrt(4 / 3)) / 2;
  assert.ok(Math.abs(r.ratio - 1) < 1e-12);
  assert.ok(Math.abs(Math.log(r.high) - half) < 1e-12 && Math.abs(Math.log(r.low) + half) < 1e-12);
  assert.equal(r.resamples, 0);
  const one = pairedRatioT([[2, 1], [Number.NaN, 1]]);
  assert.equal(one.ratio, 2);
  assert.ok(Number.isNaN(one.low) && Number.isNaN(one.high));
});

test('bootstrapPairedRatio: a constant 10% per round gives exactly 1.1 whatever the drift', () => {
  const r = bootstrapPairedRatio([
    [110, 100],
    [220, 200],
    [330, 300],
    [165, 150],
  ]);
  assert.deepEqual(r, { ratio: 1.1, low: 1.1, high: 1.1, confidence: 0.95, resamples: 10_000 });
});

test('bootstrapPairedRatio drops pairs with NaN; empty input gives NaN', () => {
  const pairs: [number, number][] = [
    [110, 100],
    [NaN, 100],
    [230, 200],
    [120, NaN],
    [320, 300],
  ];
  const r = bootstrapPairedRatio(pairs, { resamples: 500, seed: 3 });
  assert.deepEqual(r, bootstrapPairedRatio([pairs[0], pairs[2], pairs[4]], { resamples: 500, seed: 3 }));
  assert.equal(r.ratio, 1.1);
  assert.ok(r.low <= 1.1 && r.high >= 1.1);
  assert.ok(Number.isNaN(bootstrapPairedRatio([]).ratio));
  assert.throws(() => bootstrapPairedRatio(pairs, { resamples: 0 }), RangeError);
});

test('formatEstimate: median ± the larger side of the interval in percent', () => {
  // [1200, 1260] around 1237: 37 / 1237 ≈ 3%.
  assert.equal(formatEstimate(medianCI([1234, 1200, 1250, 1260, 1230, 1240])), '1,237 ± 3%');
  assert.equal(formatEstimate({ median: 12.34, low: 12.3, high: 12.4, n: 6, confidence: 0.97 }), '12.3 ± 0.5%');
  assert.equal(formatEstimate({ median: 0.5, low: 0.5, high: 0.5, n: 5, confidence: 0.94 }), '0.5 ± 0%');
  assert.equal(formatEstimate(medianCI([42])), '42 ± ∞');
  assert.equal(formatEstimate(medianCI([])), '–');
});

test('formatRatio and the benchstat-style sample-size warnings', () => {
  assert.equal(formatRatio({ ratio: 1.1, low: 1.05, high: 1.2, confidence: 0.95, resamples: 10_000 }), '+10.0% [+5.0%, +20.0%]');
  assert.equal(formatRatio({ ratio: 0.97, low: 0.9, high: 1.01, confidence: 0.95, resamples: 10_000 }), '−3.0% [−10.0%, +1.0%]');
  assert.equal(confidenceWarning(medianCI([1, 2, 3, 4, 5])), 'need >= 6 samples for confidence interval at level 0.95');
  assert.equal(confidenceWarning(medianCI([1, 2, 3, 4, 5, 6])), undefined);
  assert.equal(confidenceWarning(medianCI([1, 2, 3, 4, 5]), 0.9), undefined);
  assert.equal(significanceWarning(3, 3), 'need >= 4 samples to detect a difference at alpha level 0.05');
  assert.equal(significanceWarning(4, 4), undefined);
  assert.equal(significanceWarning(3, 3, 0.2), undefined);
});

function popcount(x: number): number {
  let count = 0;
  for (; x; x &= x - 1) count++;
  return count;
}

test("Student t's two-sided p: known values, and the test that goes with the paired interval", () => {
  // t tables: the 97.5% points give p = 0.05; t = 1 with 1 and 2 degrees of freedom has closed forms.
  for (const [t, df] of [[12.7062, 1], [4.30265, 2], [2.262157, 9], [2.042272, 30]]) {
    assert.ok(Math.abs(studentTTwoSidedP(t, df) - 0.05) < 1e-5, `t ${t}, df ${df}`);
  }
  assert.ok(Math.abs(studentTTwoSidedP(1, 1) - 0.5) < 1e-12);
  assert.ok(Math.abs(studentTTwoSidedP(-1, 2) - (1 - 1 / Math.sqrt(3))) < 1e-12);
  assert.equal(studentTTwoSidedP(0, 5), 1);
  assert.ok(Number.isNaN(studentTTwoSidedP(1, 0)));
  // The test and the interval agree: p < 0.05 exactly when the interval excludes a ratio of 1.
  const pairs: [number, number][] = [[1.05, 1], [1.02, 1], [1.04, 1], [0.99, 1], [1.06, 1]];
  const interval = pairedRatioT(pairs);
  const tested = pairedRatioTest(pairs);
  assert.equal(tested.rounds, 5);
  assert.equal(tested.p < 0.05, interval.low > 1);
  assert.equal(pairedRatioTest([[1, 1]]).rounds, 1);
  assert.ok(Number.isNaN(pairedRatioTest([[1, 1]]).p));
});
