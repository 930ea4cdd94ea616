// The floor + per-trace fit on synthetic rounds whose true line is known.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitFamilies, fitFamily, leastSquares, type FitInput } from '../../src/compare/fit.ts';
import type { TrialResult } from '../../src/model/index.ts';

const ratios = [1, 0.5, 0.25, 0.125, 0.0625, 0.001];
/** Each round's machine drift, shared by every variant of the round (pairing must cancel it). */
const drift = [0, 12, -6, 8, 3, -10, 5, 1];

function trial(trial: number, cpu: number): TrialResult {
  return { trial, cpuUsPerRequest: cpu, serverTimeUs: { p50: cpu / 2, p90: 0, p99: 0, p999: 0 } } as TrialResult;
}

/** A family whose Δ CPU at ratio r is cost(r), ±0.5 µs alternating by round. */
function family(cost: (ratio: number) => number, rs: readonly number[] = ratios): FitInput {
  const baseline = drift.map((d, r) => trial(r + 1, 200 + d));
  return {
    family: 'traceidratio',
    baseline,
    spansPerTrace: 8,
    variants: rs.map((ratio) => ({ name: `r${ratio}`, ratio, trials: drift.map((d, r) => trial(r + 1, 200 + d + cost(ratio) + (r % 2 === 0 ? 0.5 : -0.5))) })),
  };
}

test('least squares on points of a known line', () => {
  assert.deepEqual(leastSquares([0, 1, 2], [5, 7, 9]), { intercept: 5, slope: 2 });
  assert.ok(Number.isNaN(leastSquares([1, 1], [2, 3]).slope));
});

test('points on floor 20 + ratio × 80 µs: the fit finds both, with intervals around them, through the rounds\' drift', () => {
  const fit = fitFamily(family((r) => 20 + 80 * r), 'cpuUsPerRequest')!;
  assert.ok(Math.abs(fit.floor.value - 20) < 1, `floor ${fit.floor.value}`);
  assert.ok(Math.abs(fit.perTrace.value - 80) < 1.5, `per trace ${fit.perTrace.value}`);
  // Every round's noise is the same for each variant here, so the per-trace interval may be a single point (up to rounding).
  const contains = (i: { low: number; high: number }, x: number) => i.low - 1e-9 <= x && x <= i.high + 1e-9;
  assert.ok(contains(fit.floor, 20) && contains(fit.perTrace, 80), JSON.stringify([fit.floor, fit.perTrace]));
  assert.ok(fit.floor.high - fit.floor.low < 3, 'the shared drift cancels: a narrow interval');
  assert.equal(fit.perSpan.value, fit.perTrace.value / 8);
  assert.equal(fit.points.length, ratios.length);
  assert.equal(fit.rounds, drift.length);
  assert.equal(fit.straight, true);
  assert.ok(Math.abs(fit.floorPctOfBaseline - (fit.floor.value / 202) * 100) < 1e-9); // the baseline's median is 202
});

test('points on a curve are not a straight line, and the report is told so', () => {
  const fit = fitFamily(family((r) => 20 + 80 * Math.sqrt(r)), 'cpuUsPerRequest')!;
  assert.equal(fit.straight, false);
  assert.ok(fit.points.some((p) => p.offLine));
});

test('one ratio is no fit; every family with two or more gets one per metric', () => {
  assert.equal(fitFamily(family((r) => 20 + 80 * r, [0.5, 0.5]), 'cpuUsPerRequest'), null);
  assert.deepEqual(fitFamilies([family((r) => 20 + 80 * r, [0.5])]), []);
  assert.deepEqual(fitFamilies([family((r) => 20 + 80 * r)]).map((f) => f.metric), ['cpuUsPerRequest', 'serverTimeP50']);
});
