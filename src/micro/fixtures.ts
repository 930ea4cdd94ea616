// Spans shaped like the ones being measured: the service's 8-span request, the OpenTelemetry
// specification's benchmark span (10 attributes of 20-character keys and values), and the 4-span
// traces bench/collector-decode.ts has always used.
import { ROOT_CONTEXT, SpanKind, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { simpleSpanProcessor, TracerProviderClass } from '../tracing/sdk-trace.ts';

export const benchResource = resourceFromAttributes({ 'service.name': 'tracetax-micro' });

/** The specification's benchmark attributes: 10 keys and values of exactly 20 characters each. */
export const specAttributes: Attributes = Object.fromEntries(
  Array.from({ length: 10 }, (_, i) => [`spec.attribute.key.${i}`.padEnd(20, 'k'), `value-of-attribute-${i}`.padEnd(20, 'v').slice(0, 20)]),
);

/** One span as the specification's benchmark makes it: 10 attributes, set one by one like an instrumentation does. */
export function emitSpecSpan(tracer: Tracer): void {
  const span = tracer.startSpan('spec-benchmark-span', undefined, ROOT_CONTEXT);
  for (const key in specAttributes) span.setAttribute(key, specAttributes[key]!);
  span.end();
}

/**
 * One request of the service under test (src/sut/builtin/topology.ts), spans only: frontend SERVER (root)
 * → simulateWork INTERNAL (3 attributes, 2 events) and CLIENT → users SERVER → CLIENT → db SERVER, and
 * CLIENT → auth SERVER. SERVER spans start with 2 attributes, CLIENT spans with 3, and each gets the
 * status code at the end.
 */
export function emitServiceRequest(tracer: Tracer, n: number): void {
  const server = (hop: string, path: string, parent = ROOT_CONTEXT) =>
    tracer.startSpan(`${hop} GET ${path}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': path } }, parent);
  const client = (route: string, port: number, parent: ReturnType<typeof trace.setSpan>) =>
    tracer.startSpan(`GET ${route}`, { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET', 'server.address': '127.0.0.1', 'server.port': port } }, parent);
  const finish = (span: ReturnType<Tracer['startSpan']>) => {
    span.setAttribute('http.response.status_code', 200);
    span.end();
  };
  const frontend = server('frontend', '/hello');
  const fctx = trace.setSpan(ROOT_CONTEXT, frontend);
  const work = tracer.startSpan('simulateWork', { kind: SpanKind.INTERNAL, attributes: { 'work.cpu_us': 20, 'work.sleep_ms': 0, 'user.name': 'tracetax' } }, fctx);
  work.addEvent('work.start');
  work.addEvent('work.done', { 'work.iterations': 9000 + (n % 100) });
  work.end();
  const toUsers = client('/users/:id', 40001, fctx);
  const users = server('users', `/users/${n % 10}`, trace.setSpan(ROOT_CONTEXT, toUsers));
  const toDb = client('/query', 40002, trace.setSpan(ROOT_CONTEXT, users));
  finish(server('db', '/query', trace.setSpan(ROOT_CONTEXT, toDb)));
  finish(toDb);
  finish(users);
  finish(toUsers);
  const toAuth = client('/check', 40003, fctx);
  finish(server('auth', '/check', trace.setSpan(ROOT_CONTEXT, toAuth)));
  finish(toAuth);
  finish(frontend);
}

/** One trace of 4 spans, each with 10 attributes and 2 events, like an HTTP handler's (bench/collector-decode.ts). */
export const SPANS_PER_HANDLER_TRACE = 4;
export function emitHandlerTrace(tracer: Tracer, n: number): void {
  const attributes = {
    'http.request.method': 'GET',
    'url.path': `/api/items/${n % 1000}`,
    'http.response.status_code': 200,
    'server.address': 'localhost',
    'server.port': 3000,
    'user_agent.original': 'autocannon/9.0.0',
    'app.item_id': n % 1000,
    'app.cache_hit': n % 3 === 0,
    'app.ratio': 0.5,
    'network.peer.address': '127.0.0.1',
  };
  const root = tracer.startSpan('GET /api/items/:id', { kind: SpanKind.SERVER, attributes }, ROOT_CONTEXT);
  const ctx = trace.setSpan(ROOT_CONTEXT, root);
  for (let i = 1; i < SPANS_PER_HANDLER_TRACE; i++) {
    const child = tracer.startSpan(`step ${i}`, { attributes }, ctx);
    child.addEvent('cache.lookup', { 'cache.key': `item:${n % 1000}` });
    child.addEvent('db.query', { 'db.rows': 3 });
    child.end();
  }
  root.addEvent('request.received', { 'http.request.body.size': 0 });
  root.addEvent('response.sent', { 'http.response.body.size': 512 });
  root.end();
}

/** Finished spans from `emit`, called until at least `count` spans exist, cut to exactly `count`. */
export function recordSpans(count: number, emit: (tracer: Tracer, n: number) => void): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProviderClass({ resource: benchResource, spanProcessors: [simpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('tracetax-micro');
  for (let n = 0; memory.getFinishedSpans().length < count; n++) emit(tracer, n);
  return memory.getFinishedSpans().slice(0, count);
}
