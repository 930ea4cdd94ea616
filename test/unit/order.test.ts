// The rounds' shuffled order and the check of a position effect, on synthetic data.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../src/compare/stats.ts';
import { positionEffect } from '../../src/compare/position.ts';
import type { TrialResult } from '../../src/model/index.ts';
import { roundOrders } from '../../src/run/order.ts';

test('each round is a permutation, and the same seed gives the same orders', () => {
  const orders = roundOrders(5, 20, 42);
  for (const order of orders) assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4]);
  assert.deepEqual(roundOrders(5, 20, 42), orders);
  assert.notDeepEqual(roundOrders(5, 20, 43), orders);
});

test('every variant comes to every place about equally often', () => {
  const counts = [0, 1, 2].map(() => [0, 0, 0]);
  for (const order of roundOrders(3, 600, 7)) order.forEach((variant, place) => counts[variant][place]++);
  // 200 expected in each cell; ±50 is beyond 4 standard deviations (sd ≈ 11.5).
  for (const row of counts) for (const n of row) assert.ok(n > 150 && n < 250, `${counts}`);
  assert.deepEqual(counts.map((row) => row.reduce((a, b) => a + b)), [600, 600, 600]);
});

/** Trials of `variants` variants over `rounds` rounds in the given orders; the first place reads `firstPlaceBias` high. */
function synthetic(variants: number, rounds: number, firstPlaceBias: number, seed: number): TrialResult[][] {
  const random = mulberry32(seed);
  const out: TrialResult[][] = Array.from({ length: variants }, () => []);
  roundOrders(variants, rounds, seed).forEach((order, r) =>
    order.forEach((v, place) => {
      const cpu = (200 + 50 * v) * (1 + (random() - 0.5) * 0.02) * (place === 0 ? 1 + firstPlaceBias : 1);
      out[v].push({ variant: `v${v}`, trial: r + 1, order: r * variants + place + 1, cpuUsPerRequest: cpu } as TrialResult);
    }),
  );
  return out;
}

const placeInRound = (variants: number) => (t: TrialResult) => t.order - (t.trial - 1) * variants;

test('a first place that reads 10% high is found beyond the noise; without it no place is', () => {
  const biased = positionEffect(synthetic(4, 12, 0.1, 1), placeInRound(4))!;
  assert.equal(biased.positions.length, 4);
  assert.deepEqual(biased.positions.map((p) => p.n), [12, 12, 12, 12]);
  assert.equal(biased.positions[0].beyondNoise, true);
  assert.ok(biased.positions[0].meanDeviationPct > biased.positions[1].meanDeviationPct);
  const clean = positionEffect(synthetic(4, 12, 0, 1), placeInRound(4))!;
  assert.deepEqual(clean.positions.map((p) => p.beyondNoise), [false, false, false, false]);
});

test('one round or one variant is too little to tell', () => {
  assert.equal(positionEffect(synthetic(4, 1, 0.1, 1), placeInRound(4)), null);
  assert.equal(positionEffect(synthetic(1, 10, 0.1, 1), placeInRound(1)), null);
});
