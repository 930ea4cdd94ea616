// node --import tsx --test test/unit/jaeger-query.test.ts
// The Jaeger query client's parsers on real Jaeger bodies from test/fixtures/jaeger/ (see its README.md),
// and its id sampling and found interval. The contract tests against a fake Jaeger (a real node:http
// server on 127.0.0.1) are in test/e2e/jaeger-query.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foundInterval, parseV1Traces, parseV3Traces, sampleIds, type FoundTrace } from '../../src/jaeger/index.ts';
import {
  ONE_ID,
  OTLP_INPUT,
  UI_TRACE,
  uiTraceWithId,
  V1_ID,
  V1_NOT_FOUND,
  V1_RESPONSE,
  V3_NOT_FOUND,
  V3_TRACE,
} from '../support/jaeger-bodies.ts';

// ---------------------------------------------------------------------------------------------------
// Parsers

test('parseV1Traces reads api-traces-response.json: id, distinct spans, duplicate span records, service', () => {
  const traces = parseV1Traces(JSON.parse(V1_RESPONSE));
  assert.deepEqual(traces, [
    { traceId: V1_ID, spanCount: 1, spanRecords: 2, spanIds: ['e127af99e3b3e074'], services: ['telemetrygen'] },
  ] satisfies FoundTrace[]);
});

test('parseV1Traces reads a body around ui-trace.json: short id padded, services from processes', () => {
  const traces = parseV1Traces({ data: [JSON.parse(UI_TRACE)], total: 0, limit: 0, offset: 0, errors: null });
  assert.deepEqual(traces, [
    {
      traceId: ONE_ID,
      spanCount: 4,
      spanRecords: 5, // span id 0000000000000002 appears twice in the fixture
      spanIds: ['0000000000000002', '0000000000000003', '0000000000000004', '0000000000000005'],
      services: ['service-x', 'service-y'],
    },
  ]);
  // Older Jaeger printed ids without leading zeros at all, in any case.
  const [short] = parseV1Traces({ data: [uiTraceWithId('AB')] });
  assert.equal(short!.traceId, `${'0'.repeat(30)}ab`);
  // The same trace twice in one answer is merged; Jaeger's error envelope (data null) is no traces.
  const merged = parseV1Traces({ data: [JSON.parse(UI_TRACE), JSON.parse(UI_TRACE)] });
  assert.equal(merged.length, 1);
  assert.equal(merged[0]!.spanCount, 4);
  assert.equal(merged[0]!.spanRecords, 10);
  assert.deepEqual(parseV1Traces(JSON.parse(V1_NOT_FOUND)), []);
});

test('parseV1Traces throws a one-line Error on malformed bodies', () => {
  const cases: [unknown, RegExp][] = [
    [null, /expected \{data:\[…\]\}/],
    [{ result: {} }, /expected \{data:\[…\]\}/],
    [{ data: 5 }, /data is 5, not an array/],
    [{ data: [{ spans: [] }] }, /data\[0\] has no traceID/],
    [{ data: [{ traceID: 'xyz', spans: [] }] }, /data\[0\]\.traceID "xyz" is not 1–32 hex/],
    [{ data: [{ traceID: '1', spans: [{ operationName: 'x' }] }] }, /data\[0\]\.spans\[0\] has no spanID/],
  ];
  for (const [body, message] of cases) {
    assert.throws(() => parseV1Traces(body), (err: Error) => message.test(err.message) && !err.message.includes('\n'));
  }
});

test('parseV3Traces reads api-v3-trace-response.json (hex ids, empty resource)', () => {
  assert.deepEqual(parseV3Traces(JSON.parse(V3_TRACE)), [
    { traceId: ONE_ID, spanCount: 1, spanRecords: 1, spanIds: ['0000000000000002'], services: [] },
  ]);
});

test('parseV3Traces of the OTLP input agrees with parseV1Traces of what Jaeger made of it', () => {
  const v3 = parseV3Traces({ result: JSON.parse(OTLP_INPUT) });
  assert.deepEqual(v3, parseV1Traces(JSON.parse(V1_RESPONSE)));
  assert.deepEqual(v3[0]!.services, ['telemetrygen']);
});

