// The service under test: frontend → users → db, and frontend → auth, each a real HTTP server on a
// loopback port, calling each other over keep-alive HTTP with W3C trace context. Instrumented by hand
// with the OpenTelemetry API, so the same code runs against the SDK or against the API's no-op.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { spin } from './work.ts';
import type { Hop, ServiceShape, SpanCounters } from '../../model/index.ts';

export interface TopologyOptions {
  readonly shape: ServiceShape;
  readonly iterationsPerUs: number;
  readonly host: string;
  /** The frontend's port; 0 picks a free one. The inner hops always take free ports. */
  readonly frontendPort: number;
  readonly tracer: Tracer;
  readonly counters: SpanCounters;
  /** Called when a request arrives at the frontend (its spans are started whether or not it finishes). */
  readonly onFrontendArrival: () => void;
  /** Called when the frontend has finished a response, with its time from arrival in µs. */
  readonly onFrontendResponse: (serverTimeUs: number, ok: boolean) => void;
}

export interface Topology {
  readonly frontendUrl: string;
  readonly ports: Readonly<Record<Hop, number>>;
  close(): Promise<void>;
}

type Handler = (query: URLSearchParams) => Promise<string>;

/** How long close() waits for requests in flight to finish before it cuts them off. */
const drainTimeoutMs = 5000;

export async function startTopology(options: TopologyOptions): Promise<Topology> {
  const { tracer, counters, shape, host } = options;

  async function work(hop: Hop): Promise<void> {
    const { cpuUs, sleepMs } = shape[hop];
    if (cpuUs > 0) spin(Math.round(cpuUs * options.iterationsPerUs));
    if (sleepMs > 0) await sleep(sleepMs);
  }

  function call(agent: http.Agent, port: number, path: string, route: string): Promise<string> {
    const span = tracer.startSpan(`GET ${route}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'http.request.method': 'GET', 'server.address': host, 'server.port': port },
    });
    counters.started++;
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), headers);
    return new Promise((resolve, reject) => {
      // Every path ends the span exactly once: a span that never ends is a span never exported.
      let settled = false;
      const settle = (error: Error | undefined, body = '') => {
        if (settled) return;
        settled = true;
        if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        span.end();
        if (error) reject(error);
        else resolve(body);
      };
      const req = http.request({ host, port, path, agent, headers }, (res) => {
        let body = '';
        span.setAttribute('http.response.status_code', res.statusCode ?? 0);
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => settle(res.statusCode === 200 ? undefined : new Error(`GET ${path} answered ${res.statusCode}`), body));
        res.on('close', () => settle(new Error(`GET ${path}: the response was cut off`)));
      });
      req.on('error', (error) => settle(error));
      req.end();
    });
  }

  /** A server whose one route runs `handler` inside a SERVER span continued from the caller's context. */
  /** Requests being handled by any hop, so that close() can let them finish and every span end. */
  let inFlight = 0;

  function server(hop: Hop, route: string, handler: Handler, onResponse?: (startedAt: number, ok: boolean) => void, onArrival?: () => void) {
    return http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
      const startedAt = performance.now();
      const [path, search] = (req.url ?? '/').split('?', 2);
      if (req.method !== 'GET' || !path.startsWith(route)) {
        res.writeHead(404).end();
        return;
      }
      onArrival?.();
      const parent = propagation.extract(ROOT_CONTEXT, req.headers);
      const span = tracer.startSpan(
        `${hop} GET ${route}`,
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': path } },
        parent,
      );
      counters.started++;
      inFlight++;
      const finish = (status: number, body: string) => {
        inFlight--;
        span.setAttribute('http.response.status_code', status);
        if (status !== 200) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body, onResponse ? () => onResponse(startedAt, status === 200) : undefined);
      };
      context
        .with(trace.setSpan(parent, span), () => handler(new URLSearchParams(search)))
        .then(
          (body) => finish(200, body),
          (error: Error) => finish(502, JSON.stringify({ error: error.message })),
        );
    });
  }

  const listen = (s: http.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, host, () => resolve((s.address() as AddressInfo).port));
    });

  const db = server('db', '/query', async (query) => {
    await work('db');
    const id = query.get('id') ?? '0';
    return JSON.stringify({ id, name: `user-${id}`, plan: 'free' });
  });
  const auth = server('auth', '/check', async (query) => {
    await work('auth');
    return JSON.stringify({ user: query.get('user'), allowed: true });
  });
  const dbPort = await listen(db, 0);
  const authPort = await listen(auth, 0);

  const usersAgent = new http.Agent({ keepAlive: true });
  const users = server('users', '/users/', async (query) => {
    await work('users');
    return call(usersAgent, dbPort, `/query?id=${encodeURIComponent(query.get('id') ?? '0')}`, '/query');
  });
  const usersPort = await listen(users, 0);

  const frontendAgent = new http.Agent({ keepAlive: true });
  const frontend = server(
    'frontend',
    '/hello',
    async (query) => {
      const name = query.get('name') ?? 'world';
      const span = tracer.startSpan('simulateWork', {
        kind: SpanKind.INTERNAL,
        attributes: { 'work.cpu_us': shape.frontend.cpuUs, 'work.sleep_ms': shape.frontend.sleepMs, 'user.name': name },
      });
      counters.started++;
      span.addEvent('work.start');
      await context.with(trace.setSpan(context.active(), span), () => work('frontend'));
      span.addEvent('work.done', { 'work.iterations': Math.round(shape.frontend.cpuUs * options.iterationsPerUs) });
      span.end();
      const id = String(name.length);
      const [user, allowed] = await Promise.all([
        call(frontendAgent, usersPort, `/users/${id}?id=${id}`, '/users/:id'),
        call(frontendAgent, authPort, `/check?user=${encodeURIComponent(name)}`, '/check'),
      ]);
      return `{"message":${JSON.stringify(`hello ${name}`)},"user":${user},"auth":${allowed}}`;
    },
    (startedAt, ok) => options.onFrontendResponse((performance.now() - startedAt) * 1000, ok),
    options.onFrontendArrival,
  );
  const frontendPort = await listen(frontend, options.frontendPort);

  const servers = [frontend, users, auth, db];
  return {
    frontendUrl: `http://${host.includes(':') ? `[${host}]` : host}:${frontendPort}/hello?name=tracetax`,
    ports: { frontend: frontendPort, users: usersPort, db: dbPort, auth: authPort },
    async close() {
      // Stop new arrivals at the frontend only: the inner hops must still accept the calls of requests in flight.
      frontend.close();
      const drainUntil = performance.now() + drainTimeoutMs;
      while (inFlight > 0 && performance.now() < drainUntil) await sleep(10);
      usersAgent.destroy();
      frontendAgent.destroy();
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              if (s.listening) s.close(() => resolve());
              else resolve();
            }),
        ),
      );
    },
  };
}
