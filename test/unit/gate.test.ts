import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baselineFileKind, checkAgainstBaseline, confirmVerdict, defaultGateThresholds } from '../../src/compare/gate.ts';
import type { BaselineFile, GateSamples } from '../../src/model/index.ts';

const noise = [0.98, 1.01, 1.0, 1.02, 0.99, 1.005];
const samples = (cpu: number[], delivery = [1, 1, 1, 1, 1, 1]): GateSamples => ({
  always_on: { cpuUsPerRequest: cpu, serverTimeP99: noise.map((x) => 1.3 * x), requestsPerSec: noise.map((x) => 0.7 * x), deliveryRatio: delivery },
});
const baseline = (s: GateSamples): BaselineFile => ({
  kind: baselineFileKind,
  schemaVersion: 1,
  scenario: 'ci',
  createdAt: '2026-11-25T00:00:00Z',
  environment: {} as BaselineFile['environment'],
  trials: 6,
  samples: s,
});
const overhead = (factor: number) => noise.map((x) => 1.4 * x * factor);

test('an unchanged run passes', () => {
  const verdict = checkAgainstBaseline(samples(overhead(1)), baseline(samples(overhead(1))), defaultGateThresholds);
  assert.equal(verdict.passed, true);
  assert.equal(verdict.rows.length, 4);
  assert.ok(verdict.rows.every((r) => !r.significant && r.test.p === 1));
});

test('a significant change beyond its threshold fails, and only that metric', () => {
  const verdict = checkAgainstBaseline(samples(overhead(1.1)), baseline(samples(overhead(1))), defaultGateThresholds);
  assert.equal(verdict.passed, false);
  assert.deepEqual(verdict.failures.map((r) => `${r.variant}/${r.metric}`), ['always_on/cpuUsPerRequest']);
  const row = verdict.failures[0];
  assert.ok(Math.abs(row.change - 10) < 1e-9, `change ${row.change}`);
  assert.ok(row.low <= row.change && row.change <= row.high);
  assert.ok(row.test.p < 0.05);
});

test('a significant change within its threshold passes; so does an improvement', () => {
  const within = checkAgainstBaseline(samples(overhead(1.1)), baseline(samples(overhead(1))), { ...defaultGateThresholds, cpuUsPerRequest: 15 });
  assert.equal(within.passed, true);
  assert.equal(within.rows.find((r) => r.metric === 'cpuUsPerRequest')!.significant, true);
  const better = checkAgainstBaseline(samples(overhead(0.8)), baseline(samples(overhead(1))), defaultGateThresholds);
  assert.equal(better.passed, true);
  assert.ok(better.rows.find((r) => r.metric === 'cpuUsPerRequest')!.change < 0);
});

test('a large change that is not significant does not fail, and is undecided: its interval reaches past the threshold (too few or too noisy samples)', () => {
  const before = [1.0, 1.5, 1.2];
  const after = [1.3, 1.1, 1.6];
  const verdict = checkAgainstBaseline(samples(after), baseline(samples(before)), defaultGateThresholds);
  assert.equal(verdict.failures.length, 0);
  assert.equal(verdict.outcome, 'undecided');
  assert.equal(verdict.passed, false);
  assert.ok(verdict.rows.some((r) => r.undecided && r.high > r.threshold));
  assert.ok(verdict.notes.some((n) => /cannot fail/.test(n)));
});

test('delivery is compared in percentage points and fails when it drops', () => {
  const verdict = checkAgainstBaseline(samples(overhead(1), [0.98, 0.97, 0.985, 0.975, 0.99, 0.97]), baseline(samples(overhead(1))), defaultGateThresholds);
  const row = verdict.rows.find((r) => r.metric === 'deliveryRatio')!;
  assert.equal(row.unit, 'pp');
  assert.ok(Math.abs(row.change - 2.25) < 1e-9, `change ${row.change}`);
  assert.equal(row.failed, true);
});

test('variants on one side only are named and not checked', () => {
  const current: GateSamples = { ...samples(overhead(1)), extra: samples(overhead(1)).always_on };
  const verdict = checkAgainstBaseline(current, baseline({ ...samples(overhead(1)), gone: samples(overhead(1)).always_on }), defaultGateThresholds);
  assert.ok(verdict.notes.some((n) => /'gone' is in the baseline but not in this run/.test(n)));
  assert.ok(verdict.notes.some((n) => /'extra' is not in the baseline/.test(n)));
  assert.ok(verdict.rows.every((r) => r.variant === 'always_on'));
});

test('a confirmation rerun keeps only failures that fail again', () => {
  const first = checkAgainstBaseline(samples(overhead(1.1)), baseline(samples(overhead(1))), defaultGateThresholds);
  const cleared = confirmVerdict(first, checkAgainstBaseline(samples(overhead(1)), baseline(samples(overhead(1))), defaultGateThresholds));
  assert.equal(cleared.passed, true);
  assert.ok(cleared.notes.some((n) => /0 of 1 failures confirmed, 1 cleared as noise/.test(n)));
  const confirmed = confirmVerdict(first, first);
  assert.equal(confirmed.passed, false);
  assert.equal(confirmed.failures.length, 1);
});

test('a check that compares nothing does not pass', () => {
  const verdict = checkAgainstBaseline({ renamed: samples(overhead(1)).always_on }, baseline(samples(overhead(1))), defaultGateThresholds);
  assert.equal(verdict.rows.length, 0);
  assert.equal(verdict.passed, false);
  assert.ok(verdict.notes.some((n) => /nothing was compared/.test(n)));
});