test('parseV3Traces reads base64 ids (standard protobuf JSON) and groups spans by trace', () => {
  const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
  const body = {
    result: {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'frontend' } }] },
          scopeSpans: [
            { spans: [{ traceId: b64(V1_ID), spanId: b64('e127af99e3b3e074') }, { traceId: V1_ID, spanId: '0000000000000009' }] },
          ],
        },
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'users' } }] },
          scopeSpans: [{ spans: [{ traceId: ONE_ID, spanId: '0000000000000002' }, { traceId: V1_ID, spanId: 'AAAAAAAAAAo=' }] }],
        },
      ],
    },
  };
  assert.deepEqual(parseV3Traces(body), [
    {
      traceId: V1_ID,
      spanCount: 3,
      spanRecords: 3,
      spanIds: ['e127af99e3b3e074', '0000000000000009', '000000000000000a'],
      services: ['frontend', 'users'],
    },
    { traceId: ONE_ID, spanCount: 1, spanRecords: 1, spanIds: ['0000000000000002'], services: ['users'] },
  ]);
  assert.deepEqual(parseV3Traces({ result: {} }), []); // protobuf JSON omits an empty list
});

test('parseV3Traces throws a one-line Error on malformed bodies', () => {
  const cases: [unknown, RegExp][] = [
    [[], /expected \{result/],
    [JSON.parse(V1_RESPONSE), /expected \{result/],
    [JSON.parse(V3_NOT_FOUND), /v3 error answer: 404 No traces found/],
    [{ result: { resourceSpans: {} } }, /resourceSpans is \{\}, not an array/],
    [{ result: { resourceSpans: [{ scopeSpans: [{ spans: [{ spanId: '01' }] }] }] } }, /lacks traceId or spanId/],
    [{ result: { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'nope!', spanId: '01' }] }] }] } }, /traceId "nope!" is neither/],
  ];
  for (const [body, message] of cases) {
    assert.throws(() => parseV3Traces(body), (err: Error) => message.test(err.message) && !err.message.includes('\n'));
  }
});

// ---------------------------------------------------------------------------------------------------
// sampleIds and foundInterval

test('sampleIds: deterministic per seed, distinct, a subset, bounded by the distinct input', () => {
  const ids = Array.from({ length: 1000 }, (_, i) => i.toString(16).padStart(32, '0'));
  const a = sampleIds(ids, 50, 42);
  assert.deepEqual(a, sampleIds(ids, 50, 42));
  assert.notDeepEqual(a, sampleIds(ids, 50, 43));
  assert.equal(a.length, 50);
  assert.equal(new Set(a).size, 50);
  const all = new Set(ids);
  assert.ok(a.every((id) => all.has(id)));
  assert.deepEqual(sampleIds(ids, 0, 1), []);
  assert.deepEqual(sampleIds(['x', 'x', 'y'], 5, 7).sort(), ['x', 'y']);
  assert.deepEqual(ids, Array.from({ length: 1000 }, (_, i) => i.toString(16).padStart(32, '0'))); // input untouched
  assert.throws(() => sampleIds(ids, -1, 1), /k -1 must be an integer ≥ 0/);
});

test('sampleIds: roughly uniform', () => {
  const ids = Array.from({ length: 10 }, (_, i) => String(i));
  const hits = new Map<string, number>();
  for (let seed = 0; seed < 2000; seed++) for (const id of sampleIds(ids, 3, seed)) hits.set(id, (hits.get(id) ?? 0) + 1);
  for (const id of ids) {
    const share = (hits.get(id) ?? 0) / 2000; // expected 0.3
    assert.ok(share > 0.24 && share < 0.36, `id ${id} sampled with share ${share}`);
  }
});

test('foundInterval: Wilson 95% known values', () => {
  const all = foundInterval(10, 10);
  assert.equal(all.ratio, 1);
  assert.equal(all.high, 1);
  assert.ok(Math.abs(all.low - 0.7225) < 5e-4, `low ${all.low}`);
  const none = foundInterval(0, 10);
  assert.deepEqual([none.ratio, none.low], [0, 0]);
  assert.ok(Math.abs(none.high - 0.2775) < 5e-4, `high ${none.high}`);
  const half = foundInterval(50, 100);
  assert.equal(half.ratio, 0.5);
  assert.ok(Math.abs(half.low - 0.4038) < 5e-4 && Math.abs(half.high - 0.5962) < 5e-4, JSON.stringify(half));
  const empty = foundInterval(0, 0);
  assert.ok(Number.isNaN(empty.ratio));
  assert.deepEqual([empty.low, empty.high], [0, 1]);
  assert.throws(() => foundInterval(11, 10), /0 ≤ found ≤ lookedUp/);
});
