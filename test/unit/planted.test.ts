import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CpuShareSizer } from '../../src/tracing/planted.ts';

test('the CPU-share plant sizes its burn per span from the CPU without the plant', () => {
  const sizer = new CpuShareSizer(5);
  // 10,000 µs of CPU over 100 spans, none of it planted yet: 5% of 100 µs per span.
  assert.equal(sizer.closeWindow(10_000, 0, 100), 5);
  // The same service with the plant burning: the planted 500 µs is not part of the base it is a share of.
  assert.equal(sizer.closeWindow(10_500, 500, 100), 5);
});

test('the burn follows the machine: a slower window raises it, smoothed over windows', () => {
  const sizer = new CpuShareSizer(10);
  assert.equal(sizer.closeWindow(10_000, 0, 100), 10);
  // The machine slows: 200 µs per span. The target is 20 µs; the estimate moves 30% of the way.
  assert.equal(sizer.closeWindow(22_000, 2_000, 100), 0.3 * 20 + 0.7 * 10);
  let last = 0;
  for (let i = 0; i < 40; i++) last = sizer.closeWindow(22_000, 2_000, 100);
  assert.ok(Math.abs(last - 20) < 1e-4, `converges to the target, got ${last}`);
});

test('a window without spans changes nothing', () => {
  const sizer = new CpuShareSizer(5);
  assert.equal(sizer.closeWindow(1_000, 0, 0), 0);
  assert.equal(sizer.closeWindow(10_000, 0, 100), 5);
  assert.equal(sizer.closeWindow(3_000, 0, 0), 5);
});
