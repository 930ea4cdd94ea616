import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuDeltaTrend } from '../../src/compare/trend.ts';
import type { TrialResult } from '../../src/model/index.ts';

const trial = (variant: string, round: number, cpu: number) => ({ variant, trial: round, cpuUsPerRequest: cpu }) as unknown as TrialResult;
const rounds = Array.from({ length: 12 }, (_, i) => i + 1);
// ±1% of fixed noise per round, so a flat run still has some scatter.
const noise = (round: number) => 1 + 0.01 * Math.sin(2.1 * round);
const baseline = rounds.map((r) => trial('untraced', r, 1000));

test('a Δ that falls over the rounds, as a process warming up: the fitted first and last rounds, and a small p', () => {
  // +60% in round 1 down to +16% in round 12: 4 points a round.
  const warming = rounds.map((r) => trial('ratio 1/16', r, 1000 * (1.64 - 0.04 * r) * noise(r)));
  const trend = cpuDeltaTrend(warming, baseline)!;
  assert.equal(trend.firstRound, 1);
  assert.equal(trend.lastRound, 12);
  assert.ok(trend.firstPct > 55 && trend.firstPct < 65, `first ${trend.firstPct}`);
  assert.ok(trend.lastPct > 12 && trend.lastPct < 20, `last ${trend.lastPct}`);
  assert.ok(trend.p < 0.001, `p ${trend.p}`);
});

test('a steady Δ: no trend, first and last alike', () => {
  const steady = rounds.map((r) => trial('ratio 1', r, 1300 * noise(r + 5)));
  const trend = cpuDeltaTrend(steady, baseline)!;
  assert.ok(trend.p > 0.05, `p ${trend.p}`);
  assert.ok(Math.abs(trend.lastPct - trend.firstPct) < 2);
});

test('too few rounds for a slope', () => {
  assert.equal(cpuDeltaTrend(rounds.slice(0, 5).map((r) => trial('x', r, 1200)), baseline), null);
});
