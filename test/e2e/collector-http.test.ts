// node --import tsx --test test/e2e/collector-http.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { gzipSync } from 'node:zlib';
import { ROOT_CONTEXT, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { decodeExportTraceRequest, EmbeddedCollector, PortInUseError, type DecodedSpan } from '../../src/collector/index.ts';
import { decodeExportTraceJson } from '../../src/collector/otlp-json-decode.ts';
import type { CollectorSnapshot } from '../../src/model/index.ts';
import { recordSpans } from '../support/otlp-spans.ts';

const encodings = {
  'http/protobuf': { contentType: 'application/x-protobuf', serializer: ProtobufTraceSerializer, Exporter: ProtobufExporter },
  'http/json': { contentType: 'application/json', serializer: JsonTraceSerializer, Exporter: JsonExporter },
} as const;

/** Passes every export on, and keeps what the collector should have received: spans, calls, payload bytes. */
class RecordingExporter implements SpanExporter {
  readonly sent: ReadableSpan[] = [];
  calls = 0;
  bytes = 0;
  failures = 0;

  constructor(
    private readonly inner: SpanExporter,
    private readonly serialize: (spans: ReadableSpan[]) => Uint8Array | undefined,
  ) {}

  private readonly pending = new Set<Promise<void>>();

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    let finished!: () => void;
    const exported = new Promise<void>((resolve) => (finished = resolve));
    this.pending.add(exported);
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        this.calls++;
        // The exporter serializes the same spans the same way: this is its request body before any gzip.
        this.bytes += this.serialize(spans)!.length;
        this.sent.push(...spans);
      } else this.failures++;
      this.pending.delete(exported);
      finished();
      done(result);
    });
  }

  /**
   * Resolves when no export is in flight. The batch processor's forceFlush exports what is queued, but
   * does not wait for an export a full batch started just before it.
   */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** What a collector should count for these spans, computed apart from the collector's own bookkeeping. */
function expectedCounts(spans: readonly ReadableSpan[]) {
  const traces = new Map<string, { ids: Set<string>; parents: string[]; roots: number }>();
  for (const span of spans) {
    const { traceId, spanId } = span.spanContext();
    const t = traces.get(traceId) ?? { ids: new Set(), parents: [], roots: 0 };
    traces.set(traceId, t);
    t.ids.add(spanId);
    const parent = span.parentSpanContext?.spanId;
    if (parent === undefined) t.roots++;
    else t.parents.push(parent);
  }
  const all = [...traces.values()];
  return {
    spans: spans.length,
    traces: traces.size,
    completeTraces: all.filter((t) => t.roots === 1 && t.parents.every((p) => t.ids.has(p))).length,
    rootSpans: all.reduce((n, t) => n + t.roots, 0),
  };
}

/** `traces` complete traces of root → 2 children → a grandchild each (5 spans), plus one whose root never ends. */
function emitTraces(tracer: Tracer, traces: number): void {
  for (let t = 0; t < traces; t++) {
    const root = tracer.startSpan(`root-${t}`, { kind: SpanKind.SERVER, attributes: { 'http.route': '/checkout', n: t } });
    const rootCtx = trace.setSpan(ROOT_CONTEXT, root);
    for (let c = 0; c < 2; c++) {
      const child = tracer.startSpan(`child-${t}-${c}`, { kind: SpanKind.CLIENT }, rootCtx);
      tracer.startSpan(`grandchild-${t}-${c}`, {}, trace.setSpan(rootCtx, child)).end();
      child.end();
    }
    root.end();
  }
  const orphanRoot = tracer.startSpan('never-ended');
  const ctx = trace.setSpan(ROOT_CONTEXT, orphanRoot);
  for (let c = 0; c < 2; c++) tracer.startSpan(`orphan-child-${c}`, {}, ctx).end();
}

