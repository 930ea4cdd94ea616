// node --import tsx --test test/e2e/open-loop.test.ts
// Open-loop driver against real HTTP servers on 127.0.0.1. Only exact counts and relationships are
// asserted, never wall-clock thresholds: the machine may be busy.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { decodeHistogram } from '../../src/measure/histogram.ts';
import { closedLoopDriver } from '../../src/load/closed-loop.ts';
import { openLoopDriver, runOpenLoop } from '../../src/load/open-loop.ts';
import { LoadTargetError } from '../../src/load/target.ts';
import type { OpenLoopResult } from '../../src/model/index.ts';

interface TestServer {
  readonly port: number;
  readonly url: string;
  /** Requests that reached the handler. */
  received: number;
  close(): Promise<void>;
}

async function startServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void): Promise<TestServer> {
  const server = http.createServer();
  const state = {
    port: 0,
    url: '',
    received: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('request', (req, res) => handler(req, res, ++state.received));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}/`;
  return state;
}

/** Holds the answer until at least `ms` have passed on performance.now() (timers may fire a little early). */
function answerAfter(res: http.ServerResponse, ms: number, status = 200): void {
  const arrived = performance.now();
  const check = () => {
    const left = arrived + ms - performance.now();
    if (left > 0) setTimeout(check, Math.ceil(left));
    else res.writeHead(status).end('late');
  };
  setTimeout(check, ms);
}

function assertAccounting(r: OpenLoopResult): void {
  assert.equal(r.intended, r.sent + r.unsent, 'intended = sent + unsent');
  assert.equal(r.requests + r.non2xx + r.errors, r.sent, 'every sent request is a 2xx, a non-2xx or an error');
  assert.ok(r.timeouts <= r.errors, 'timeouts are counted among errors');
  assert.ok(r.late <= r.sent && r.waitedForConnection <= r.sent);
  assert.equal(decodeHistogram(r.latencyHistogram).totalCount, r.requests);
  assert.equal(decodeHistogram(r.sendLatencyHistogram).totalCount, r.requests);
}

function assertCorrectedNotBelowRaw(r: OpenLoopResult): void {
  for (const q of ['p50', 'p90', 'p99', 'p999'] as const) {
    assert.ok(r.latencyMs[q] >= r.sendLatencyMs[q], `${q}: from intended ${r.latencyMs[q]} ms < from send ${r.sendLatencyMs[q]} ms`);
  }
}

test('an instant server: every intended request is accounted for, and the server saw exactly the sent ones', async () => {
  const server = await startServer((_req, res) => res.end('ok'));
  try {
    const r = await runOpenLoop({ url: server.url, ratePerSec: 200, durationSec: 1, connections: 4 });
    assert.equal(r.intended, 200);
    assert.equal(r.targetRatePerSec, 200);
    assertAccounting(r);
    assert.equal(server.received, r.sent);
    assert.equal(r.errors, 0);
    assert.equal(r.timeouts, 0);
    assert.equal(r.non2xx, 0);
    assert.equal(r.requests, r.sent);
    assert.equal(r.requestsPerSec, r.requests / r.durationSec);
    assertCorrectedNotBelowRaw(r);
    assert.ok(r.schedulerLagMs.p50 <= r.schedulerLagMs.p99 && r.schedulerLagMs.p99 <= r.schedulerLagMs.max);
  } finally {
    await server.close();
  }
});

test('intended requests follow ceil(rate × duration), fractional rates included', async () => {
  const server = await startServer((_req, res) => res.end('ok'));
  try {
    // 2.5/s for 1 s: intended at 0, 0.4, 0.8 s. 10/s for 0.3 s: 0, 0.1, 0.2 s (0.3 s is outside).
    const a = await runOpenLoop({ url: server.url, ratePerSec: 2.5, durationSec: 1, connections: 1 });
    const b = await runOpenLoop({ url: server.url, ratePerSec: 10, durationSec: 0.3, connections: 1 });
    assert.equal(a.intended, 3);
    assert.equal(b.intended, 3);
    for (const r of [a, b]) assertAccounting(r);
    assert.equal(server.received, a.sent + b.sent);
  } finally {
    await server.close();
  }
});

test('a server answering 503 to every 4th request: non2xx is exactly the 503s it sent', async () => {
  let unavailable = 0;
  const server = await startServer((_req, res, n) => {
    if (n % 4 === 0) {
      unavailable++;
      res.writeHead(503).end('busy');
    } else {
      res.end('ok');
    }
  });
  try {
    const r = await runOpenLoop({ url: server.url, ratePerSec: 200, durationSec: 0.5, connections: 3 });
    assertAccounting(r);
    assert.equal(server.received, r.sent);
    assert.equal(r.non2xx, unavailable);
    assert.equal(r.non2xx, Math.floor(r.sent / 4));
    assert.equal(r.requests, r.sent - unavailable);
    assert.equal(r.errors, 0);
  } finally {
    await server.close();
  }
});

test('a path answered only with 503: no 2xx latency is recorded', async () => {
  const server = await startServer((req, res) => res.writeHead(req.url === '/down?x=1' ? 503 : 200).end());
  try {
    const r = await runOpenLoop({ url: `${server.url}down?x=1`, ratePerSec: 50, durationSec: 0.2, connections: 2 });
    assertAccounting(r);
    assert.equal(r.non2xx, r.sent);
    assert.equal(r.requests, 0);
    assert.ok(Number.isNaN(r.latencyMs.p50) && Number.isNaN(r.sendLatencyMs.p99));
  } finally {
    await server.close();
  }
});

test('a server stalling 300 ms behind one connection at 100/s: sends are late, the backlog is abandoned, corrected ≥ raw ≥ stall', async () => {
  const stallMs = 300;
  const server = await startServer((_req, res) => answerAfter(res, stallMs));
  try {
    const r = await runOpenLoop({ url: server.url, ratePerSec: 100, durationSec: 1, connections: 1, timeoutSec: 5 });
    assert.equal(r.intended, 100);
    assertAccounting(r);
    assert.equal(server.received, r.sent);
    assert.equal(r.errors, 0);
    assert.equal(r.requests, r.sent);
    // One connection answering after ≥ 300 ms sends at most 4 in 1 s (at 0, ≥0.3, ≥0.6, ≥0.9 s).
    assert.ok(r.sent >= 1 && r.sent <= 4, `sent ${r.sent}`);
    assert.equal(r.unsent, 100 - r.sent);
    // Only the very first request can have found the connection free; every later one waited for it.
    assert.equal(r.waitedForConnection, r.sent - 1);
    assert.ok(r.late >= r.sent - 1, `late ${r.late} of ${r.sent}`);
    assertCorrectedNotBelowRaw(r);
    assert.ok(r.sendLatencyMs.p99 >= stallMs, `raw p99 ${r.sendLatencyMs.p99}`);
    assert.ok(r.latencyMs.p99 >= stallMs, `corrected p99 ${r.latencyMs.p99}`);
    if (r.sent >= 2) assert.ok(r.latencyMs.p99 > r.sendLatencyMs.p99, 'the queued requests carry their wait');
  } finally {
    await server.close();
  }
});

test('a server that never answers: the run ends by itself and every sent request is a timeout', async () => {
  const server = await startServer(() => {
    // Never answers.
  });
  try {
    const r = await runOpenLoop({ url: server.url, ratePerSec: 20, durationSec: 0.5, connections: 3, timeoutSec: 0.4 });
    assert.equal(r.intended, 10);
    assertAccounting(r);
    assert.ok(r.sent >= 3);
    assert.equal(r.timeouts, r.sent);
    assert.equal(r.errors, r.sent);
    assert.equal(r.requests, 0);
    assert.equal(r.non2xx, 0);
    assert.equal(server.received, r.sent);
  } finally {
    await server.close();
  }
});

test('a refused connection counts as an error, not a timeout', async () => {
  const server = await startServer((_req, res) => res.end());
  const { url } = server;
  await server.close();
  const r = await runOpenLoop({ url, ratePerSec: 20, durationSec: 0.2, connections: 1 });
  assertAccounting(r);
  assert.equal(r.errors, r.sent);
  assert.equal(r.timeouts, 0);
});

test('a non-loopback target is refused before anything is sent, unless allowed', async () => {
  const server = await startServer((_req, res) => res.end('ok'));
  try {
    // 0.0.0.0 reaches this machine's listeners on Linux, but it is not a loopback name.
    const url = `http://0.0.0.0:${server.port}/`;
    await assert.rejects(runOpenLoop({ url, ratePerSec: 50, durationSec: 0.1, connections: 1 }), LoadTargetError);
    await assert.rejects(runOpenLoop({ url: 'http://192.0.2.1/', ratePerSec: 50, durationSec: 0.1, connections: 1 }), LoadTargetError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(server.received, 0);
    const allowed = await runOpenLoop({ url, ratePerSec: 50, durationSec: 0.1, connections: 1, allowRemote: true });
    assert.equal(server.received, allowed.sent);
  } finally {
    await server.close();
  }
});

test('a warm-up that counts requests: the closed loop stops at exactly that many, the open loop sends that many at its rate', async () => {
  const server = await startServer((_req, res) => res.end('ok'));
  try {
    // The duration is only the bound: far longer than 300 requests take.
    const closed = await closedLoopDriver.run({ url: server.url }, { connections: 7, durationSec: 60, requests: 300 });
    assert.equal(closed.requests, 300);
    assert.equal(server.received, 300);
    const open = await openLoopDriver.run({ url: server.url }, { connections: 4, durationSec: 60, ratePerSec: 200, requests: 100 });
    assert.equal(open.kind, 'open');
    if (open.kind === 'open') assert.equal(open.intended, 100);
    assert.equal(server.received, 300 + open.requests + open.non2xx + open.errors);
  } finally {
    await server.close();
  }
});
