// Client for Jaeger's query API (port 16686): after a load run, asks Jaeger which traces arrived and
// how many spans each has. Speaks the v1 JSON API (`/api/traces…`, what the Jaeger UI uses) and falls
// back to API v3 (`/api/v3/traces…`, OTLP/JSON under `result`) where a Jaeger release dropped a v1 route.
// Shapes and status codes follow real Jaeger answers: see test/fixtures/jaeger/README.md.
//
// How a "route is missing" is told apart from "trace not found" (both can be HTTP 404):
// - Jaeger's own handlers always answer with a JSON envelope, also for errors: v1 `{data, total,
//   limit, offset, errors:[{code, msg}]}`, v3 `{error:{httpCode, message}}` (sent as text/plain by Go's
//   http.Error, so the content type proves nothing: the body decides).
// - A route that does not exist answers with something else: Go's mux says `404 page not found`
//   (plain text), older Jaeger UIs serve index.html with **200** text/html for any unknown path, and a
//   route may say 405, 410 or 501.
// So: 404 with a Jaeger JSON envelope = not found; 404 without one, 405, 410, 501, or a 2xx answer that
// is an HTML page = route missing, try the other API. For a search, any 404 from v1 means the route is
// missing (v1 search answers 200 with an empty list when nothing matches), while v3 search answers
// 404 `{"error":{"httpCode":404,"message":"No traces found"}}` when nothing matches: an empty result.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { mulberry32 } from '../compare/stats.ts';

/** Options of a JaegerQueryClient. */
export interface JaegerQueryOptions {
  /** Jaeger query base URL, e.g. http://127.0.0.1:16686 (a base path such as /jaeger is kept). */
  baseUrl: string;
  /** Per request, including reading the body; default 5000. */
  timeoutMs?: number;
  /** Extra attempts after a network error, a timeout or a 5xx other than 501/505; default 2. */
  retries?: number;
  /** First backoff before a retry, doubled each time; default 100. */
  retryDelayMs?: number;
}

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

/** Result of one trace lookup; `error` carries a one-line message naming the URL. */
export type TraceLookup =
  | { state: 'found'; trace: FoundTrace; api: 'v1' | 'v3' }
  | { state: 'not-found'; api: 'v1' | 'v3' }
  | { state: 'error'; message: string };

/** Result of a search: `atLimit` says the answer holds `limit` traces, so more may exist. */
export interface SearchResult {
  traces: FoundTrace[];
  api: 'v1' | 'v3';
  atLimit: boolean;
}

/** Options of waitUntilSettled; all durations in milliseconds. */
export interface WaitOptions {
  /** Search depth of each poll (see searchTraces). */
  limit: number;
  /** Settled once neither the trace count nor the total span count has changed for this long. */
  stableForMs: number;
  /** Budget from the call: give up (settled false) once this much time has passed. */
  deadlineMs: number;
  /** Pause between polls; default stableForMs / 5, clamped to 50…1000. */
  pollMs?: number;
  /** A count that stays 0 counts as settled; default false (nothing arrived yet is not settled). */
  settleOnZero?: boolean;
  /** Called after every poll with the trace count (the last known one if the poll failed). */
  onProgress?: (count: number, elapsedMs: number) => void;
}

/** Result of waitUntilSettled; `lastError` is the message of the latest failed poll, if any. */
export interface WaitResult {
  traces: FoundTrace[];
  settled: boolean;
  polls: number;
  api?: 'v1' | 'v3';
  lastError?: string;
}

/** A failed query: one-line message saying what failed and at which URL; `status` when HTTP answered. */
export class JaegerQueryError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(oneLine(message));
    this.name = 'JaegerQueryError';
  }
}

interface HttpAnswer {
  url: string;
  status: number;
  contentType: string;
  text: string;
}

const RETRYABLE_EXCLUDED = new Set([501, 505]);
const ROUTE_MISSING_STATUS = new Set([405, 410, 501]);

