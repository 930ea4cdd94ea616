// The rounds until precise, on synthetic rounds: the stopping rule, the verdicts and the widest interval.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { halfWidthPts, stopReason, verdictOf, widestInterval } from '../../src/compare/precision.ts';
import { mulberry32 } from '../../src/compare/stats.ts';
import { measureRounds } from '../../src/run/round-loop.ts';
import type { RoundRunner } from '../../src/run/rounds.ts';
import type { RatioEstimate, RoundsSetting, RunEvent, TrialResult } from '../../src/model/index.ts';

const ratio = (low: number, point: number, high: number): RatioEstimate => ({ ratio: point, low, high, confidence: 0.95, resamples: 1000 });

test('verdicts: differs when the interval excludes no change, same when it holds it within ±P, undecided otherwise', () => {
  assert.equal(verdictOf(ratio(1.01, 1.02, 1.03), 2), 'differs');
  assert.equal(verdictOf(ratio(0.9, 0.95, 0.99), 2), 'differs');
  assert.equal(verdictOf(ratio(0.99, 1.0, 1.015), 2), 'same');
  assert.equal(verdictOf(ratio(0.97, 1.0, 1.015), 2), 'undecided');
  assert.equal(verdictOf(ratio(0.97, 1.0, 1.015), 5), 'same');
  assert.equal(verdictOf(ratio(NaN, NaN, NaN), 2), 'undecided');
});

test('half-width in points, and the widest interval (an interval not known yet counts as infinitely wide)', () => {
  assert.ok(Math.abs(halfWidthPts(ratio(1.1, 1.12, 1.14)) - 2) < 1e-9);
  assert.deepEqual(widestInterval([
    { variant: 'a', change: ratio(1.0, 1.01, 1.02) },
    { variant: 'b', change: ratio(1.0, 1.03, 1.06) },
  ]), { variant: 'b', halfWidthPts: 3.0000000000000027 });
  assert.equal(widestInterval([{ variant: 'a', change: ratio(1, 1, 1) }, { variant: 'n', change: ratio(NaN, NaN, NaN) }])!.variant, 'n');
  assert.equal(widestInterval([]), null);
});

test('the stopping rule: a fixed count; precise only after the minimum rounds; the budget once another round would not fit', () => {
  const precise: RoundsSetting = { kind: 'until-precise', precisionPts: 2, maxTimeSec: 100, minRounds: 4 };
  const state = { roundsDone: 3, elapsedSec: 30, secPerRound: 10, widestHalfWidthPts: 1 };
  assert.equal(stopReason({ kind: 'fixed', count: 3 }, state), 'fixed');
  assert.equal(stopReason({ kind: 'fixed', count: 4 }, state), null);
  assert.equal(stopReason(precise, state), null, 'three rounds are too few to call precise');
  assert.equal(stopReason(precise, { ...state, roundsDone: 4 }), 'precise');
  assert.equal(stopReason(precise, { ...state, roundsDone: 4, widestHalfWidthPts: 2.5 }), null);
  assert.equal(stopReason(precise, { ...state, roundsDone: 4, widestHalfWidthPts: 2.5, elapsedSec: 91 }), 'budget');
  assert.equal(stopReason(precise, { ...state, roundsDone: 1, elapsedSec: 200 }), null, 'two rounds run whatever the budget');
  assert.equal(stopReason(precise, { ...state, roundsDone: 2, elapsedSec: 200 }), 'budget');
});

/**
 * Rounds of synthetic trials: each variant's CPU/request is its true cost × (1 + noise), the noise
 * normal with the given sd per round, from a seed. The clock advances 10 s per round.
 */
function syntheticRunner(truth: readonly number[], sdPct: number, seed: number, clock: { now: number }): RoundRunner {
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return {
    slicesPerRound: truth.length,
    async round(round, order, firstOrder) {
      clock.now += 10;
      return order.map((member, place) => {
        const cpu = truth[member] * (1 + (sdPct / 100) * normal());
        return { variant: `v${member}`, trial: round, order: firstOrder + place, cpuUsPerRequest: cpu } as unknown as TrialResult;
      });
    },
    async finish() {
      return [];
    },
    kill() {},
  };
}

async function loop(rounds: RoundsSetting, sdPct: number, seed = 7) {
  const clock = { now: 0 };
  const events: RunEvent[] = [];
  const truth = [100, 100, 110, 150];
  const runner = syntheticRunner(truth, sdPct, seed, clock);
  const result = await measureRounds({
    startBlock: async () => runner,
    blocks: 'single',
    variants: truth.map((_, i) => ({ name: `v${i}`, baseline: 'v0' })),
    rounds,
    nextOrder: () => [0, 1, 2, 3],
    elapsedSec: () => clock.now,
    onEvent: (e) => events.push(e),
  });
  return { result, ends: events.filter((e): e is Extract<RunEvent, { type: 'round-end' }> => e.type === 'round-end') };
}

test('rounds until precise stop at the first round past the minimum whose widest interval is within ±P', async () => {
  const { result, ends } = await loop({ kind: 'until-precise', precisionPts: 2, maxTimeSec: 10_000, minRounds: 4 }, 3);
  assert.equal(result.stoppedBecause, 'precise');
  assert.equal(ends.length, result.roundsRun);
  assert.ok(result.roundsRun >= 4);
  assert.ok(ends.at(-1)!.widest!.halfWidthPts <= 2);
  // Every earlier round past the minimum was still too wide, or it would have stopped there.
  for (const e of ends.slice(3, -1)) assert.ok(e.widest!.halfWidthPts > 2, `round ${e.round}`);
  assert.equal(ends[0].widest, null, 'one round gives no interval');
  for (const trials of result.trials.values()) assert.equal(trials.length, result.roundsRun);
});

test('noisier rounds need more of them; a budget ends them with the answer still open', async () => {
  const quiet = await loop({ kind: 'until-precise', precisionPts: 2, maxTimeSec: 10_000, minRounds: 4 }, 2, 11);
  const noisy = await loop({ kind: 'until-precise', precisionPts: 2, maxTimeSec: 10_000, minRounds: 4 }, 8, 11);
  assert.ok(noisy.result.roundsRun > quiet.result.roundsRun, `${noisy.result.roundsRun} > ${quiet.result.roundsRun}`);
  // 10 s per round and 65 s of budget: the sixth round ends at 60 s, a seventh would end at 70 s.
  const budget = await loop({ kind: 'until-precise', precisionPts: 0.01, maxTimeSec: 65, minRounds: 4 }, 3);
  assert.equal(budget.result.stoppedBecause, 'budget');
  assert.equal(budget.result.roundsRun, 6);
  const fixed = await loop({ kind: 'fixed', count: 3 }, 3);
  assert.equal(fixed.result.stoppedBecause, 'fixed');
  assert.equal(fixed.result.roundsRun, 3);
});
