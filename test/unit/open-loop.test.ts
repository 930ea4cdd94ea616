// node --import tsx --test test/unit/open-loop.test.ts
// The open-loop driver's option checks: each call is refused before any connection is made. The runs
// against real HTTP servers on 127.0.0.1 are in test/e2e/open-loop.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runOpenLoop } from '../../src/load/open-loop.ts';

test('invalid options are rejected with a clear error', async () => {
  const url = 'http://127.0.0.1:9/';
  const base = { url, ratePerSec: 10, durationSec: 1, connections: 1 };
  await assert.rejects(runOpenLoop({ ...base, ratePerSec: 0 }), /ratePerSec must be a positive number/);
  await assert.rejects(runOpenLoop({ ...base, ratePerSec: Number.NaN }), /ratePerSec/);
  await assert.rejects(runOpenLoop({ ...base, durationSec: -1 }), /durationSec must be a positive number/);
  await assert.rejects(runOpenLoop({ ...base, connections: 0 }), /connections must be an integer ≥ 1/);
  await assert.rejects(runOpenLoop({ ...base, connections: 1.5 }), /connections/);
  await assert.rejects(runOpenLoop({ ...base, timeoutSec: 0 }), /timeoutSec/);
  await assert.rejects(runOpenLoop({ ...base, lateThresholdMs: -1 }), /lateThresholdMs/);
  await assert.rejects(runOpenLoop({ ...base, url: 'ftp://127.0.0.1/' }), /http or https/);
});
