// The same-run gate on synthetic runs: this tree's overhead against the base checkout's, round by round.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gateExitCode } from '../../src/cli/common.ts';
import { checkSameRun, defaultGateThresholds } from '../../src/compare/gate.ts';
import type { RunDocument, TrialResult, VariantResult } from '../../src/model/index.ts';

const rounds = 12;
// A fixed pattern of ±0.5% per round, different for each process, so every ratio has some noise.
const wiggle = (process: number, round: number) => 1 + 0.005 * Math.sin(1.7 * round + 2.3 * process);

interface Tree {
  /** CPU µs/request of the untraced service, and the traced service's overhead on it. */
  readonly untracedCpu: number;
  readonly overhead: number;
  /** Spans the collector received per span ended (the traced variant's summary). */
  readonly delivery: number;
}

function trial(variant: string, round: number, cpu: number, pairedWith?: string): TrialResult {
  return {
    variant,
    trial: round,
    cpuUsPerRequest: cpu,
    serverTimeUs: { p50: cpu, p90: cpu, p99: 3 * cpu, p999: 4 * cpu },
    load: { requestsPerSec: 1e6 / cpu },
    ...(pairedWith ? { pairedWith } : {}),
  } as unknown as TrialResult;
}

/** untraced and always_on of one tree, in pairs: the untraced window beside each traced one. */
function variantsOf(tree: Tree, prefix: string, process: number): VariantResult[] {
  const [untraced, traced] = [`${prefix}untraced`, `${prefix}always_on`];
  const base = prefix === '' ? {} : { tree: 'base' as const };
  const trials = (name: string, factor: number, p: number, pairedWith?: string) =>
    Array.from({ length: rounds }, (_, r) => trial(name, r + 1, tree.untracedCpu * factor * wiggle(p, r + 1), pairedWith));
  return [
    { name: untraced, trials: trials(untraced, 1, process, traced), summary: { deliveryRatio: null }, ...base },
    {
      name: traced,
      trials: trials(traced, tree.overhead, process + 1),
      summary: { deliveryRatio: tree.delivery },
      ...base,
    },
  ] as unknown as VariantResult[];
}

function run(ours: Tree, theirs: Tree): RunDocument {
  return { baseline: 'untraced', variants: [...variantsOf(ours, '', 0), ...variantsOf(theirs, 'base:', 2)] } as unknown as RunDocument;
}

const base: Tree = { untracedCpu: 250, overhead: 1.4, delivery: 1 };
const cpuRow = (r: RunDocument, thresholds = defaultGateThresholds) => checkSameRun(r, thresholds).rows.find((x) => x.metric === 'cpuUsPerRequest')!;

test('same run: an unchanged tree passes, every overhead metric and delivery compared by rounds', () => {
  const verdict = checkSameRun(run(base, base), defaultGateThresholds);
  assert.equal(verdict.mode, 'same-run');
  assert.equal(verdict.passed, true);
  assert.deepEqual(verdict.rows.map((r) => r.metric).sort(), ['cpuUsPerRequest', 'deliveryRatio', 'requestsPerSec', 'serverTimeP99']);
  const cpu = verdict.rows.find((r) => r.metric === 'cpuUsPerRequest')!;
  assert.deepEqual(cpu.test.method, 'paired-t');
  assert.equal(cpu.test.method === 'paired-t' && cpu.test.rounds, rounds);
  assert.ok(cpu.low < 0 && cpu.high > 0, `[${cpu.low}, ${cpu.high}] holds no change`);
  assert.equal(cpu.significant, false);
});

test('same run: overheads are each over their own untraced, so a faster base service alone changes nothing', () => {
  const row = cpuRow(run(base, { ...base, untracedCpu: 200 }));
  assert.ok(Math.abs(row.before - row.after) / row.before < 0.02, `${row.before} vs ${row.after}`);
  assert.equal(row.failed, false);
});

test('same run: a regression of 10% fails on CPU, with its change inside its interval', () => {
  const verdict = checkSameRun(run({ ...base, overhead: 1.4 * 1.1 }, base), defaultGateThresholds);
  assert.equal(verdict.passed, false);
  const row = verdict.failures.find((r) => r.metric === 'cpuUsPerRequest')!;
  assert.equal(row.variant, 'always_on');
  assert.ok(row.change > 9 && row.change < 11, `change ${row.change}`);
  assert.ok(row.low <= row.change && row.change <= row.high);
  assert.ok(row.test.p < 0.05);
  // Throughput here falls as CPU rises: worse is down, so its change is + too.
  assert.ok(verdict.rows.find((r) => r.metric === 'requestsPerSec')!.change > 5);
  assert.equal(verdict.rows.find((r) => r.metric === 'deliveryRatio')!.failed, false);
});

