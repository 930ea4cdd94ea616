// Blocks of processes on synthetic runners: a fixed number of rounds is split over the blocks, every
// trial and life carries its block, rounds until precise run at least the minimum blocks and stop at the
// budget, the sentinel is added and its failed A/A check is reported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aaCheckOf, runNoise } from '../../src/compare/noise.ts';
import { mulberry32 } from '../../src/compare/stats.ts';
import { afterBlock, measureRounds, splitRounds, stillOpen } from '../../src/run/round-loop.ts';
import type { RoundRunner } from '../../src/run/rounds.ts';
import { validateScenario } from '../../src/scenario/validate.ts';
import { withSentinel } from '../../src/scenario/sentinel.ts';
import type { BlocksSetting, RoundsSetting, RunEvent, ServiceLife, TrialResult, VariantResult } from '../../src/model/index.ts';

/** A block of synthetic processes: each variant's CPU/request is truth × its process's offset × round noise. The clock moves 10 s per block start and 8 s per round. */
function blockRunner(
  block: number,
  truth: readonly number[],
  processSd: number,
  roundSd: number | readonly number[],
  random: () => number,
  clock: { now: number },
  active: readonly number[] = truth.map((_, i) => i),
): RoundRunner {
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const offsets = truth.map(() => Math.exp(processSd * normal()));
  const sdOf = (member: number) => (typeof roundSd === 'number' ? roundSd : roundSd[member]);
  clock.now += 10;
  const rounds: number[] = [];
  return {
    slicesPerRound: active.length,
    async round(round, order, firstOrder) {
      clock.now += 8;
      rounds.push(round);
      return order
        .filter((m) => active.includes(m))
        .map((member, place) => ({ variant: `v${member}`, trial: round, order: firstOrder + place, block, cpuUsPerRequest: truth[member] * offsets[member] * Math.exp(sdOf(member) * normal()) }) as unknown as TrialResult);
    },
    async finish() {
      return active.map((i) => ({ variant: `v${i}`, block, rounds: [...rounds] }) as unknown as ServiceLife);
    },
    kill() {},
  };
}

async function run(rounds: RoundsSetting, blocks: BlocksSetting, sd: { process: number; round: number | readonly number[] }, seed = 5) {
  const clock = { now: 0 };
  const random = mulberry32(seed);
  const truth = [100, 100, 130];
  const events: RunEvent[] = [];
  const result = await measureRounds({
    startBlock: async (block, active) => blockRunner(block, truth, sd.process, sd.round, random, clock, active),
    blocks,
    variants: truth.map((_, i) => ({ name: `v${i}`, baseline: 'v0' })),
    rounds,
    nextOrder: () => [0, 1, 2],
    elapsedSec: () => clock.now,
    onEvent: (e) => events.push(e),
  });
  return { result, events };
}

test('a fixed number of rounds is split over the blocks, larger blocks first; every trial and life carries its block', async () => {
  assert.deepEqual(splitRounds(5, 3), [2, 2, 1]);
  assert.deepEqual(splitRounds(2, 3), [1, 1]);
  assert.deepEqual(splitRounds(6, 1), [6]);
  const { result, events } = await run({ kind: 'fixed', count: 5 }, { kind: 'fixed', count: 3 }, { process: 0.02, round: 0.02 });
  assert.equal(result.stoppedBecause, 'fixed');
  assert.equal(result.roundsRun, 5);
  assert.deepEqual(result.roundsPerBlock, [2, 2, 1]);
  assert.deepEqual(result.trials.get('v1')!.map((t) => t.block), [1, 1, 2, 2, 3]);
  assert.deepEqual(result.lives.filter((l) => l.variant === 'v2').map((l) => [l.block, l.rounds]), [[1, [1, 2]], [2, [3, 4]], [3, [5]]]);
  assert.deepEqual(events.filter((e) => e.type === 'block-start').map((e) => (e as { block: number }).block), [1, 2, 3]);
  // The loop's own time accounting: 10 s per block outside its rounds, 8 s per round.
  assert.equal(result.blockOverheadSec, 10);
  assert.equal(result.roundSec, 8);
});

