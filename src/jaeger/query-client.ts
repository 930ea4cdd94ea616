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
import { isObject, parseHttpUrl } from '../common/input.ts';
import { errorMessage, normalizeTraceId, parseV1Traces, parseV3Traces, stringList, tryJson, v3ErrorEnvelope, type FoundTrace } from './query-parse.ts';
import { describeAnswer, httpError, httpGet, JaegerQueryError, parseAnswer, routeMissing, type HttpAnswer, type RetryOptions } from './query-transport.ts';

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


/** Queries one Jaeger; remembers which API (v1 or v3) answered each kind of request. */
export class JaegerQueryClient {
  readonly baseUrl: string;
  private readonly retry: RetryOptions;
  private traceApi: 'v1' | 'v3' | undefined;
  private searchApi: 'v1' | 'v3' | undefined;

  constructor(options: JaegerQueryOptions) {
    const base = parseHttpUrl(options.baseUrl);
    if (base === 'not-a-url') throw new Error(`Jaeger query baseUrl ${JSON.stringify(options.baseUrl)} is not a URL`);
    if (base === 'not-http') throw new Error(`Jaeger query baseUrl ${options.baseUrl} must be http:// or https:// with a host`);
    this.baseUrl = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
    this.retry = {
      timeoutMs: positiveOr(options.timeoutMs, 5000, 'timeoutMs'),
      retries: nonNegativeIntOr(options.retries, 2, 'retries'),
      retryDelayMs: nonNegativeIntOr(options.retryDelayMs, 100, 'retryDelayMs'),
    };
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
            `no trace route: GET ${answer.url} answered ${describeAnswer(answer)} and GET ${v3.url} answered ${describeAnswer(v3)}`,
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

  private get(path: string, query?: Record<string, string>): Promise<HttpAnswer> {
    return httpGet(`${this.baseUrl}${path}${query ? `?${new URLSearchParams(query).toString()}` : ''}`, this.retry);
  }
}

// ---------------------------------------------------------------------------------------------------
// The sample of ids a check looks up, and its interval

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
