// node --import tsx --test test/unit/sched.test.ts
// The scheduler's view of a process: the sums of two snapshots, and this process's own threads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { schedBetween, schedSnapshot, type SchedSnapshot } from '../../src/measure/sched.ts';
import { warmupLength } from '../../src/run/warmup.ts';
import { maxWarmupSec } from '../../src/scenario/defaults.ts';

const counts = (runNs: number, waitNs: number, voluntary: number, involuntary: number) => ({ runNs, waitNs, voluntary, involuntary });

test('between two snapshots: the main thread apart from the helpers, a new thread from zero, an ended one gone with its counts', () => {
  const before: SchedSnapshot = {
    pid: 100,
    threads: new Map([
      ['100', counts(1_000_000, 50_000, 10, 1)],
      ['101', counts(2_000_000, 0, 5, 0)],
      ['102', counts(9_000_000, 9_000, 9, 9)], // ends before the second snapshot
    ]),
    stealTicks: 7,
  };
  const after: SchedSnapshot = {
    pid: 100,
    threads: new Map([
      ['100', counts(4_000_000, 250_000, 13, 5)],
      ['101', counts(2_500_000, 1_000, 6, 0)],
      ['103', counts(300_000, 2_000, 2, 1)], // born in between
    ]),
    stealTicks: 10,
  };
  assert.deepEqual(schedBetween(before, after), {
    mainThreadUs: 3000,
    helperThreadsUs: 500 + 300,
    runQueueWaitUs: 200 + 1 + 2,
    voluntarySwitches: 3 + 1 + 2,
    involuntarySwitches: 4 + 0 + 1,
    machineStealUs: 3 * 10_000,
  });
});

test("this process's own snapshot: its main thread is there, and no counter runs backwards", () => {
  const before = schedSnapshot(process.pid);
  let x = 0;
  for (let i = 0; i < 2e6; i++) x += Math.sqrt(i);
  assert.ok(x > 0);
  const after = schedSnapshot(process.pid);
  if (before === null || after === null) return assert.equal(process.platform === 'linux', false, 'only a system without /proc has no snapshot');
  assert.ok(after.threads.has(String(process.pid)));
  const d = schedBetween(before, after);
  assert.ok(d.mainThreadUs > 0);
  for (const [k, v] of Object.entries(d)) assert.ok(v >= 0, `${k} ${v}`);
  assert.equal(schedSnapshot(2 ** 22 + 12_345), null, 'a pid that does not exist');
});

test('a warm-up in requests is bounded by maxWarmupSec; in seconds it is the wall time given; zero of either is none', () => {
  assert.deepEqual(warmupLength({ warmupRequests: 3000 }, 10), { durationSec: maxWarmupSec, requests: 3000 });
  assert.deepEqual(warmupLength({}, 10), { durationSec: 10 });
  assert.equal(warmupLength({ warmupRequests: 0 }, 10), null);
  assert.equal(warmupLength({}, 0), null);
});