/** Headers of every request an HTTP server in this process receives while `fn` runs. */
async function watchRequests<T>(fn: () => Promise<T>): Promise<{ result: T; requests: IncomingMessage['headers'][] }> {
  const requests: IncomingMessage['headers'][] = [];
  const onStart = (message: unknown) => requests.push((message as { request: IncomingMessage }).request.headers);
  diagnostics.subscribe('http.server.request.start', onStart);
  try {
    return { result: await fn(), requests };
  } finally {
    diagnostics.unsubscribe('http.server.request.start', onStart);
  }
}

function withoutLag(snap: CollectorSnapshot) {
  return { ...snap, exportLagMs: undefined, exportLagHistogram: undefined };
}

const TRACES = 6;

for (const protocol of ['http/protobuf', 'http/json'] as const) {
  for (const gzip of [false, true]) {
    test(`collector counts exactly what the real ${protocol} exporter sent${gzip ? ', gzip' : ''}`, async () => {
      const { contentType, serializer, Exporter } = encodings[protocol];
      const collector = await EmbeddedCollector.start();
      // The exporter reads its compression from the environment when it is built, as in a service.
      const saved = process.env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION;
      process.env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION = gzip ? 'gzip' : 'none';
      let exporter: RecordingExporter;
      try {
        exporter = new RecordingExporter(new Exporter({ url: `${collector.httpEndpoint}/v1/traces` }), (s) => serializer.serializeRequest(s));
      } finally {
        if (saved === undefined) delete process.env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION;
        else process.env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION = saved;
      }
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'collector-http-test' }),
        // Small batches: several requests, and traces split across them.
        spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 7, maxQueueSize: 1000 })],
      });
      try {
        assert.match(collector.httpEndpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
        assert.notEqual(collector.httpEndpoint, collector.endpoint);
        const { requests } = await watchRequests(async () => {
          emitTraces(provider.getTracer('t'), TRACES);
          await provider.forceFlush();
          await exporter.idle();
        });

        assert.equal(exporter.failures, 0);
        const expected = expectedCounts(exporter.sent);
        // What was emitted is what was sent: every ended span, 5 per trace, and the orphan's 2 children.
        assert.deepEqual(expected, { spans: TRACES * 5 + 2, traces: TRACES + 1, completeTraces: TRACES, rootSpans: TRACES });
        const snap = collector.snapshot();
        assert.deepEqual(withoutLag(snap), {
          ...withoutLag(snap),
          ...expected,
          requests: exporter.calls,
          bytes: exporter.bytes,
          decodeErrors: 0,
        });
        assert.ok(snap.requests >= Math.ceil(expected.spans / 7));
        assert.ok(snap.bytes > 0);
        assert.ok(snap.exportLagMs.p50 >= 0);
        assert.ok(snap.exportLagMs.p99 >= snap.exportLagMs.p50);
        assert.ok(snap.exportLagHistogram.length > 0);

        assert.equal(requests.length, exporter.calls);
        for (const headers of requests) {
          assert.equal(headers['content-type'], contentType);
          assert.equal(headers['content-encoding'], gzip ? 'gzip' : undefined);
        }
      } finally {
        await provider.shutdown();
        await collector.stop();
      }
    });
  }
}

test('gRPC and HTTP requests land in the same tally', async () => {
  const collector = await EmbeddedCollector.start();
  const spans = recordSpans();
  const grpc = new GrpcExporter({ url: collector.endpoint });
  const http = new ProtobufExporter({ url: `${collector.httpEndpoint}/v1/traces` });
  try {
    for (const exporter of [grpc, http]) {
      const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
      assert.equal(result.code, ExportResultCode.SUCCESS);
    }
    const snap = collector.snapshot();
    assert.equal(snap.requests, 2);
    assert.equal(snap.spans, 2 * spans.length);
    assert.equal(snap.bytes, 2 * ProtobufTraceSerializer.serializeRequest(spans)!.length);
    // The same spans twice: ids repeat, so the traces are the same ones.
    assert.equal(snap.traces, expectedCounts(spans).traces);
  } finally {
    await Promise.all([grpc.shutdown(), http.shutdown()]);
    await collector.stop();
  }
});

