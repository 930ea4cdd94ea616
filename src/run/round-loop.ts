// The rounds, in blocks: a block is a fresh set of service processes, one per variant, that lives for a
// few rounds; a round measures every variant once. After each block every variant's Δ CPU/request gets
// its interval over the blocks (so the process level is in it), and the loop stops when the scenario's
// rounds say so: a fixed count, every interval precise enough, or the time budget spent. Rounds per
// block follow Kalibera & Jones: from the variance measured at each level and what a block costs.
import { roundsPerBlock, varianceComponents } from '../compare/levels.ts';
import { halfWidthPts, stopReason, widestInterval } from '../compare/precision.ts';
import { blockGroups, changeOf, comparedMetrics } from '../compare/summary.ts';
import type { RoundRunner } from './rounds.ts';
import type { BlocksSetting, RoundsSetting, RunEvent, ServiceLife, StopReason, TrialResult } from '../model/index.ts';

export interface RoundLoopOptions {
  /**
   * Starts block `block` (1-based): fresh processes for the `active` members (indexes into variants),
   * started and warmed. Rounds until precise leave out a variant once its Δ is precise (with its baseline
   * kept while another needs it), so later blocks spend their time on the Δs still open.
   */
  readonly startBlock: (block: number, active: readonly number[]) => Promise<RoundRunner>;
  /** How many blocks: a fixed count, or as many as the precision needs; 'single' runs one runner for the whole run (the fresh design, where every trial is a process). */
  readonly blocks: BlocksSetting | 'single';
  /** Each variant's name and the name of the variant it is compared with (its own for a baseline). */
  readonly variants: readonly { readonly name: string; readonly baseline: string }[];
  readonly rounds: RoundsSetting;
  /** The next round's order (member indexes). */
  readonly nextOrder: () => readonly number[];
  /** Seconds since the run began (the budget counts from there). */
  readonly elapsedSec: () => number;
  readonly onEvent: (event: RunEvent) => void;
  /** Called with the runner of the block in progress (null between blocks), so the caller can end its processes on error. */
  readonly onRunner?: (runner: RoundRunner | null) => void;
}

export interface RoundLoopResult {
  /** Each variant's trials, one per round. */
  readonly trials: ReadonlyMap<string, TrialResult[]>;
  /** Every service process's life, block after block. */
  readonly lives: readonly ServiceLife[];
  readonly roundsRun: number;
  /** Rounds in each block, in order. */
  readonly roundsPerBlock: readonly number[];
  readonly stoppedBecause: StopReason;
  /** Mean seconds a block cost outside its rounds (start-up, warm-up, settling, flush), and a round's: what the allocation weighs. */
  readonly blockOverheadSec: number;
  readonly roundSec: number;
}

/** The variants' Δ CPU/request so far, each against its baseline, over the blocks. */
export function cpuChanges(variants: RoundLoopOptions['variants'], trials: ReadonlyMap<string, readonly TrialResult[]>) {
  return variants
    .filter((v) => v.baseline !== v.name)
    .map((v) => ({ variant: v.name, ...changeOf(trials.get(v.name)!, trials.get(v.baseline)!, comparedMetrics.cpuUsPerRequest) }));
}

/** Rounds per block of a fixed count split over a fixed number of blocks, as evenly as it goes (larger blocks first). */
export function splitRounds(rounds: number, blocks: number): number[] {
  const n = Math.max(1, Math.min(blocks, rounds));
  return Array.from({ length: n }, (_, i) => Math.floor(rounds / n) + (i < rounds % n ? 1 : 0));
}

/** Rounds of the first block: two, so the round level's variance is known from the start. */
export const firstBlockRounds = 2;
/** Rounds of the second block: blocks give the process level, and it is unknown until two have run. */
export const secondBlockRounds = 1;

/** The variants whose Δ CPU/request is not yet within ±precisionPts, with the baselines they need, as indexes. */
export function stillOpen(
  variants: RoundLoopOptions['variants'],
  changes: readonly { readonly variant: string; readonly change: { readonly low: number; readonly high: number } }[],
  precisionPts: number,
): number[] {
  const open = new Set(changes.filter((c) => !(halfWidthPts(c.change) <= precisionPts)).map((c) => c.variant));
  const needed = new Set([...open, ...variants.filter((v) => open.has(v.name)).map((v) => v.baseline)]);
  return variants.flatMap((v, i) => (needed.has(v.name) ? [i] : []));
}

/** What the loop knows when a block ends, for the decision that follows. */
interface BlockEnd {
  readonly rule: RoundsSetting;
  /** Blocks done, this one included. */
  readonly blocks: number;
  readonly minBlocks: number;
  readonly rounds: number;
  readonly roundsNow: number;
  readonly widest: { readonly variant: string; readonly halfWidthPts: number } | null;
  /** The widest variant's rounds grouped by block, for its variance components. */
  readonly widestGroups: readonly (readonly number[])[] | null;
  readonly elapsedSec: number;
  readonly blockSec: number;
  readonly roundSec: number;
}

/**
 * After a block of rounds until precise: stop (precise, or the budget cannot hold another block of one
 * round), or the next block's rounds, from the widest interval's variance components and the costs.
 */
