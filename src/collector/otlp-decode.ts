// Hand-written protobuf decoder for opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.
// It sits on the measured path of the embedded collector, so it reads only the four span fields the
// harness needs and skips everything else (resources, scopes, attributes, events, links) by length,
// allocating nothing but the id strings. Positions are threaded through plain functions, which
// measured faster than a reader object.

/** One span as seen by a visitor. The object is reused for every span: copy the fields you keep. */
export interface DecodedSpan {
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  /** 16 lowercase hex characters, or '' for a root span. */
  parentSpanId: string;
  /** end_time_unix_nano in milliseconds since the epoch (sub-µs precision is lost). */
  endTimeMs: number;
}

export type SpanVisitor = (span: DecodedSpan) => void;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

// Tags (field << 3 | wire type) of the fields that are read; all others are skipped.
const TAG_RESOURCE_SPANS = (1 << 3) | WIRE_LEN; // ExportTraceServiceRequest.resource_spans
const TAG_SCOPE_SPANS = (2 << 3) | WIRE_LEN; // ResourceSpans.scope_spans
const TAG_SPANS = (2 << 3) | WIRE_LEN; // ScopeSpans.spans
const TAG_TRACE_ID = (1 << 3) | WIRE_LEN;
const TAG_SPAN_ID = (2 << 3) | WIRE_LEN;
const TAG_PARENT_SPAN_ID = (4 << 3) | WIRE_LEN;
const TAG_END_TIME = (8 << 3) | WIRE_FIXED64;

// Field numbers read per message, as bit masks: such a field with another wire type is corrupt.
const REQUEST_FIELDS = 1 << 1;
const RESOURCE_SPANS_FIELDS = 1 << 2;
const SCOPE_SPANS_FIELDS = 1 << 2;
const SPAN_FIELDS = (1 << 1) | (1 << 2) | (1 << 4) | (1 << 8);

/** Value of the varint consumed by the last readVarint32(); lets it return the new position. */
let varint = 0;

function fail(what: string, pos: number): never {
  throw new Error(`malformed OTLP trace request: ${what} at byte ${pos}`);
}

/** Reads a varint that must fit in 32 bits unsigned (tags, lengths) into `varint`. */
function readVarint32(buf: Uint8Array, pos: number, end: number): number {
  if (pos < end && buf[pos]! < 0x80) {
    varint = buf[pos]!;
    return pos + 1;
  }
  let value = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    if (pos >= end) fail('truncated varint', pos);
    const b = buf[pos++]!;
    value |= (b & 0x7f) << shift;
    if (b < 0x80) {
      varint = value >>> 0;
      return pos;
    }
  }
  if (pos >= end) fail('truncated varint', pos);
  const b = buf[pos]!;
  if (b > 0x0f) fail('varint longer than 32 bits', pos);
  varint = (value >>> 0) + b * 0x10000000;
  return pos + 1;
}

/** Reads a tag into `varint`; field number 0 is reserved by protobuf. */
function readTag(buf: Uint8Array, pos: number, end: number): number {
  const next = readVarint32(buf, pos, end);
  if (varint < 8) fail(`invalid field number 0 (tag ${varint})`, pos);
  return next;
}

/** Reads a length prefix; returns the payload's start and leaves its end in `varint`. */
function readLength(buf: Uint8Array, pos: number, end: number): number {
  const start = readVarint32(buf, pos, end);
  const payloadEnd = start + varint;
  if (payloadEnd > end) fail(`length ${varint} runs past its message`, start);
  varint = payloadEnd;
  return start;
}

function skipField(buf: Uint8Array, pos: number, end: number, tag: number, knownFields: number): number {
  const field = tag >>> 3;
  if (field < 32 && (knownFields >>> field) & 1) fail(`field ${field} has unexpected wire type ${tag & 7}`, pos);
  switch (tag & 7) {
    case WIRE_VARINT: {
      const limit = Math.min(end, pos + 10);
      while (pos < limit) if (buf[pos++]! < 0x80) return pos;
      return fail(pos >= end ? 'truncated varint' : 'varint longer than 10 bytes', pos);
    }
    case WIRE_FIXED64:
      if (pos + 8 > end) fail('truncated 64-bit field', pos);
      return pos + 8;
    case WIRE_LEN:
      readLength(buf, pos, end);
      return varint;
    case WIRE_FIXED32:
      if (pos + 4 > end) fail('truncated 32-bit field', pos);
      return pos + 4;
    default:
      return fail(`unsupported wire type ${tag & 7}`, pos);
  }
}

const HEX_DIGIT = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
// Char-code scratch per id size, so neither array ever changes length.
const traceIdCodes = new Array<number>(32).fill(0);
const spanIdCodes = new Array<number>(16).fill(0);