test('rounds until precise: never precise before the minimum blocks, and the budget ends them once another block would not fit', async () => {
  const quiet = await run({ kind: 'until-precise', precisionPts: 50, maxTimeSec: 10_000, minRounds: 2 }, { kind: 'auto', min: 3 }, { process: 0.001, round: 0.001 });
  assert.equal(quiet.result.stoppedBecause, 'precise');
  assert.equal(quiet.result.roundsPerBlock.length, 3, 'precise at once, but not before three blocks');
  const noisy = await run({ kind: 'until-precise', precisionPts: 0.1, maxTimeSec: 100, minRounds: 2 }, { kind: 'auto', min: 3 }, { process: 0.05, round: 0.05 });
  assert.equal(noisy.result.stoppedBecause, 'budget');
  const ends = noisy.events.filter((e): e is Extract<RunEvent, { type: 'round-end' }> => e.type === 'round-end');
  assert.ok(ends.at(-1)!.elapsedSec <= 100, 'no block started that could not end within the budget');
  assert.deepEqual(noisy.result.roundsPerBlock.slice(0, 2), [2, 1], 'two rounds first (the round level), then a block of one');
});

test('after a block: blocks costlier than rounds and processes that hardly differ ask for more rounds per block', () => {
  const rule: RoundsSetting = { kind: 'until-precise', precisionPts: 1, maxTimeSec: 10_000, minRounds: 2 };
  const state = { rule, blocks: 2, minBlocks: 3, rounds: 3, roundsNow: 1, widest: { variant: 'v', halfWidthPts: 5 }, elapsedSec: 50, blockSec: 60, roundSec: 5 };
  // Round noise 5%, process noise 1% (log units), as block means of each block's rounds.
  const groups = (processSd: number) => {
    const random = mulberry32(9);
    const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Array.from({ length: 20 }, () => {
      const u = processSd * normal();
      return Array.from({ length: 4 }, () => u + 0.05 * normal());
    });
  };
  const calm = afterBlock({ ...state, widestGroups: groups(0.005) });
  const jumpy = afterBlock({ ...state, widestGroups: groups(0.05) });
  assert.equal(calm.stop, null);
  assert.ok(calm.nextRounds > jumpy.nextRounds, `${calm.nextRounds} > ${jumpy.nextRounds}`);
  assert.equal(afterBlock({ ...state, widestGroups: groups(0.05), elapsedSec: 9_960 }).stop, 'budget');
  assert.equal(afterBlock({ ...state, blocks: 3, widestGroups: groups(0.05), widest: { variant: 'v', halfWidthPts: 0.5 } }).stop, 'precise');
});

const minimal = { name: 's', description: 'd', variants: [{ name: 'on', env: { OTEL_TRACES_SAMPLER: 'always_on' } }] };

