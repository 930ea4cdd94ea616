// Jaeger query API bodies → traces: the v1 JSON (`{data:[trace…]}`) and API v3 (OTLP/JSON under
// `result`), and the envelopes Jaeger wraps its errors in. Pure: no I/O, tested on real Jaeger bodies
// (test/fixtures/jaeger/).
import { isObject } from '../common/input.ts';

/** One trace as Jaeger returned it. */
export interface FoundTrace {
  /** 32 lowercase hex characters (v1 may send shorter ids without leading zeros: left-padded). */
  traceId: string;
  /** Distinct span ids in the answer: the spans that arrived. */
  spanCount: number;
  /**
   * Span objects in the answer, ≥ spanCount. Larger when Jaeger returns the same span id more than
   * once (a re-sent export batch, or Zipkin-style shared ids): the v1 fixture itself has a duplicate.
   */
  spanRecords: number;
  /** Distinct span ids, 16 lowercase hex characters each, in order of first appearance. */
  spanIds: string[];
  /** Distinct service names of the spans (v1 `processes`, v3 resource `service.name`), sorted. */
  services: string[];
}

/**
 * v1 body `{data:[trace…]}` (GET /api/traces/{id} or /api/traces?service=…) → traces, merged by trace
 * id in order of first appearance; `data: null` (Jaeger's error envelope) → []. Throws a one-line
 * Error on a malformed body. `total`/`limit`/`offset` are ignored: Jaeger leaves them 0.
 */
export function parseV1Traces(body: unknown): FoundTrace[] {
  if (!isObject(body) || !('data' in body)) throw new Error(`not a Jaeger v1 answer: expected {data:[…]}, got ${preview(body)}`);
  const data = body.data;
  if (data === null) return [];
  if (!Array.isArray(data)) throw new Error(`Jaeger v1 answer: data is ${preview(data)}, not an array`);
  const acc = new TraceAccumulator();
  data.forEach((trace, i) => {
    if (!isObject(trace)) throw new Error(`Jaeger v1 answer: data[${i}] is ${preview(trace)}, not a trace object`);
    const spans = trace.spans;
    if (!Array.isArray(spans)) throw new Error(`Jaeger v1 answer: data[${i}].spans is ${preview(spans)}, not an array`);
    const firstSpan = spans.find(isObject);
    const rawTraceId = typeof trace.traceID === 'string' ? trace.traceID : firstSpan?.traceID;
    if (typeof rawTraceId !== 'string') throw new Error(`Jaeger v1 answer: data[${i}] has no traceID`);
    const traceId = normalizeTraceId(rawTraceId, `data[${i}].traceID`);
    const processes = isObject(trace.processes) ? trace.processes : {};
    const entry = acc.trace(traceId);
    spans.forEach((span, j) => {
      const where = `data[${i}].spans[${j}]`;
      if (!isObject(span) || typeof span.spanID !== 'string') throw new Error(`Jaeger v1 answer: ${where} has no spanID`);
      const process = typeof span.processID === 'string' ? processes[span.processID] : span.process;
      const service = isObject(process) && typeof process.serviceName === 'string' ? process.serviceName : undefined;
      entry.add(normalizeSpanId(span.spanID, `${where}.spanID`), service);
    });
  });
  return acc.result();
}

/**
 * v3 body `{result:{resourceSpans:[{resource, scopeSpans:[{spans:[…]}]}]}}` (GET /api/v3/traces/{id}
 * or a v3 search) → traces grouped by traceId, in order of first appearance. Jaeger sends ids as hex
 * (its fixture does); standard protobuf JSON would send base64, so both are read. Services come from
 * the resource attribute service.name. Throws a one-line Error on a malformed body.
 */
export function parseV3Traces(body: unknown): FoundTrace[] {
  if (!isObject(body)) throw new Error(`not a Jaeger v3 answer: expected {result:{resourceSpans:[…]}}, got ${preview(body)}`);
  const envelope = v3ErrorEnvelope(body);
  if (envelope !== undefined) throw new Error(`Jaeger v3 error answer: ${envelope}`);
  const result = body.result;
  if (!isObject(result)) throw new Error(`not a Jaeger v3 answer: expected {result:{resourceSpans:[…]}}, got ${preview(body)}`);
  const resourceSpans = result.resourceSpans ?? [];
  if (!Array.isArray(resourceSpans)) throw new Error(`Jaeger v3 answer: result.resourceSpans is ${preview(resourceSpans)}, not an array`);
  const acc = new TraceAccumulator();
  resourceSpans.forEach((rs, i) => {
    if (!isObject(rs)) throw new Error(`Jaeger v3 answer: resourceSpans[${i}] is ${preview(rs)}`);
    const service = serviceNameOf(rs.resource);
    const scopeSpans = rs.scopeSpans ?? [];
    if (!Array.isArray(scopeSpans)) throw new Error(`Jaeger v3 answer: resourceSpans[${i}].scopeSpans is not an array`);
    scopeSpans.forEach((ss, j) => {
      const spans = isObject(ss) ? (ss.spans ?? []) : undefined;
      if (!Array.isArray(spans)) throw new Error(`Jaeger v3 answer: resourceSpans[${i}].scopeSpans[${j}].spans is not an array`);
      spans.forEach((span, k) => {
        const where = `resourceSpans[${i}].scopeSpans[${j}].spans[${k}]`;
        if (!isObject(span) || typeof span.traceId !== 'string' || typeof span.spanId !== 'string') {
          throw new Error(`Jaeger v3 answer: ${where} lacks traceId or spanId`);
        }
        const traceId = otlpId(span.traceId, 16, `${where}.traceId`);
        acc.trace(traceId).add(otlpId(span.spanId, 8, `${where}.spanId`), service);
      });
    });
  });
  return acc.result();
}