/** Lowercase hex of buf[pos, pos + bytes) for bytes 16 or 8, built flat in one call (ids get hashed). */
function hex(buf: Uint8Array, pos: number, bytes: 16 | 8): string {
  const codes = bytes === 16 ? traceIdCodes : spanIdCodes;
  for (let i = 0; i < bytes; i++) {
    const b = buf[pos + i]!;
    codes[2 * i] = HEX_DIGIT[b >>> 4]!;
    codes[2 * i + 1] = HEX_DIGIT[b & 15]!;
  }
  return String.fromCharCode.apply(null, codes);
}

/** Reads an id of exactly `bytes` bytes (or none, when `optional`) as hex. Leaves its end in `varint`. */
function readId(buf: Uint8Array, pos: number, end: number, bytes: 16 | 8, name: string, optional: boolean): string {
  const start = readLength(buf, pos, end);
  const length = varint - start;
  if (length === bytes) return hex(buf, start, bytes);
  if (length === 0 && optional) return '';
  return fail(`${name} of ${length} bytes`, start);
}

function readSpan(buf: Uint8Array, pos: number, end: number, span: DecodedSpan, visit: SpanVisitor): void {
  const start = pos;
  span.traceId = '';
  span.spanId = '';
  span.parentSpanId = '';
  span.endTimeMs = 0;
  while (pos < end) {
    pos = readTag(buf, pos, end);
    const tag = varint;
    switch (tag) {
      case TAG_TRACE_ID:
        span.traceId = readId(buf, pos, end, 16, 'trace_id', false);
        pos = varint;
        break;
      case TAG_SPAN_ID:
        span.spanId = readId(buf, pos, end, 8, 'span_id', false);
        pos = varint;
        break;
      case TAG_PARENT_SPAN_ID:
        span.parentSpanId = readId(buf, pos, end, 8, 'parent_span_id', true);
        pos = varint;
        break;
      case TAG_END_TIME: {
        if (pos + 8 > end) fail('truncated end_time_unix_nano', pos);
        const lo = (buf[pos]! | (buf[pos + 1]! << 8) | (buf[pos + 2]! << 16) | (buf[pos + 3]! << 24)) >>> 0;
        const hi = (buf[pos + 4]! | (buf[pos + 5]! << 8) | (buf[pos + 6]! << 16) | (buf[pos + 7]! << 24)) >>> 0;
        // ns = hi * 2^32 + lo, scaled per half: exact to well under a µs, no BigInt.
        span.endTimeMs = hi * 4294.967296 + lo / 1e6;
        pos += 8;
        break;
      }
      default:
        pos = skipField(buf, pos, end, tag, SPAN_FIELDS);
    }
  }
  if (span.traceId === '') fail('span without trace_id', start);
  if (span.spanId === '') fail('span without span_id', start);
  visit(span);
}

function readScopeSpans(buf: Uint8Array, pos: number, end: number, span: DecodedSpan, visit: SpanVisitor): number {
  let count = 0;
  while (pos < end) {
    pos = readTag(buf, pos, end);
    if (varint === TAG_SPANS) {
      const spanStart = readLength(buf, pos, end);
      pos = varint;
      readSpan(buf, spanStart, pos, span, visit);
      count++;
    } else {
      pos = skipField(buf, pos, end, varint, SCOPE_SPANS_FIELDS);
    }
  }
  return count;
}

function readResourceSpans(buf: Uint8Array, pos: number, end: number, span: DecodedSpan, visit: SpanVisitor): number {
  let count = 0;
  while (pos < end) {
    pos = readTag(buf, pos, end);
    if (varint === TAG_SCOPE_SPANS) {
      const scopeStart = readLength(buf, pos, end);
      pos = varint;
      count += readScopeSpans(buf, scopeStart, pos, span, visit);
    } else {
      pos = skipField(buf, pos, end, varint, RESOURCE_SPANS_FIELDS);
    }
  }
  return count;
}

/**
 * Decodes an ExportTraceServiceRequest, calling `visit` once per span in wire order with a reused
 * DecodedSpan. Returns the number of spans. Throws an Error naming the byte offset on truncated or
 * malformed input; spans visited before the error have already been passed to `visit`.
 */
export function decodeExportTraceRequest(payload: Uint8Array, visit: SpanVisitor): number {
  const span: DecodedSpan = { traceId: '', spanId: '', parentSpanId: '', endTimeMs: 0 };
  const end = payload.length;
  let pos = 0;
  let count = 0;
  while (pos < end) {
    pos = readTag(payload, pos, end);
    if (varint === TAG_RESOURCE_SPANS) {
      const resourceStart = readLength(payload, pos, end);
      pos = varint;
      count += readResourceSpans(payload, resourceStart, pos, span, visit);
    } else {
      pos = skipField(payload, pos, end, varint, REQUEST_FIELDS);
    }
  }
  return count;
}
