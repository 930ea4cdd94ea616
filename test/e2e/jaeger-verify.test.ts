// node --import tsx --test test/e2e/jaeger-verify.test.ts
// The post-run check against a fake Jaeger (a real node:http server on 127.0.0.1 answering v1 bodies built
// from test/fixtures/jaeger/): whether process lifetimes overlap is the run's to say, not the clock's.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { verifyInJaeger } from '../../src/jaeger/verify.ts';
import type { ServiceLife } from '../../src/model/index.ts';
import { uiTraceWithId, V1_NOT_FOUND } from '../support/jaeger-bodies.ts';

const v1Body = (traces: unknown[]): string => JSON.stringify({ data: traces, total: 0, limit: 0, offset: 0, errors: null });
const id = (n: number) => n.toString(16).padStart(32, '0');

/** A Jaeger holding `traces` (id → start time, epoch ms): lookups by id, and a search by time window. */
async function fakeJaeger(traces: ReadonlyMap<string, number>) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const byId = /^\/api\/traces\/([0-9a-f]{32})$/.exec(url.pathname);
    res.setHeader('content-type', 'application/json');
    if (byId) {
      if (!traces.has(byId[1])) res.statusCode = 404;
      res.end(traces.has(byId[1]) ? v1Body([uiTraceWithId(byId[1])]) : V1_NOT_FOUND);
    } else if (url.pathname === '/api/traces') {
      const [start, end] = [Number(url.searchParams.get('start')) / 1000, Number(url.searchParams.get('end')) / 1000];
      res.end(v1Body([...traces].filter(([, at]) => at >= start && at <= end).map(([traceId]) => uiTraceWithId(traceId))));
    } else {
      res.statusCode = 404;
      res.end('404 page not found\n');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A service process as the run records it: whole-ms startedAt, fractional wallMs, and the exported trace ids. */
function life(variant: string, round: number, startMs: number, wallMs: number, ids: string[]): ServiceLife {
  return { variant, rounds: [round], startedAt: new Date(startMs).toISOString(), wallMs, final: { exportedTraces: { seen: ids.length, ids } } } as unknown as ServiceLife;
}

test('back-to-back processes: lifetimes that share a fraction of a millisecond are not overlapping, and each search counts its own traces', async (t) => {
  const t0 = Date.parse('2026-12-01T12:00:00.000Z');
  // A runs [t0, t0 + 1000.4 ms]; B starts at the next whole ms, t0 + 1000, so the two windows overlap by 0.4 ms.
  const a = [1, 2, 3].map(id);
  const b = [4, 5].map(id);
  const held = new Map<string, number>([...a.map((x, i) => [x, t0 + 100 + i] as const), ...b.map((x, i) => [x, t0 + 1500 + i] as const)]);
  const jaeger = await fakeJaeger(held);
  t.after(() => jaeger.close());
  const variants = [
    { name: 'A', lives: [life('A', 1, t0, 1000.4, a)] },
    { name: 'B', lives: [life('B', 1, t0 + 1000, 1000.3, b)] },
  ];
  const options = { queryUrl: jaeger.url, serviceName: 'svc', expectedSpansPerTrace: 8, stableForMs: 50, settleDeadlineMs: 5000, seed: 1 };

  const oneAfterTheOther = await verifyInJaeger(variants, { ...options, variantsRanTogether: false });
  assert.equal(oneAfterTheOther.windowsOverlap, false);
  assert.deepEqual(
    oneAfterTheOther.variants.map((v) => [v.variant, v.searchTotal, v.found, v.lookedUp]),
    [
      ['A', a.length, a.length, a.length],
      ['B', b.length, b.length, b.length],
    ],
  );

  const sideBySide = await verifyInJaeger(variants, { ...options, variantsRanTogether: true });
  assert.equal(sideBySide.windowsOverlap, true);
  assert.deepEqual(sideBySide.variants.map((v) => v.searchTotal), [null, null]);
  assert.deepEqual(sideBySide.variants.map((v) => v.found), [a.length, b.length]);
});
