import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median, pairedChange } from '../src/compare/summary.ts';
import type { TrialResult } from '../src/run/trial.ts';

const trial = (round: number, cpu: number) => ({ trial: round, cpuUsPerRequest: cpu }) as unknown as TrialResult;
const cpu = (t: TrialResult) => t.cpuUsPerRequest;

test('median of odd and even counts, ignoring NaN', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([Number.NaN, 5]), 5);
  assert.ok(Number.isNaN(median([])));
});

test('pairedChange compares each round with the baseline of the same round', () => {
  // The machine slows down by half in round 2; the variant costs 10% more in every round.
  const baseline = [trial(1, 100), trial(2, 150), trial(3, 100)];
  const variant = [trial(1, 110), trial(2, 165), trial(3, 110)];
  assert.ok(Math.abs(pairedChange(variant, baseline, cpu) - 10) < 1e-9);
  // Unpaired medians would see the same here, but not when the drift hits the rounds unevenly:
  const drifting = [trial(1, 110), trial(2, 165), trial(3, 165)];
  const slowBase = [trial(1, 100), trial(2, 150), trial(3, 150)];
  assert.ok(Math.abs(pairedChange(drifting, slowBase, cpu) - 10) < 1e-9);
});

test('pairedChange of identical trials is zero; rounds without a baseline are left out', () => {
  const same = [trial(1, 120), trial(2, 90)];
  assert.equal(pairedChange(same, same, cpu), 0);
  assert.ok(Math.abs(pairedChange([trial(1, 130), trial(4, 999)], [trial(1, 100)], cpu) - 30) < 1e-9);
});