function post(collector: EmbeddedCollector, body: Uint8Array | string, headers: Record<string, string>, path = '/v1/traces') {
  // A copy, so the body's buffer is a plain ArrayBuffer as fetch's types want.
  return fetch(`${collector.httpEndpoint}${path}`, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers });
}

test('a body that is not OTLP JSON is a decode error, answered 400, and counts nothing else', async () => {
  const collector = await EmbeddedCollector.start();
  const span = (traceId: string, spanId: string) => ({ traceId, spanId, endTimeUnixNano: '1700000000000000000' });
  try {
    const bodies = [
      '{"resourceSpans": [',
      '"resourceSpans"',
      '{"resourceSpans": {}}',
      // A good span before a bad one: the whole request is rejected.
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331'), span('0af7651916cd43dd8448eb211c80319c', 'not-hex')] }] }] }),
      // Ids are hex in OTLP/JSON, never base64.
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span('CvdlGRbNQ92ESOshHIAxnA==', 't61rcWkgMzE=')] }] }] }),
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ ...span('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331'), endTimeUnixNano: '-1' }] }] }] }),
    ];
    for (const [i, body] of bodies.entries()) {
      const res = await post(collector, body, { 'Content-Type': 'application/json' });
      assert.equal(res.status, 400, body);
      assert.equal(res.headers.get('content-type'), 'application/json');
      const status = (await res.json()) as { code: number; message: string };
      assert.equal(status.code, 3);
      assert.match(status.message, /^malformed OTLP\/JSON trace request: /);
      assert.deepEqual(withoutLag(collector.snapshot()), {
        ...withoutLag(collector.snapshot()),
        decodeErrors: i + 1,
        requests: 0,
        spans: 0,
        bytes: 0,
        traces: 0,
      });
    }
  } finally {
    await collector.stop();
  }
});

test('a malformed protobuf body is a decode error, answered 400 with a Status', async () => {
  const collector = await EmbeddedCollector.start();
  try {
    const valid = ProtobufTraceSerializer.serializeRequest(recordSpans())!;
    // Valid spans followed by a truncated resource_spans.
    const res = await post(collector, Buffer.concat([valid, Uint8Array.of(0x0a, 0x05, 0x01)]), { 'Content-Type': 'application/x-protobuf' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), 'application/x-protobuf');
    const status = Buffer.from(await res.arrayBuffer());
    // google.rpc.Status: code (field 1) = 3, then message (field 2).
    assert.deepEqual([...status.subarray(0, 3)], [0x08, 3, 0x12]);
    assert.match(status.toString('latin1'), /malformed OTLP trace request/);
    const snap = collector.snapshot();
    assert.equal(snap.decodeErrors, 1);
    assert.equal(snap.requests, 0);
    assert.equal(snap.spans, 0);
    assert.equal(snap.bytes, 0);
  } finally {
    await collector.stop();
  }
});

test('OTLP/JSON as the mapping allows: numbers or strings for 64-bit ints, any hex case, a charset, gzip', async () => {
  const collector = await EmbeddedCollector.start();
  try {
    const request = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'hand-written' } }] },
          scopeSpans: [
            {
              scope: { name: 's' },
              spans: [
                { traceId: '5B8EFFF798038103D269B633813FC60C', spanId: 'EEE19B7EC3C1B174', name: 'root', endTimeUnixNano: '1700000000123456789', unknownField: 1 },
                { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b175', parentSpanId: 'EEE19B7EC3C1B174', endTimeUnixNano: 1700000000123456 },
                { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b176', parentSpanId: '' },
              ],
            },
            { scope: { name: 'empty' } },
          ],
        },
        { scopeSpans: null },
      ],
    };
    const body = JSON.stringify(request);
    const res = await post(collector, body, { 'Content-Type': 'application/json; charset=utf-8' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(await res.json(), {});
    let snap = collector.snapshot();
    // Upper- and lowercase ids are the same trace and parent; parentSpanId '' is a second root.
    assert.deepEqual(
      { requests: snap.requests, spans: snap.spans, traces: snap.traces, completeTraces: snap.completeTraces, rootSpans: snap.rootSpans, bytes: snap.bytes },
      { requests: 1, spans: 3, traces: 1, completeTraces: 0, rootSpans: 2, bytes: Buffer.byteLength(body) },
    );

    // bytes are the payload after decompression, as for gRPC.
    collector.reset();
    const gz = await post(collector, gzipSync(body), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    assert.equal(gz.status, 200);
    snap = collector.snapshot();
    assert.equal(snap.spans, 3);
    assert.equal(snap.bytes, Buffer.byteLength(body));

    const bad = await post(collector, Buffer.from('not gzip at all'), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /gzip body does not decompress/);
    assert.equal(collector.snapshot().decodeErrors, 1);

    const empty = await post(collector, '{}', { 'Content-Type': 'application/json' });
    assert.equal(empty.status, 200);
    assert.equal(collector.snapshot().requests, 2);
  } finally {
    await collector.stop();
  }
});

