// The parts of the Jaeger check that need no Jaeger: the reservoir of exported trace ids and the lookup
// quotas. The run against a real Jaeger, and the option's one-line errors (through the CLI), are in
// test/e2e/jaeger-integration.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../src/compare/stats.ts';
import { proportionalQuotas } from '../../src/jaeger/verify.ts';
import { TraceIdReservoir } from '../../src/sut/builtin/trace-reservoir.ts';

test('the reservoir keeps every id until full, then a uniform sample of all offered', () => {
  const small = new TraceIdReservoir(3, mulberry32(1));
  ['a', 'b'].forEach((id) => small.offer(id));
  assert.deepEqual(small.snapshot(), { seen: 2, ids: ['a', 'b'] });
  const none = new TraceIdReservoir(0);
  none.offer('a');
  assert.deepEqual(none.snapshot(), { seen: 1, ids: [] });

  // 20,000 reservoirs of 10 out of 100 ids: each id is kept 2,000 times in expectation.
  const random = mulberry32(42);
  const kept = new Array<number>(100).fill(0);
  for (let rep = 0; rep < 20_000; rep++) {
    const r = new TraceIdReservoir(10, random);
    for (let i = 0; i < 100; i++) r.offer(String(i));
    const { seen, ids } = r.snapshot();
    assert.equal(seen, 100);
    assert.equal(new Set(ids).size, 10);
    for (const id of ids) kept[Number(id)]++;
  }
  const sd = Math.sqrt(20_000 * 0.1 * 0.9);
  for (const [id, n] of kept.entries()) assert.ok(Math.abs(n - 2000) <= 5 * sd, `id ${id} kept ${n} times`);
});

test('lookup quotas follow the trials’ exported counts and add up', () => {
  assert.deepEqual(proportionalQuotas([1000, 3000], 200), [50, 150]);
  assert.deepEqual(proportionalQuotas([1, 1, 1], 200), [67, 67, 66]);
  assert.deepEqual(proportionalQuotas([0, 0], 200), [0, 0]);
  assert.deepEqual(proportionalQuotas([5, 0, 7], 12), [5, 0, 7]);
});
