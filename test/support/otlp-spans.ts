// Spans recorded in memory for the collector tests (decoder and gRPC collector alike).
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** Spans that exercise every wire type the serializer writes: attributes, events, links, status, flags. */
export function recordSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const providers = ['svc-a', 'svc-b'].map(
    (name) =>
      new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': name }),
        spanProcessors: [new SimpleSpanProcessor(memory)],
      }),
  );
  for (const provider of providers) {
    for (const scope of ['scope-1', 'scope-2']) {
      const tracer = provider.getTracer(scope, '1.0.0');
      const root = tracer.startSpan('root', {
        kind: SpanKind.SERVER,
        attributes: { 'http.method': 'GET', 'http.status_code': 200, ratio: 0.25, ok: true, tags: ['a', 'b'] },
      });
      const ctx = trace.setSpan(ROOT_CONTEXT, root);
      const child = tracer.startSpan('child', { links: [{ context: root.spanContext(), attributes: { n: 1 } }] }, ctx);
      child.addEvent('event', { 'event.value': 1.5 });
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
      child.end();
      root.end();
    }
  }
  return memory.getFinishedSpans();
}