export function afterBlock(s: BlockEnd): { stop: StopReason | null; nextRounds: number } {
  if (s.rule.kind !== 'until-precise') return { stop: null, nextRounds: s.roundsNow };
  const widestPts = s.widest?.halfWidthPts ?? Number.POSITIVE_INFINITY;
  if (s.blocks >= s.minBlocks && s.rounds >= s.rule.minRounds && widestPts <= s.rule.precisionPts) return { stop: 'precise', nextRounds: 0 };
  const best = s.blocks >= 2 && s.widestGroups ? roundsPerBlock(varianceComponents(s.widestGroups), s.blockSec, s.roundSec) : secondBlockRounds;
  const fits = Math.floor((s.rule.maxTimeSec - s.elapsedSec - s.blockSec) / s.roundSec);
  // Two blocks, the fewest that give an interval over processes, run whatever the budget.
  if (s.blocks >= 2 && !(fits >= 1)) return { stop: 'budget', nextRounds: 0 };
  return { stop: null, nextRounds: Math.max(1, s.blocks >= 2 ? Math.min(best, fits) : best) };
}

export async function measureRounds(options: RoundLoopOptions): Promise<RoundLoopResult> {
  const { variants, onEvent, rounds: rule } = options;
  const trials = new Map<string, TrialResult[]>(variants.map((v) => [v.name, []]));
  const lives: ServiceLife[] = [];
  const single = options.blocks === 'single';
  const minBlocks = options.blocks === 'single' ? 1 : options.blocks.kind === 'fixed' ? options.blocks.count : options.blocks.min;
  const plannedFixed = !single && rule.kind === 'fixed' ? splitRounds(rule.count, minBlocks) : null;
  const baselineOf = new Map(variants.map((v) => [v.name, v.baseline]));
  let active: readonly number[] = variants.map((_, i) => i);
  const roundsInBlock: number[] = [];
  let overheadSec = 0;
  let roundsSec = 0;
  let round = 0;
  // The run-wide place of the next round's first window: blocks may run fewer variants than the first.
  let firstOrder = 1;
  let stoppedBecause: StopReason | null = null;
  let nextRounds = single ? Number.POSITIVE_INFINITY : (plannedFixed?.[0] ?? firstBlockRounds);

  for (let block = 1; stoppedBecause === null; block++) {
    const blockStart = options.elapsedSec();
    if (!single) onEvent({ type: 'block-start', block, rounds: nextRounds });
    const runner = await options.startBlock(block, active);
    options.onRunner?.(runner);
    const planned = nextRounds;
    let inBlock = 0;
    let roundTime = 0;
    while (inBlock < planned && stoppedBecause === null) {
      round++;
      inBlock++;
      const roundStart = options.elapsedSec();
      const results = await runner.round(round, options.nextOrder(), firstOrder);
      firstOrder += runner.slicesPerRound;
      for (const result of results) {
        trials.get(result.variant)!.push(result);
        onEvent({ type: 'trial-end', result });
      }
      const elapsed = options.elapsedSec();
      roundTime += elapsed - roundStart;
      // One round gives no interval at all (a single ratio), however narrow it looks.
      const widest = round >= 2 ? widestInterval(cpuChanges(variants, trials)) : null;
      if (single) {
        // Every trial is a process of its own: the rule is asked after every round.
        stoppedBecause = stopReason(rule, { roundsDone: round, elapsedSec: elapsed, secPerRound: (elapsed - blockStart) / inBlock, widestHalfWidthPts: widest?.halfWidthPts ?? Number.POSITIVE_INFINITY });
      } else if (inBlock >= planned) {
        if (plannedFixed) {
          stoppedBecause = block >= plannedFixed.length ? 'fixed' : null;
          nextRounds = plannedFixed[block] ?? 0;
        } else {
          const widestName = widest?.variant;
          const decision = afterBlock({
            rule,
            blocks: block,
            minBlocks,
            rounds: round,
            roundsNow: nextRounds,
            widest,
            widestGroups: widestName ? blockGroups(trials.get(widestName)!, trials.get(baselineOf.get(widestName)!)!, comparedMetrics.cpuUsPerRequest) : null,
            elapsedSec: elapsed,
            // A block's cost outside its rounds: the finished blocks' mean, or this one's start so far (its flush is still to come).
            blockSec: block > 1 ? overheadSec / (block - 1) : elapsed - blockStart - roundTime,
            roundSec: (roundsSec + roundTime) / round,
          });
          stoppedBecause = decision.stop;
          nextRounds = decision.nextRounds;
          if (rule.kind === 'until-precise' && block >= minBlocks && round >= rule.minRounds) active = stillOpen(variants, cpuChanges(variants, trials), rule.precisionPts);
        }
      }
      onEvent({ type: 'round-end', round, ...(single ? {} : { block }), widest, elapsedSec: elapsed, stop: stoppedBecause });
    }
    roundsSec += roundTime;
    roundsInBlock.push(inBlock);
    options.onRunner?.(null);
    lives.push(...(await runner.finish()));
    overheadSec += options.elapsedSec() - blockStart - roundTime;
  }
  return {
    trials,
    lives,
    roundsRun: round,
    roundsPerBlock: roundsInBlock,
    stoppedBecause: stoppedBecause!,
    blockOverheadSec: overheadSec / roundsInBlock.length,
    roundSec: round > 0 ? roundsSec / round : Number.NaN,
  };
}