test('other methods get 405, other paths 404, other media types 415; only the last is a decode error', async () => {
  const collector = await EmbeddedCollector.start();
  try {
    const get = await fetch(`${collector.httpEndpoint}/v1/traces`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    await get.arrayBuffer();
    for (const path of ['/v1/metrics', '/', '/v1/traces/extra']) {
      const res = await post(collector, '{}', { 'Content-Type': 'application/json' }, path);
      assert.equal(res.status, 404, path);
      await res.arrayBuffer();
    }
    assert.equal(collector.snapshot().decodeErrors, 0);
    const text = await post(collector, '{}', { 'Content-Type': 'text/plain' });
    assert.equal(text.status, 415);
    assert.match(((await text.json()) as { message: string }).message, /use application\/x-protobuf or application\/json/);
    assert.equal(collector.snapshot().decodeErrors, 1);
    assert.equal(collector.snapshot().requests, 0);
  } finally {
    await collector.stop();
  }
});

test('stop closes the HTTP receiver too, even with a kept-alive connection', async () => {
  const collector = await EmbeddedCollector.start();
  const exporter = new JsonExporter({ url: `${collector.httpEndpoint}/v1/traces` });
  const result = await new Promise<ExportResult>((resolve) => exporter.export(recordSpans(), resolve));
  assert.equal(result.code, ExportResultCode.SUCCESS);
  await collector.stop();
  await assert.rejects(post(collector, '{}', { 'Content-Type': 'application/json' }));
  await exporter.shutdown();
});

test('the JSON reader sees the same spans as the protobuf decoder', () => {
  const spans = recordSpans();
  const read = (decode: typeof decodeExportTraceJson, payload: Uint8Array) => {
    const out: DecodedSpan[] = [];
    assert.equal(decode(payload, (s) => out.push({ ...s })), spans.length);
    return out;
  };
  const fromJson = read(decodeExportTraceJson, JsonTraceSerializer.serializeRequest(spans)!);
  const fromProtobuf = read(decodeExportTraceRequest, ProtobufTraceSerializer.serializeRequest(spans)!);
  assert.deepEqual(
    fromJson.map(({ endTimeMs, ...ids }) => ids),
    fromProtobuf.map(({ endTimeMs, ...ids }) => ids),
  );
  // Both keep the end time to well under a µs; the JSON string is split so no digit is lost to a double.
  for (let i = 0; i < spans.length; i++) assert.ok(Math.abs(fromJson[i]!.endTimeMs - fromProtobuf[i]!.endTimeMs) < 1e-3);
});

test('a taken HTTP port rejects with PortInUseError', async () => {
  const first = await EmbeddedCollector.start();
  try {
    await assert.rejects(EmbeddedCollector.start({ httpPort: first.httpPort }), (err: unknown) => {
      assert.ok(err instanceof PortInUseError);
      assert.equal(err.message, `port ${first.httpPort} on 127.0.0.1 is already in use: stop what holds it or choose another port`);
      return true;
    });
  } finally {
    await first.stop();
  }
});
