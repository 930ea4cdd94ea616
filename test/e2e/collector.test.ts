// node --import tsx --test test/e2e/collector.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { ROOT_CONTEXT, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { EmbeddedCollector, PortInUseError } from '../../src/collector/index.ts';
import { recordSpans } from '../support/otlp-spans.ts';

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** `traces` complete traces of a root and 2 children, plus one whose root never ends. */
function emitTraces(tracer: Tracer, traces: number): void {
  for (let t = 0; t < traces; t++) {
    const root = tracer.startSpan(`root-${t}`, { kind: SpanKind.SERVER });
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    for (let c = 0; c < 2; c++) tracer.startSpan(`child-${t}-${c}`, {}, ctx).end();
    root.end();
  }
  const orphanRoot = tracer.startSpan('never-ended');
  const ctx = trace.setSpan(ROOT_CONTEXT, orphanRoot);
  for (let c = 0; c < 2; c++) tracer.startSpan(`orphan-child-${c}`, {}, ctx).end();
}

function sendRaw(endpoint: string, payload: Buffer): Promise<grpc.ServiceError | null> {
  const client = new grpc.Client(endpoint.replace('http://', ''), grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      EXPORT_PATH,
      (b: Buffer) => b,
      (b: Buffer) => b,
      payload,
      (err) => {
        client.close();
        resolve(err);
      },
    );
  });
}

test('collector counts spans, traces and complete traces sent by the real OTLP exporter', async () => {
  const collector = await EmbeddedCollector.start();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'collector-test' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: collector.endpoint }))],
  });
  try {
    assert.match(collector.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    emitTraces(provider.getTracer('t'), 3);
    await provider.forceFlush();
    const snap = collector.snapshot();
    assert.equal(snap.spans, 3 * 3 + 2);
    assert.equal(snap.traces, 4);
    assert.equal(snap.completeTraces, 3);
    assert.equal(snap.rootSpans, 3);
    assert.equal(snap.decodeErrors, 0);
    assert.ok(snap.requests >= 1);
    assert.ok(snap.bytes > 0);
    assert.ok(snap.exportLagMs.p50 >= 0);
    assert.ok(snap.exportLagMs.p99 >= snap.exportLagMs.p50);
    assert.ok(snap.exportLagHistogram.length > 0);

    collector.reset();
    const zero = collector.snapshot();
    assert.deepEqual(
      { ...zero, exportLagMs: undefined, exportLagHistogram: undefined },
      {
        requests: 0,
        spans: 0,
        bytes: 0,
        traces: 0,
        completeTraces: 0,
        rootSpans: 0,
        decodeErrors: 0,
        exportLagMs: undefined,
        exportLagHistogram: undefined,
      },
    );
    assert.ok(Number.isNaN(zero.exportLagMs.p50) && Number.isNaN(zero.exportLagMs.p99));
  } finally {
    await provider.shutdown();
    await collector.stop();
  }
});

test('collector answers INVALID_ARGUMENT to a malformed request and counts nothing from it', async () => {
  const collector = await EmbeddedCollector.start();
  try {
    const valid = ProtobufTraceSerializer.serializeRequest(recordSpans())!;
    // Valid spans followed by a truncated resource_spans: the whole request must be rejected.
    const payload = Buffer.concat([valid, Uint8Array.of(0x0a, 0x05, 0x01)]);
    const err = await sendRaw(collector.endpoint, payload);
    assert.equal(err?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(err.details, /malformed OTLP trace request/);
    const snap = collector.snapshot();
    assert.equal(snap.decodeErrors, 1);
    assert.equal(snap.requests, 0);
    assert.equal(snap.spans, 0);
    assert.equal(snap.traces, 0);

    assert.equal(await sendRaw(collector.endpoint, Buffer.from(valid)), null);
    assert.equal(collector.snapshot().spans, 8);
  } finally {
    await collector.stop();
  }
});

test('starting on a taken port rejects with PortInUseError', async () => {
  const first = await EmbeddedCollector.start();
  try {
    await assert.rejects(EmbeddedCollector.start({ port: first.port }), (err: unknown) => {
      assert.ok(err instanceof PortInUseError);
      assert.equal(err.message, `port ${first.port} on 127.0.0.1 is already in use: stop what holds it or choose another port`);
      return true;
    });
  } finally {
    await first.stop();
  }
});
