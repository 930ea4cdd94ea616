// node --import tsx --test test/e2e/jaeger-query.test.ts
// Contract tests of the Jaeger query client against a fake Jaeger (a real node:http server on
// 127.0.0.1) that answers with real Jaeger bodies from test/fixtures/jaeger/ (see its README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JaegerQueryClient, JaegerQueryError, parseV1Traces } from '../../src/jaeger/index.ts';
import {
  fixture,
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

const V3_SERVICES = fixture('api-v3-services-response.json');

// Bodies a real Jaeger sends that have no fixture file (the not-found ones are in ../support/jaeger-bodies.ts).
/** Go's http.NotFound, what a mux answers for a route it does not have. */
const GO_404 = '404 page not found\n';
/** Older Jaeger UIs answer any unknown path with index.html, status 200. */
const UI_INDEX = '<!doctype html><html lang="en"><head><title>Jaeger UI</title></head><body><div id="jaeger-ui-root"></div></body></html>';

type Reply = { status?: number; body: string; contentType?: string } | 'hang';

interface FakeJaeger {
  baseUrl: string;
  /** Every request, in order. */
  requests: URL[];
  close(): Promise<void>;
}

const json = (body: string, status = 200): Reply => ({ status, body, contentType: 'application/json' });
const goError = (body: string, status: number): Reply => ({ status, body, contentType: 'text/plain; charset=utf-8' });
const v1Body = (traces: unknown[]): string => JSON.stringify({ data: traces, total: 0, limit: 0, offset: 0, errors: null });

async function fakeJaeger(route: (url: URL, requestNumber: number) => Reply): Promise<FakeJaeger> {
  const requests: URL[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(url);
    const reply = route(url, requests.length);
    if (reply === 'hang') {
      hanging.push(res);
      return;
    }
    res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'application/json' });
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs `body` against a fake Jaeger and always closes it. */
async function withJaeger(route: (url: URL, n: number) => Reply, body: (jaeger: FakeJaeger) => Promise<void>): Promise<void> {
  const jaeger = await fakeJaeger(route);
  try {
    await body(jaeger);
  } finally {
    await jaeger.close();
  }
}

const client = (baseUrl: string, extra: { timeoutMs?: number; retries?: number } = {}) =>
  new JaegerQueryClient({ baseUrl, retryDelayMs: 5, ...extra });

// ---------------------------------------------------------------------------------------------------
// getTrace

test('getTrace: v1 found, unknown id → not-found (Jaeger 404 envelope), partial trace → fewer spans', async () => {
  const partial = JSON.parse(UI_TRACE) as { spans: unknown[] };
  partial.spans = partial.spans.slice(0, 3); // spans 0000…0004 and 0000…0005 have not arrived
  await withJaeger(
    (url) => {
      if (url.pathname === `/api/traces/${V1_ID}`) return json(V1_RESPONSE);
      if (url.pathname === `/api/traces/${ONE_ID}`) return json(v1Body([partial]));
      return goError(V1_NOT_FOUND, 404);
    },
    async (jaeger) => {
      const c = client(jaeger.baseUrl);
      const found = await c.getTrace(V1_ID.toUpperCase());
      assert.equal(found.state, 'found');
      assert.deepEqual(found.state === 'found' && found.trace, parseV1Traces(JSON.parse(V1_RESPONSE))[0]);
      assert.deepEqual(await c.getTrace('00000000000000000000000000000bad'), { state: 'not-found', api: 'v1' });
      const part = await c.getTrace('1'); // short ids are padded before asking
      assert.ok(part.state === 'found');
      assert.equal(part.trace.traceId, ONE_ID);
      assert.equal(part.trace.spanCount, 2);
      assert.equal(part.trace.spanRecords, 3);
      assert.deepEqual(part.trace.spanIds, ['0000000000000002', '0000000000000003']);
      assert.deepEqual(part.trace.services, ['service-x', 'service-y']);
      assert.deepEqual(
        jaeger.requests.map((u) => u.pathname),
        [`/api/traces/${V1_ID}`, '/api/traces/00000000000000000000000000000bad', `/api/traces/${ONE_ID}`],
      );
    },
  );
});

for (const [label, missing] of [
  ['404 "404 page not found" (Go mux)', goError(GO_404, 404)],
  ['200 text/html (UI index.html for unknown paths)', { status: 200, body: UI_INDEX, contentType: 'text/html; charset=utf-8' }],
] as const) {
  test(`getTrace: v1 trace route missing as ${label} → v3, remembered`, async () => {
    await withJaeger(
      (url) => {
        if (url.pathname === `/api/v3/traces/${ONE_ID}`) return json(V3_TRACE);
        if (url.pathname.startsWith('/api/v3/traces/')) return goError(V3_NOT_FOUND, 404);
        return missing;
      },
      async (jaeger) => {
        const c = client(jaeger.baseUrl);
        const found = await c.getTrace('0000000000000001');
        assert.deepEqual(found, {
          state: 'found',
          api: 'v3',
          trace: { traceId: ONE_ID, spanCount: 1, spanRecords: 1, spanIds: ['0000000000000002'], services: [] },
        });
        assert.deepEqual(await c.getTrace(V1_ID), { state: 'not-found', api: 'v3' });
        assert.deepEqual(
          jaeger.requests.map((u) => u.pathname),
          [`/api/traces/${ONE_ID}`, `/api/v3/traces/${ONE_ID}`, `/api/v3/traces/${V1_ID}`],
        );
      },
    );
  });
}

test('getTrace: neither v1 nor v3 route → error naming both URLs', async () => {
  await withJaeger(
    () => goError(GO_404, 404),
    async (jaeger) => {
      const result = await client(jaeger.baseUrl).getTrace(V1_ID);
      assert.equal(result.state, 'error');
      assert.ok(result.state === 'error');
      assert.match(result.message, /^no trace route: GET http:\/\/127\.0\.0\.1:\d+\/api\/traces\/83a9.* answered HTTP 404 404 page not found and GET .*\/api\/v3\/traces\/83a9/);
      assert.ok(!result.message.includes('\n'));
    },
  );
});

test('getTrace: 500 then 200 → retried and found', async () => {
  await withJaeger(
    (_url, n) => (n === 1 ? goError('{"data":null,"errors":[{"code":500,"msg":"storage busy"}]}\n', 500) : json(V1_RESPONSE)),
    async (jaeger) => {
      const result = await client(jaeger.baseUrl).getTrace(V1_ID);
      assert.equal(result.state, 'found');
      assert.equal(jaeger.requests.length, 2);
    },
  );
});

test('getTrace: 503 on every attempt → error after 1 + retries requests', async () => {
  await withJaeger(
    () => goError('upstream unavailable', 503),
    async (jaeger) => {
      const result = await client(jaeger.baseUrl, { retries: 2 }).getTrace(V1_ID);
      assert.ok(result.state === 'error');
      assert.match(result.message, /HTTP 503 upstream unavailable/);
      assert.match(result.message, new RegExp(`GET ${jaeger.baseUrl}/api/traces/${V1_ID}`));
      assert.equal(jaeger.requests.length, 3);
    },
  );
});

test('getTrace: a server that never answers → error (timeout), naming the URL', async () => {
  await withJaeger(
    () => 'hang',
    async (jaeger) => {
      const result = await client(jaeger.baseUrl, { timeoutMs: 200, retries: 0 }).getTrace(V1_ID);
      assert.ok(result.state === 'error');
      assert.match(result.message, /timed out after 200 ms/);
      assert.ok(result.message.includes(`${jaeger.baseUrl}/api/traces/${V1_ID}`));
      assert.ok(!result.message.includes('\n'));
    },
  );
});

test('getTrace: nothing listening → error with the network reason', async () => {
  const jaeger = await fakeJaeger(() => json('{}'));
  const baseUrl = jaeger.baseUrl;
  await jaeger.close();
  const result = await client(baseUrl, { retries: 0 }).getTrace(V1_ID);
  assert.ok(result.state === 'error');
  assert.match(result.message, /ECONNREFUSED/);
  assert.ok(result.message.includes(baseUrl));
});

test('getTrace: malformed JSON → error with a one-line message naming the URL', async () => {
  await withJaeger(
    () => json('{"data": [ {"traceID": "83a9\n'),
    async (jaeger) => {
      const result = await client(jaeger.baseUrl).getTrace(V1_ID);
      assert.ok(result.state === 'error');
      assert.match(result.message, /answered HTTP 200 with malformed JSON/);
      assert.ok(result.message.includes(`${jaeger.baseUrl}/api/traces/${V1_ID}`));
      assert.ok(!result.message.includes('\n'));
      assert.equal(jaeger.requests.length, 1); // not retried
    },
  );
});

test('getTrace: a body of the wrong shape and an invalid id are errors, not exceptions', async () => {
  await withJaeger(
    () => json(V3_SERVICES),
    async (jaeger) => {
      const c = client(jaeger.baseUrl);
      const wrong = await c.getTrace(V1_ID);
      assert.ok(wrong.state === 'error');
      assert.match(wrong.message, /not a Jaeger v1 answer/);
      const bad = await c.getTrace('not-an-id');
      assert.ok(bad.state === 'error');
      assert.match(bad.message, /trace id "not-an-id" is not 1–32 hex characters/);
      assert.equal(jaeger.requests.length, 1);
    },
  );
});

// ---------------------------------------------------------------------------------------------------
// searchTraces and services

const START_MS = Date.UTC(2026, 10, 25, 15, 0, 0, 250);
const END_MS = START_MS + 60_000;

test('searchTraces: v1 with µs window and limit', async () => {
  await withJaeger(
    (url) => (url.pathname === '/api/traces' ? json(V1_RESPONSE) : goError(GO_404, 404)),
    async (jaeger) => {
      const result = await client(jaeger.baseUrl).searchTraces('telemetrygen', START_MS, END_MS, 1);
      assert.equal(result.api, 'v1');
      assert.equal(result.atLimit, true);
      assert.deepEqual(result.traces.map((t) => [t.traceId, t.spanCount]), [[V1_ID, 1]]);
      const q = jaeger.requests[0]!.searchParams;
      assert.equal(q.get('service'), 'telemetrygen');
      assert.equal(q.get('start'), String(START_MS * 1000));
      assert.equal(q.get('end'), String(END_MS * 1000));
      assert.equal(q.get('limit'), '1');
    },
  );
});

test('searchTraces: v1 search route missing → v3 (api v3), both parameter spellings, remembered', async () => {
  const otlpResult = JSON.stringify({ result: JSON.parse(OTLP_INPUT) });
  await withJaeger(
    (url) => (url.pathname === '/api/v3/traces' ? json(otlpResult) : goError(GO_404, 404)),
    async (jaeger) => {
      const c = client(jaeger.baseUrl);
      const result = await c.searchTraces('telemetrygen', START_MS, END_MS, 20);
      assert.equal(result.api, 'v3');
      assert.equal(result.atLimit, false);
      assert.deepEqual(result.traces, parseV1Traces(JSON.parse(V1_RESPONSE)));
      const q = jaeger.requests[1]!.searchParams;
      for (const [canonical, deprecated, value] of [
        ['query.serviceName', 'query.service_name', 'telemetrygen'],
        ['query.startTimeMin', 'query.start_time_min', '2026-11-25T15:00:00.250Z'],
        ['query.startTimeMax', 'query.start_time_max', '2026-11-25T15:01:00.250Z'],
        ['query.searchDepth', 'query.search_depth', '20'],
      ]) {
        assert.equal(q.get(canonical!), value);
        assert.equal(q.get(deprecated!), value);
      }
      await c.searchTraces('telemetrygen', START_MS, END_MS, 20);
      assert.deepEqual(jaeger.requests.map((u) => u.pathname), ['/api/traces', '/api/v3/traces', '/api/v3/traces']);
    },
  );
});

test('searchTraces: v3 "No traces found" (404 envelope) is an empty result, 410 from v1 also falls back', async () => {
  await withJaeger(
    (url) => (url.pathname === '/api/v3/traces' ? goError(V3_NOT_FOUND, 404) : goError('gone', 410)),
    async (jaeger) => {
      const result = await client(jaeger.baseUrl).searchTraces('frontend', START_MS, END_MS, 10);
      assert.deepEqual(result, { traces: [], api: 'v3', atLimit: false });
    },
  );
});

test('searchTraces: no search route at all → JaegerQueryError', async () => {
  await withJaeger(
    () => goError(GO_404, 404),
    async (jaeger) => {
      await assert.rejects(client(jaeger.baseUrl).searchTraces('frontend', START_MS, END_MS, 10), (err: Error) => {
        assert.ok(err instanceof JaegerQueryError);
        assert.match(err.message, /^no trace search route .*GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\/traces\?.* answered HTTP 404/);
        return true;
      });
    },
  );
});

test('services: v3 first, v1 when v3 is missing', async () => {
  await withJaeger(
    (url) => (url.pathname === '/api/v3/services' ? json(V3_SERVICES) : goError(GO_404, 404)),
    async (jaeger) => {
      assert.deepEqual(await client(jaeger.baseUrl).services(), ['foo']);
    },
  );
  // What the real Jaeger v2 answers before any span arrived.
  await withJaeger(
    (url) => (url.pathname === '/api/v3/services' ? json('{}') : goError(GO_404, 404)),
    async (jaeger) => {
      assert.deepEqual(await client(jaeger.baseUrl).services(), []);
    },
  );
  await withJaeger(
    (url) =>
      url.pathname === '/api/services'
        ? json(JSON.stringify({ data: ['frontend', 'users'], total: 2, limit: 0, offset: 0, errors: null }))
        : goError(GO_404, 404),
    async (jaeger) => {
      assert.deepEqual(await client(jaeger.baseUrl).services(), ['frontend', 'users']);
      assert.deepEqual(jaeger.requests.map((u) => u.pathname), ['/api/v3/services', '/api/services']);
    },
  );
});

// ---------------------------------------------------------------------------------------------------
// waitUntilSettled

/** A v1 search answer with `n` distinct traces (ui-trace.json with ids 1…n). */
const searchWith = (n: number): Reply => json(v1Body(Array.from({ length: n }, (_, i) => uiTraceWithId((i + 1).toString(16)))));

test('waitUntilSettled: count grows then stops → settled with the final count', async () => {
  await withJaeger(
    (_url, n) => searchWith(Math.min(n, 3)),
    async (jaeger) => {
      const progress: number[] = [];
      const result = await client(jaeger.baseUrl).waitUntilSettled('service-x', START_MS, END_MS, {
        limit: 100,
        stableForMs: 100,
        deadlineMs: 5000,
        pollMs: 10,
        onProgress: (count) => progress.push(count),
      });
      assert.equal(result.settled, true);
      assert.equal(result.api, 'v1');
      assert.equal(result.traces.length, 3);
      assert.deepEqual(result.traces.map((t) => t.spanCount), [4, 4, 4]);
      assert.deepEqual(progress.slice(0, 3), [1, 2, 3]);
      assert.equal(progress.at(-1), 3);
      assert.equal(progress.length, result.polls);
    },
  );
});

test('waitUntilSettled: deadline passes first → settled false with the latest traces', async () => {
  await withJaeger(
    (_url, n) => searchWith(n),
    async (jaeger) => {
      const result = await client(jaeger.baseUrl).waitUntilSettled('service-x', START_MS, END_MS, {
        limit: 1000,
        stableForMs: 60_000,
        deadlineMs: 150,
        pollMs: 10,
      });
      assert.equal(result.settled, false);
      assert.ok(result.polls >= 2);
      assert.equal(result.traces.length, jaeger.requests.length);
    },
  );
});

test('waitUntilSettled: nothing arrived is not settled; every poll failing → the error is thrown', async () => {
  await withJaeger(
    () => searchWith(0),
    async (jaeger) => {
      const result = await client(jaeger.baseUrl).waitUntilSettled('service-x', START_MS, END_MS, {
        limit: 10,
        stableForMs: 20,
        deadlineMs: 120,
        pollMs: 10,
      });
      assert.deepEqual([result.settled, result.traces.length], [false, 0]);
    },
  );
  await withJaeger(
    () => goError('{"data":null,"errors":[{"code":400,"msg":"bad service"}]}\n', 400),
    async (jaeger) => {
      await assert.rejects(
        client(jaeger.baseUrl).waitUntilSettled('service-x', START_MS, END_MS, { limit: 10, stableForMs: 20, deadlineMs: 50, pollMs: 10 }),
        /unexpected answer: GET .*\/api\/traces\?service=service-x.* answered HTTP 400/,
      );
    },
  );
});