test('same run: a certain regression whose interval stays below the threshold passes; one whose interval reaches it fails', () => {
  const small = cpuRow(run({ ...base, overhead: 1.4 * 1.02 }, base));
  assert.equal(small.significant, true);
  assert.ok(small.high < 5);
  assert.equal(small.failed, false);
  // The same +4%, held against a threshold inside its interval: a regression of that size cannot be ruled out.
  const four = run({ ...base, overhead: 1.4 * 1.04 }, base);
  const row = cpuRow(four);
  assert.ok(row.significant && row.high > row.change);
  const tight = cpuRow(four, { ...defaultGateThresholds, cpuUsPerRequest: (row.change + row.high) / 2 });
  assert.ok(tight.change < tight.threshold);
  assert.equal(tight.failed, true);
  assert.equal(cpuRow(run({ ...base, overhead: 1.4 * 0.9 }, base)).failed, false, 'an improvement never fails');
});

test('same run: delivery is compared by exact counts, in percentage points', () => {
  const verdict = checkSameRun(run({ ...base, delivery: 0.99 }, base), defaultGateThresholds);
  const row = verdict.rows.find((r) => r.metric === 'deliveryRatio')!;
  assert.ok(Math.abs(row.change - 1) < 1e-9, `change ${row.change}`);
  assert.equal(row.test.method, 'counts');
  assert.equal(row.failed, true);
});

test('same run: a run without the base checkout compares nothing and does not pass', () => {
  const only = { baseline: 'untraced', variants: variantsOf(base, '', 0) } as unknown as RunDocument;
  const verdict = checkSameRun(only, defaultGateThresholds);
  assert.equal(verdict.rows.length, 0);
  assert.equal(verdict.passed, false);
  assert.match(verdict.notes[0], /no base variants/);
});

test('same run in blocks: the interval is over the blocks; a noisy unchanged check whose interval reaches the threshold is undecided, with the time it would need', () => {
  // Four blocks of three rounds; each block's processes carry their own offset of up to ±6%, the rounds ±0.5%.
  const offset = (process: number, block: number) => 1 + 0.06 * Math.sin(3.1 * block + 1.3 * process);
  const blocked = (doc: RunDocument): RunDocument =>
    ({
      ...doc,
      design: { blockOverheadSec: 20, roundSec: 4 },
      variants: doc.variants.map((v, p) => ({
        ...v,
        trials: v.trials.map((t) => {
          const block = Math.ceil(t.trial / 3);
          const cpu = t.cpuUsPerRequest * offset(p, block);
          return { ...t, block, cpuUsPerRequest: cpu, serverTimeUs: { p50: cpu, p90: cpu, p99: 3 * cpu, p999: 4 * cpu }, load: { requestsPerSec: 1e6 / cpu } };
        }),
      })),
    }) as unknown as RunDocument;
  const verdict = checkSameRun(blocked(run(base, base)), defaultGateThresholds);
  const cpu = verdict.rows.find((r) => r.metric === 'cpuUsPerRequest')!;
  assert.equal(cpu.test.method === 'paired-t' && cpu.test.rounds, 4, 'tested over the 4 blocks, not the 12 rounds');
  assert.equal(cpu.failed, false);
  assert.ok(cpu.high > defaultGateThresholds.cpuUsPerRequest, `the interval [${cpu.low}, ${cpu.high}] reaches past +5%`);
  assert.equal(cpu.undecided, true);
  assert.equal(verdict.outcome, 'undecided');
  assert.equal(verdict.passed, false, 'undecided is not a pass');
  assert.equal(gateExitCode(verdict), 4);
  assert.equal(gateExitCode(checkSameRun(run({ ...base, overhead: 1.4 * 1.1 }, base), defaultGateThresholds)), 1);
  assert.equal(gateExitCode(checkSameRun(run(base, base), defaultGateThresholds)), 0);
  assert.ok(cpu.neededSec === null || cpu.neededSec! > 4 * (20 + 3 * 4), `needs more than the run had: ${cpu.neededSec}`);
  // The same noise against a threshold far past it: a pass.
  const wide = checkSameRun(blocked(run(base, base)), { ...defaultGateThresholds, cpuUsPerRequest: 500, serverTimeP99: 500, requestsPerSec: 500 });
  assert.equal(wide.outcome, 'pass');
});