test('the sentinel: on by default with blocks until precise, an untraced copy of the baseline right after it; off on request; refused where it cannot run', () => {
  const scenario = validateScenario(minimal, 'test');
  assert.equal(scenario.sentinel, true);
  assert.deepEqual(scenario.blocks, { kind: 'auto', min: 3 });
  const ran = withSentinel(scenario);
  assert.deepEqual(ran.variants.map((v) => [v.name, v.sentinel ?? false]), [['untraced', false], ['untraced B', true], ['on', false]]);
  assert.deepEqual(ran.variants[1].env, ran.variants[0].env);
  assert.equal(validateScenario({ ...minimal, sentinel: false }, 'test').sentinel, false);
  assert.equal(validateScenario({ ...minimal, trials: 4 }, 'test').sentinel, false, 'a fixed number of rounds: off unless asked');
  assert.deepEqual(validateScenario({ ...minimal, trials: 4 }, 'test').blocks, { kind: 'fixed', count: 3 });
  assert.deepEqual(validateScenario({ ...minimal, trials: 4, blocks: 2 }, 'test').blocks, { kind: 'fixed', count: 2 });
  assert.deepEqual(validateScenario({ ...minimal, trials: 2 }, 'test').blocks, { kind: 'fixed', count: 2 });
  assert.equal(validateScenario({ ...minimal, processes: 'fresh' }, 'test').blocks, null);
  for (const [spec, pattern] of [
    [{ ...minimal, processes: 'fresh', sentinel: true }, /sentinel needs processes 'pool' or 'pairs'/],
    [{ ...minimal, processes: 'fresh', blocks: 3 }, /blocks applies to processes 'pool' and 'pairs'/],
    [{ ...minimal, trials: 2, blocks: 3 }, /blocks 3 is more than the 2 rounds/],
    [{ ...minimal, blocks: 0 }, /blocks must be a positive whole number/],
    [{ ...minimal, variants: [...minimal.variants, { name: 'untraced B', env: { OTEL_SDK_DISABLED: 'true' } }] }, /'untraced B' is the sentinel's name/],
  ] as const) {
    assert.throws(() => validateScenario(spec, 'test'), pattern);
  }
});

/** A variant whose CPU/request change is `change` with [low, high], as the run document holds it. */
function compared(name: string, low: number, point: number, high: number, sentinel = false): VariantResult {
  const change = { ratio: point, low, high, confidence: 0.95, resamples: 0 };
  const levels = { method: 'blocks-t' as const, blocks: 3, rounds: 4, df: 2, roundSdPct: 3, processSdPct: 2 };
  return { name, ...(sentinel ? { sentinel: true as const } : {}), trials: [], comparison: { cpuUsPerRequest: { change, levels } } } as unknown as VariantResult;
}

test('the A/A check and its warning: a sentinel whose interval misses 0 is reported as a failed A/A check', () => {
  const baseline = { name: 'untraced', trials: [100, 104, 98, 101].map((cpu, i) => ({ trial: i + 1, block: 1 + (i >> 1), cpuUsPerRequest: cpu })), comparison: { cpuUsPerRequest: { change: null } } } as unknown as VariantResult;
  const inputs = { baseline: 'untraced', fixedWork: { startMs: 40, endMs: 41 }, targetPts: 2, budgetSec: 60, blockOverheadSec: 10, roundSec: 8 };
  const good = runNoise({ ...inputs, variants: [baseline, compared('untraced B', 0.98, 1.0, 1.02, true), compared('on', 1.2, 1.3, 1.4)] });
  assert.equal(aaCheckOf([baseline, compared('untraced B', 0.98, 1.0, 1.02, true)])!.coversZero, true);
  assert.ok(!good.warnings.some((w) => /A\/A check failed/.test(w)));
  const bad = runNoise({ ...inputs, variants: [baseline, compared('untraced B', 1.01, 1.03, 1.05, true), compared('on', 1.2, 1.3, 1.4)] });
  assert.ok(bad.warnings.some((w) => /the A\/A check failed: untraced B/.test(w)), bad.warnings.join('\n'));
  assert.equal(aaCheckOf([baseline, compared('on', 1.2, 1.3, 1.4)]), undefined, 'no sentinel, no check');
  // The widest Δ is the one reported, with what the time could reach.
  assert.equal(good.reach!.variant, 'on');
  assert.ok(Math.abs(good.reach!.reachedPts - 10) < 1e-9);
  assert.equal(good.processSdPct, 2, "the sentinel's process sd");
  // A fixed workload that slowed by more than 10% is a warning.
  const slowed = runNoise({ ...inputs, fixedWork: { startMs: 40, endMs: 48 }, variants: [baseline, compared('on', 1.2, 1.3, 1.4)] });
  assert.ok(slowed.warnings.some((w) => /a fixed workload took \+20%/.test(w)), slowed.warnings.join('\n'));
});

test('rounds until precise spend later blocks on the Δs still open: a precise variant leaves, its baseline stays while another needs it', async () => {
  // v1 is quiet and precise after the minimum blocks; v2 is noisy and keeps its interval open.
  const { result } = await run({ kind: 'until-precise', precisionPts: 2, maxTimeSec: 400, minRounds: 2 }, { kind: 'auto', min: 3 }, { process: 0.001, round: [0.001, 0.001, 0.2] });
  const blocksOf = (name: string) => new Set(result.trials.get(name)!.map((t) => t.block));
  assert.ok(result.roundsPerBlock.length > 3, `${result.roundsPerBlock.length} blocks`);
  assert.deepEqual([...blocksOf('v1')], [1, 2, 3], 'v1 left once precise');
  assert.equal(blocksOf('v2').size, result.roundsPerBlock.length, 'v2 ran in every block');
  assert.equal(blocksOf('v0').size, result.roundsPerBlock.length, 'the baseline stayed for v2');
  assert.ok(result.lives.filter((l) => l.variant === 'v1').length === 3);
  assert.deepEqual(stillOpen([{ name: 'b', baseline: 'b' }, { name: 'x', baseline: 'b' }, { name: 'y', baseline: 'b' }], [
    { variant: 'x', change: { low: 0.99, high: 1.01 } },
    { variant: 'y', change: { low: 0.9, high: 1.1 } },
  ], 2), [0, 2]);
  assert.deepEqual(stillOpen([{ name: 'b', baseline: 'b' }, { name: 'x', baseline: 'b' }], [{ variant: 'x', change: { low: 0.99, high: 1.01 } }], 2), []);
});