/** Queries one Jaeger; remembers which API (v1 or v3) answered each kind of request. */
export class JaegerQueryClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private traceApi: 'v1' | 'v3' | undefined;
  private searchApi: 'v1' | 'v3' | undefined;

  constructor(options: JaegerQueryOptions) {
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw new Error(`Jaeger query baseUrl ${JSON.stringify(options.baseUrl)} is not a URL`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new Error(`Jaeger query baseUrl ${options.baseUrl} must be http:// or https://`);
    }
    this.baseUrl = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
    this.timeoutMs = positiveOr(options.timeoutMs, 5000, 'timeoutMs');
    this.retries = nonNegativeIntOr(options.retries, 2, 'retries');
    this.retryDelayMs = nonNegativeIntOr(options.retryDelayMs, 100, 'retryDelayMs');
  }

  /**
   * GET /api/traces/{id}, or /api/v3/traces/{id} when the v1 route is missing (rule at the top of
   * this file). Never throws: failures are `{state:'error'}`. A partial trace is found with fewer spans.
   */
  async getTrace(traceId: string): Promise<TraceLookup> {
    let id: string;
    try {
      id = normalizeTraceId(traceId);
    } catch (err) {
      return { state: 'error', message: errorMessage(err) };
    }
    try {
      if (this.traceApi !== 'v3') {
        const answer = await this.get(`/api/traces/${id}`);
        if (!routeMissing(answer)) {
          this.traceApi = 'v1';
          return lookupFrom(answer, id, 'v1');
        }
        const v3 = await this.get(`/api/v3/traces/${id}`);
        if (routeMissing(v3)) {
          throw new JaegerQueryError(
            `no trace route: GET ${answer.url} answered ${describe(answer)} and GET ${v3.url} answered ${describe(v3)}`,
            v3.url,
            v3.status,
          );
        }
        this.traceApi = 'v3';
        return lookupFrom(v3, id, 'v3');
      }
      const answer = await this.get(`/api/v3/traces/${id}`);
      if (routeMissing(answer)) throw httpError('no v3 trace route', answer);
      return lookupFrom(answer, id, 'v3');
    } catch (err) {
      return { state: 'error', message: errorMessage(err) };
    }
  }

  /**
   * Distinct traces with a span of `service` that started in [startMs, endMs] (epoch ms), at most
   * `limit` (Jaeger's search depth). v1 GET /api/traces?service&start&end&limit (µs); when that route is
   * missing, v3 GET /api/v3/traces with both the camelCase parameters (query.serviceName, …, current
   * Jaeger) and their snake_case aliases (query.service_name, …, older Jaeger; removed in v2.20).
   * Throws a JaegerQueryError on failure.
   */
  async searchTraces(service: string, startMs: number, endMs: number, limit: number): Promise<SearchResult> {
    if (!service) throw new Error('searchTraces: service must not be empty');
    if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs < startMs) {
      throw new Error(`searchTraces: bad time window ${startMs}…${endMs} (epoch ms, start ≤ end)`);
    }
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`searchTraces: limit ${limit} must be an integer ≥ 1`);
    const result = (traces: FoundTrace[], api: 'v1' | 'v3'): SearchResult => ({
      traces,
      api,
      atLimit: traces.length >= limit,
    });
    if (this.searchApi !== 'v3') {
      const answer = await this.get('/api/traces', {
        service,
        start: String(Math.floor(startMs * 1000)),
        end: String(Math.ceil(endMs * 1000)),
        limit: String(limit),
      });
      // v1 search answers 200 [] when nothing matches, so any 404 means the route is gone.
      if (answer.status !== 404 && !routeMissing(answer)) {
        this.searchApi = 'v1';
        return result(parseAnswer(answer, parseV1Traces), 'v1');
      }
    }
    const min = new Date(startMs).toISOString();
    const max = new Date(endMs).toISOString();
    const answer = await this.get('/api/v3/traces', {
      'query.serviceName': service,
      'query.startTimeMin': min,
      'query.startTimeMax': max,
      'query.searchDepth': String(limit),
      'query.service_name': service,
      'query.start_time_min': min,
      'query.start_time_max': max,
      'query.search_depth': String(limit),
    });
    if (answer.status === 404 && v3ErrorEnvelope(tryJson(answer.text)) !== undefined) {
      this.searchApi = 'v3';
      return result([], 'v3'); // "No traces found"
    }
    if (routeMissing(answer)) throw httpError('no trace search route (neither v1 /api/traces nor v3)', answer);
    this.searchApi = 'v3';
    return result(parseAnswer(answer, parseV3Traces), 'v3');
  }

  /** Service names Jaeger knows: v3 GET /api/v3/services, falling back to v1 GET /api/services. Throws on failure. */
  async services(): Promise<string[]> {
    const v3 = await this.get('/api/v3/services');
    // proto3 JSON leaves an empty list out: a Jaeger that holds no data yet answers {}.
    if (!routeMissing(v3)) return parseAnswer(v3, (body) => (isObject(body) && !('services' in body) ? [] : stringList(body, 'services', v3.url)));
    const v1 = await this.get('/api/services');
    if (routeMissing(v1)) throw httpError('no services route (neither v3 nor v1)', v1);
    return parseAnswer(v1, (body) => stringList(body, 'data', v1.url));
  }

  /**
   * Polls searchTraces until neither the trace count nor the total span count has changed for
   * `stableForMs` (settled), or `deadlineMs` has passed since the call (not settled). A failed poll
   * is kept as lastError and polling goes on; if no poll ever succeeded, the last error is thrown.
   * Bounded: returns at most one poll (≤ timeoutMs × (retries + 1) plus backoff) after the deadline.
   */
  async waitUntilSettled(
    service: string,
    startMs: number,
    endMs: number,
    options: WaitOptions,
  ): Promise<WaitResult> {
    const { limit, stableForMs, deadlineMs, onProgress } = options;
    if (!(stableForMs >= 0) || !(deadlineMs >= 0)) {
      throw new Error(`waitUntilSettled: stableForMs ${stableForMs} and deadlineMs ${deadlineMs} must be ≥ 0`);
    }
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`waitUntilSettled: limit ${limit} must be an integer ≥ 1`);
    const pollMs = options.pollMs ?? Math.min(1000, Math.max(50, stableForMs / 5));
    const t0 = performance.now();
    let traces: FoundTrace[] = [];
    let api: 'v1' | 'v3' | undefined;
    let key = '';
    let changedAt = t0;
    let polls = 0;
    let successes = 0;
    let lastError: JaegerQueryError | undefined;
    for (;;) {
      polls++;
      try {
        const res = await this.searchTraces(service, startMs, endMs, limit);
        const now = performance.now();
        const spans = res.traces.reduce((sum, t) => sum + t.spanCount, 0);
        const next = `${res.traces.length}/${spans}`;
        if (successes === 0 || next !== key) changedAt = now;
        key = next;
        traces = res.traces;
        api = res.api;
        successes++;
        lastError = undefined;
      } catch (err) {
        if (!(err instanceof JaegerQueryError)) throw err; // bad arguments: polling again cannot help
        lastError = err;
      }
      const now = performance.now();
      const elapsed = now - t0;
      onProgress?.(traces.length, elapsed);
      const stable =
        successes > 0 && now - changedAt >= stableForMs && (traces.length > 0 || options.settleOnZero === true);
      if (stable) return { traces, settled: true, polls, api };
      if (elapsed >= deadlineMs) {
        if (successes === 0 && lastError) throw lastError;
        return { traces, settled: false, polls, api, ...(lastError ? { lastError: lastError.message } : {}) };
      }
      await sleep(Math.min(pollMs, Math.max(0, deadlineMs - elapsed)));
    }
  }

  /** One GET with timeout and retries; returns whatever HTTP answered last, throws on network failure. */
  private async get(path: string, query?: Record<string, string>): Promise<HttpAnswer> {
    const url = `${this.baseUrl}${path}${query ? `?${new URLSearchParams(query).toString()}` : ''}`;
    let attempt = 0;
    for (;;) {
      let answer: HttpAnswer | undefined;
      let failure: JaegerQueryError | undefined;
      try {
        const response = await fetch(url, {
          headers: { accept: 'application/json' },
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const text = await response.text();
        answer = { url, status: response.status, contentType: response.headers.get('content-type') ?? '', text };
      } catch (err) {
        failure = new JaegerQueryError(`GET ${url} failed: ${networkReason(err, this.timeoutMs)}`, url);
      }
      const retryable = failure !== undefined || (answer!.status >= 500 && !RETRYABLE_EXCLUDED.has(answer!.status));
      if (!retryable || attempt >= this.retries) {
        if (failure) {
          throw attempt > 0
            ? new JaegerQueryError(`${failure.message} (${attempt + 1} attempts)`, url)
            : failure;
        }
        return answer!;
      }
      await sleep(this.retryDelayMs * 2 ** attempt);
      attempt++;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Pure parsers

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

/**
 * Uniform random sample of min(k, distinct ids) distinct ids, without replacement, in sampled order;
 * deterministic for a given seed (mulberry32 + partial Fisher–Yates). Duplicate input ids count once.
 */
export function sampleIds(ids: readonly string[], k: number, seed: number): string[] {
  if (!Number.isInteger(k) || k < 0) throw new Error(`sampleIds: k ${k} must be an integer ≥ 0`);
  const pool = [...new Set(ids)];
  const n = Math.min(k, pool.length);
  const random = mulberry32(seed);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

/**
 * Wilson score interval at 95% (z = 1.959964) for found/lookedUp: ratio found/lookedUp and bounds in
 * [0, 1] (low exactly 0 when found is 0, high exactly 1 when all were found). lookedUp 0 → ratio NaN,
 * low 0, high 1.
 */
export function foundInterval(found: number, lookedUp: number): { ratio: number; low: number; high: number } {
  if (!Number.isInteger(found) || !Number.isInteger(lookedUp) || found < 0 || found > lookedUp) {
    throw new Error(`foundInterval: need integers 0 ≤ found ≤ lookedUp, got ${found}/${lookedUp}`);
  }
  if (lookedUp === 0) return { ratio: Number.NaN, low: 0, high: 1 };
  const z = 1.959963984540054;
  const n = lookedUp;
  const p = found / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const margin = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return {
    ratio: p,
    low: found === 0 ? 0 : Math.max(0, center - margin),
    high: found === n ? 1 : Math.min(1, center + margin),
  };
}

// ---------------------------------------------------------------------------------------------------
// Internals

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

function lookupFrom(answer: HttpAnswer, traceId: string, api: 'v1' | 'v3'): TraceLookup {
  if (answer.status === 404) return { state: 'not-found', api }; // an envelope: routeMissing said so
  const traces = parseAnswer(answer, api === 'v1' ? parseV1Traces : parseV3Traces);
  if (traces.length === 0) return { state: 'not-found', api };
  const trace = traces.find((t) => t.traceId === traceId);
  if (!trace) {
    throw new JaegerQueryError(
      `GET ${answer.url} answered trace ${traces.map((t) => t.traceId).join(', ')} instead of ${traceId}`,
      answer.url,
      answer.status,
    );
  }
  return { state: 'found', trace, api };
}

/** JSON of a 2xx answer through `parse`; anything else, or a body that is not JSON, is an error. */
function parseAnswer<T>(answer: HttpAnswer, parse: (body: unknown) => T): T {
  if (answer.status < 200 || answer.status >= 300) throw httpError('unexpected answer', answer);
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch (err) {
    throw new JaegerQueryError(
      `GET ${answer.url} answered HTTP ${answer.status} with malformed JSON (${errorMessage(err)}): ${snippet(answer.text)}`,
      answer.url,
      answer.status,
    );
  }
  try {
    return parse(body);
  } catch (err) {
    throw new JaegerQueryError(`GET ${answer.url}: ${errorMessage(err)}`, answer.url, answer.status);
  }
}

/** True when the answer says the route does not exist here (rule at the top of this file). */
function routeMissing(answer: HttpAnswer): boolean {
  if (ROUTE_MISSING_STATUS.has(answer.status)) return true;
  const json = tryJson(answer.text);
  if (answer.status === 404) return !isJaegerEnvelope(json);
  if (answer.status >= 200 && answer.status < 300) {
    return json === undefined && (/html/i.test(answer.contentType) || /^\s*</.test(answer.text));
  }
  return false;
}

function isJaegerEnvelope(json: unknown): boolean {
  if (!isObject(json)) return false;
  return 'data' in json || Array.isArray(json.errors) || v3ErrorEnvelope(json) !== undefined || 'result' in json;
}

/** The message of a v3 error body `{error:{httpCode, message}}`, else undefined. */
function v3ErrorEnvelope(json: unknown): string | undefined {
  if (!isObject(json) || !isObject(json.error)) return undefined;
  const { httpCode, message } = json.error;
  return `${typeof httpCode === 'number' ? `${httpCode} ` : ''}${typeof message === 'string' ? message : ''}`.trim();
}

function stringList(body: unknown, field: string, url: string): string[] {
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
function normalizeTraceId(raw: string, where = 'trace id'): string {
  if (!/^[0-9a-f]{1,32}$/i.test(raw)) throw new Error(`${where} ${JSON.stringify(raw)} is not 1–32 hex characters`);
  return raw.toLowerCase().padStart(32, '0');
}

function normalizeSpanId(raw: string, where: string): string {
  if (!/^[0-9a-f]{1,16}$/i.test(raw)) throw new Error(`${where} ${JSON.stringify(raw)} is not 1–16 hex characters`);
  return raw.toLowerCase().padStart(16, '0');
}

function httpError(what: string, answer: HttpAnswer): JaegerQueryError {
  return new JaegerQueryError(`${what}: GET ${answer.url} answered ${describe(answer)}`, answer.url, answer.status);
}

function describe(answer: HttpAnswer): string {
  const body = snippet(answer.text);
  return `HTTP ${answer.status}${body ? ` ${body}` : ''}`;
}

function networkReason(err: unknown, timeoutMs: number): string {
  if (isObject(err) && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  const cause = isObject(err) ? err.cause : undefined;
  if (isObject(cause)) {
    const code = typeof cause.code === 'string' ? cause.code : undefined;
    const message = typeof cause.message === 'string' ? cause.message : undefined;
    if (message && (!code || message.includes(code))) return message;
    if (code) return message ? `${code} ${message}` : code;
  }
  return errorMessage(err);
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorMessage(err: unknown): string {
  return oneLine(err instanceof Error ? err.message : String(err));
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function snippet(text: string, max = 160): string {
  const line = oneLine(text);
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

function preview(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return snippet(text, 80);
}

function positiveOr(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`Jaeger query ${name} ${value} must be a positive number`);
  return value;
}

function nonNegativeIntOr(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`Jaeger query ${name} ${value} must be an integer ≥ 0`);
  return value;
}
