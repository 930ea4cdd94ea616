// Two levels of noise on synthetic data with known standard deviations: the variance components are
// recovered, the interval over blocks covers a zero change as often as it says when processes differ,
// the interval over rounds of one process does not, and the repetitions per level follow the costs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectedHalfWidthPts, reachIn, roundsPerBlock, secondsToReach, twoLevelChange, varianceComponents } from '../../src/compare/levels.ts';
import { mulberry32 } from '../../src/compare/stats.ts';

function normalFrom(seed: number): () => number {
  const random = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * One A/A run: `blocks` blocks, each a fresh process of the variant and one of the baseline, each with its
 * own lifelong offset (sd processSd), measured in `rounds` rounds with round noise (sd roundSd) on both.
 * Returns log(variant / baseline) per round, grouped by block; the true change is `truth` (log).
 */
function twoLevelRun(normal: () => number, blocks: number, rounds: number, processSd: number, roundSd: number, truth = 0): number[][] {
  return Array.from({ length: blocks }, () => {
    const offset = processSd * normal() - processSd * normal();
    return Array.from({ length: rounds }, () => truth + offset + roundSd * normal() - roundSd * normal());
  });
}

test('variance components: the process and round variances of simulated two-level data come back', () => {
  const normal = normalFrom(42);
  // 400 groups of 6, process sd 3%, round sd 5%.
  const groups = Array.from({ length: 400 }, () => {
    const offset = 0.03 * normal();
    return Array.from({ length: 6 }, () => offset + 0.05 * normal());
  });
  const c = varianceComponents(groups);
  assert.equal(c.groups, 400);
  assert.equal(c.n, 2400);
  assert.ok(Math.abs(Math.sqrt(c.round) - 0.05) < 0.003, `round sd ${Math.sqrt(c.round)}`);
  assert.ok(Math.abs(Math.sqrt(c.process) - 0.03) < 0.004, `process sd ${Math.sqrt(c.process)}`);
  // Unbalanced groups, and no process effect at all: the process variance is near 0, never negative.
  const flat = Array.from({ length: 300 }, (_, i) => Array.from({ length: 2 + (i % 5) }, () => 0.04 * normal()));
  const f = varianceComponents(flat);
  assert.ok(f.process >= 0);
  assert.ok(Math.sqrt(f.process) < 0.01, `process sd ${Math.sqrt(f.process)}`);
  assert.ok(Math.abs(Math.sqrt(f.round) - 0.04) < 0.003);
});

test('coverage: over 1,000 simulated A/A runs with a process effect, the interval over blocks holds no change at least 93% of the time; over rounds alone it does not', () => {
  const normal = normalFrom(7);
  let blocksCover = 0;
  let roundsCover = 0;
  const runs = 1000;
  for (let i = 0; i < runs; i++) {
    const groups = twoLevelRun(normal, 4, 3, 0.03, 0.03);
    const { change, levels } = twoLevelChange(groups);
    assert.equal(levels.method, 'blocks-t');
    assert.equal(levels.df, 3);
    if (change.low <= 1 && change.high >= 1) blocksCover++;
    // The old way: every round as if of one process.
    const one = twoLevelChange([groups.flat()]);
    assert.equal(one.levels.method, 'rounds-one-process');
    if (one.change.low <= 1 && one.change.high >= 1) roundsCover++;
  }
  assert.ok(blocksCover / runs >= 0.93, `over blocks ${blocksCover}/${runs}`);
  assert.ok(blocksCover / runs <= 0.97, `over blocks ${blocksCover}/${runs}: not much wider than it says either`);
  assert.ok(roundsCover / runs < 0.85, `over rounds only ${roundsCover}/${runs}: the process level is missing`);
});

test('a real change is found: the interval over blocks lies above no change, and holds the truth as often as it says', () => {
  const normal = normalFrom(3);
  let holdsTruth = 0;
  for (let i = 0; i < 200; i++) {
    const { change } = twoLevelChange(twoLevelRun(normal, 8, 4, 0.01, 0.02, Math.log(1.3)));
    assert.ok(change.low > 1, `run ${i}`);
    if (change.low <= 1.3 && change.high >= 1.3) holdsTruth++;
  }
  assert.ok(holdsTruth >= 186, `${holdsTruth}/200`);
});

test('repetitions per level (Kalibera & Jones): dearer blocks or noisier rounds ask for more rounds per block; a larger process variance for fewer', () => {
  const c = { process: 0.01 ** 2, round: 0.04 ** 2 };
  const base = roundsPerBlock(c, 10, 8);
  assert.ok(roundsPerBlock(c, 40, 8) > base, 'a dearer block');
  assert.ok(roundsPerBlock({ ...c, round: 0.08 ** 2 }, 10, 8) > base, 'noisier rounds');
  assert.ok(roundsPerBlock({ ...c, process: 0.03 ** 2 }, 10, 8) < base, 'processes that differ more');
  assert.equal(roundsPerBlock({ ...c, process: 0 }, 10, 8), 8, 'no process effect: as many rounds as allowed');
  assert.equal(roundsPerBlock({ process: 0.01, round: 0 }, 10, 8), 1);
});

test('what a budget reaches: more time, a narrower interval; the time to a target is enough to reach it', () => {
  const c = { process: 0.01 ** 2, round: 0.03 ** 2 };
  const short = reachIn(c, 60, 10, 8);
  const long = reachIn(c, 600, 10, 8);
  assert.ok(long.halfWidthPts < short.halfWidthPts);
  assert.ok(long.blocks * (10 + long.roundsPerBlock * 8) <= 600);
  assert.equal(reachIn(c, 15, 10, 8).halfWidthPts, Number.POSITIVE_INFINITY, 'one block gives no interval over processes');
  const needed = secondsToReach(c, 2, 10, 8);
  assert.ok(Number.isFinite(needed));
  assert.ok(reachIn(c, needed, 10, 8).halfWidthPts <= 2 + 1e-9);
  assert.ok(expectedHalfWidthPts(c, 3, 2) > expectedHalfWidthPts(c, 6, 2));
});