class TraceEntry {
  readonly spanIds = new Set<string>();
  readonly services = new Set<string>();
  records = 0;
  constructor(readonly traceId: string) {}
  add(spanId: string, service: string | undefined): void {
    this.records++;
    this.spanIds.add(spanId);
    if (service) this.services.add(service);
  }
}

class TraceAccumulator {
  private readonly traces = new Map<string, TraceEntry>();
  trace(traceId: string): TraceEntry {
    let entry = this.traces.get(traceId);
    if (!entry) this.traces.set(traceId, (entry = new TraceEntry(traceId)));
    return entry;
  }
  result(): FoundTrace[] {
    return [...this.traces.values()].map((e) => ({
      traceId: e.traceId,
      spanCount: e.spanIds.size,
      spanRecords: e.records,
      spanIds: [...e.spanIds],
      services: [...e.services].sort(),
    }));
  }
}

export function isJaegerEnvelope(json: unknown): boolean {
  if (!isObject(json)) return false;
  return 'data' in json || Array.isArray(json.errors) || v3ErrorEnvelope(json) !== undefined || 'result' in json;
}

/** The message of a v3 error body `{error:{httpCode, message}}`, else undefined. */
export function v3ErrorEnvelope(json: unknown): string | undefined {
  if (!isObject(json) || !isObject(json.error)) return undefined;
  const { httpCode, message } = json.error;
  return `${typeof httpCode === 'number' ? `${httpCode} ` : ''}${typeof message === 'string' ? message : ''}`.trim();
}

export function stringList(body: unknown, field: string, url: string): string[] {
  if (!isObject(body) || !(field in body)) throw new Error(`expected {${field}:[…]} from ${url}, got ${preview(body)}`);
  const list = body[field];
  if (list === null) return [];
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) {
    throw new Error(`expected ${field} to be a list of names, got ${preview(list)}`);
  }
  return list as string[];
}

function serviceNameOf(resource: unknown): string | undefined {
  if (!isObject(resource) || !Array.isArray(resource.attributes)) return undefined;
  for (const attr of resource.attributes) {
    if (isObject(attr) && attr.key === 'service.name' && isObject(attr.value) && typeof attr.value.stringValue === 'string') {
      return attr.value.stringValue;
    }
  }
  return undefined;
}

/** Hex id of `bytes` bytes from OTLP/JSON: exact-length hex, else base64 of that many bytes, else short hex. */
function otlpId(raw: string, bytes: number, where: string): string {
  const hexLength = bytes * 2;
  if (raw.length === hexLength && /^[0-9a-f]+$/i.test(raw)) return raw.toLowerCase();
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)) {
    const decoded = Buffer.from(raw, raw.includes('-') || raw.includes('_') ? 'base64url' : 'base64');
    if (decoded.length === bytes && raw.replace(/=+$/, '').length === Math.ceil((bytes * 4) / 3)) {
      return decoded.toString('hex');
    }
  }
  if (raw.length > 0 && raw.length < hexLength && /^[0-9a-f]+$/i.test(raw)) return raw.toLowerCase().padStart(hexLength, '0');
  throw new Error(`${where} ${JSON.stringify(raw)} is neither ${hexLength} hex characters nor base64 of ${bytes} bytes`);
}

/** Lowercase, left-padded to 32; throws on anything but 1–32 hex characters. */
export function normalizeTraceId(raw: string, where = 'trace id'): string {
  if (!/^[0-9a-f]{1,32}$/i.test(raw)) throw new Error(`${where} ${JSON.stringify(raw)} is not 1–32 hex characters`);
  return raw.toLowerCase().padStart(32, '0');
}

function normalizeSpanId(raw: string, where: string): string {
  if (!/^[0-9a-f]{1,16}$/i.test(raw)) throw new Error(`${where} ${JSON.stringify(raw)} is not 1–16 hex characters`);
  return raw.toLowerCase().padStart(16, '0');
}

export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function errorMessage(err: unknown): string {
  return oneLine(err instanceof Error ? err.message : String(err));
}

export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

export function snippet(text: string, max = 160): string {
  const line = oneLine(text);
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

export function preview(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return snippet(text, 80);
}
