// node --import tsx --test test/unit/collector.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { decodeExportTraceRequest, type DecodedSpan } from '../../src/collector/index.ts';
import { recordSpans } from '../support/otlp-spans.ts';

function hrTimeToMs([seconds, nanos]: [number, number]): number {
  return seconds * 1000 + nanos / 1e6;
}

function decodeAll(payload: Uint8Array): DecodedSpan[] {
  const spans: DecodedSpan[] = [];
  decodeExportTraceRequest(payload, (span) => spans.push({ ...span }));
  return spans;
}

test('decoder reads ids and end times of the exporter serializer output', () => {
  const spans = recordSpans();
  const payload = ProtobufTraceSerializer.serializeRequest(spans)!;
  const decoded = decodeAll(payload);
  assert.equal(decoded.length, spans.length);
  const byId = new Map(decoded.map((d) => [d.spanId, d]));
  for (const span of spans) {
    const d = byId.get(span.spanContext().spanId);
    assert.ok(d, `span ${span.name} decoded`);
    assert.equal(d.traceId, span.spanContext().traceId);
    assert.equal(d.parentSpanId, span.parentSpanContext?.spanId ?? '');
    assert.ok(Math.abs(d.endTimeMs - hrTimeToMs(span.endTime)) < 0.001, `${d.endTimeMs} vs ${span.endTime}`);
  }
});

test('decoder rejects truncated and malformed input', () => {
  const payload = ProtobufTraceSerializer.serializeRequest(recordSpans().slice(0, 1))!;
  // A single top-level field: every proper prefix cuts it.
  for (let cut = 1; cut < payload.length; cut++) {
    assert.throws(() => decodeExportTraceRequest(payload.subarray(0, cut), () => {}), /malformed OTLP/, `cut ${cut}`);
  }
  assert.throws(() => decodeExportTraceRequest(Uint8Array.of(0x13), () => {}), /unsupported wire type 3/);
  assert.throws(() => decodeExportTraceRequest(Uint8Array.of(0x08, 0x01), () => {}), /field 1 has unexpected wire type 0/);
  assert.throws(() => decodeExportTraceRequest(Uint8Array.of(0x00), () => {}), /invalid field number 0/);
  // resource_spans > scope_spans > span holding a 3-byte trace_id.
  const badId = Uint8Array.of(0x0a, 0x09, 0x12, 0x07, 0x12, 0x05, 0x0a, 0x03, 1, 2, 3);
  assert.throws(() => decodeExportTraceRequest(badId, () => {}), /trace_id of 3 bytes/);
  assert.equal(decodeExportTraceRequest(new Uint8Array(0), () => {}), 0);
});
