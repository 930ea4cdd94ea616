// Reader of an ExportTraceServiceRequest in OTLP/JSON (the protobuf JSON mapping with OTLP's two
// exceptions: ids are hex, not base64, and only lowerCamelCase names count). JSON.parse does the parsing;
// this walks resourceSpans[].scopeSpans[].spans[] and hands the same four fields as the protobuf decoder
// to the same visitor, so both encodings are counted alike.
import type { DecodedSpan, SpanVisitor } from './otlp-decode.ts';

// fatal: bytes that are not UTF-8 make a malformed request, not replacement characters.
const utf8 = new TextDecoder('utf-8', { fatal: true });
const TRACE_ID = /^[0-9a-fA-F]{32}$/;
const SPAN_ID = /^[0-9a-fA-F]{16}$/;
const DECIMAL = /^\d+$/;

function fail(what: string): never {
  throw new Error(`malformed OTLP/JSON trace request: ${what}`);
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A repeated field: absent or null is empty, as in the protobuf JSON mapping. */
function list(value: unknown, where: string): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(`${where} is not an array`);
  return value;
}

function message(value: unknown, where: string): JsonObject {
  if (!isObject(value)) fail(`${where} is not an object`);
  return value;
}

/** An id as lowercase hex (the protobuf decoder's form); '' when absent and `optional`. */
function id(value: unknown, pattern: RegExp, where: string, optional: boolean): string {
  if (value === undefined || value === null || value === '') {
    if (optional) return '';
    fail(`${where} has none`);
  }
  if (typeof value !== 'string' || !pattern.test(value)) fail(`${where} is not ${pattern === TRACE_ID ? 32 : 16} hex digits`);
  return value.toLowerCase();
}

/**
 * A fixed64 of nanoseconds in milliseconds. The mapping writes 64-bit integers as decimal strings, and
 * numbers are accepted too; a string is split at the millisecond so no digit is lost to a double.
 */
function nanosToMs(value: unknown, where: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) fail(`${where} is not a non-negative whole number`);
    return value / 1e6;
  }
  if (typeof value !== 'string' || !DECIMAL.test(value)) fail(`${where} is not a non-negative whole number`);
  const split = Math.max(0, value.length - 6);
  return Number(value.slice(0, split) || '0') + Number(value.slice(split)) / 1e6;
}

/**
 * Decodes an OTLP/JSON ExportTraceServiceRequest, calling `visit` once per span in document order with a
 * reused DecodedSpan. Returns the number of spans. Throws an Error saying what is wrong when the body
 * is not UTF-8, not JSON, or not a trace request; spans visited before the error were already visited.
 */
export function decodeExportTraceJson(payload: Uint8Array, visit: SpanVisitor): number {
  let request: unknown;
  try {
    request = JSON.parse(utf8.decode(payload));
  } catch (err) {
    fail((err as Error).message);
  }
  const span: DecodedSpan = { traceId: '', spanId: '', parentSpanId: '', endTimeMs: 0 };
  let count = 0;
  const resourceSpans = list(message(request, 'the request').resourceSpans, 'resourceSpans');
  for (let r = 0; r < resourceSpans.length; r++) {
    const rWhere = `resourceSpans[${r}]`;
    const scopeSpans = list(message(resourceSpans[r], rWhere).scopeSpans, `${rWhere}.scopeSpans`);
    for (let s = 0; s < scopeSpans.length; s++) {
      const sWhere = `${rWhere}.scopeSpans[${s}]`;
      const spans = list(message(scopeSpans[s], sWhere).spans, `${sWhere}.spans`);
      for (let i = 0; i < spans.length; i++) {
        const where = `${sWhere}.spans[${i}]`;
        const raw = message(spans[i], where);
        span.traceId = id(raw.traceId, TRACE_ID, `${where}.traceId`, false);
        span.spanId = id(raw.spanId, SPAN_ID, `${where}.spanId`, false);
        span.parentSpanId = id(raw.parentSpanId, SPAN_ID, `${where}.parentSpanId`, true);
        span.endTimeMs = nanosToMs(raw.endTimeUnixNano, `${where}.endTimeUnixNano`);
        visit(span);
        count++;
      }
    }
  }
  return count;
}
