// HTTP to Jaeger's query API: GET with timeout and retries, and how an answer is read. How a "route is
// missing" is told apart from "trace not found" (both can be HTTP 404) is explained in query-client.ts.
import { setTimeout as sleep } from 'node:timers/promises';
import { isObject } from '../common/input.ts';
import { errorMessage, isJaegerEnvelope, oneLine, snippet, tryJson } from './query-parse.ts';

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

export interface HttpAnswer {
  url: string;
  status: number;
  contentType: string;
  text: string;
}

export interface RetryOptions {
  readonly timeoutMs: number;
  /** Further attempts after the first, for server errors and network failures. */
  readonly retries: number;
  /** Wait before the first retry, doubled for each next one. */
  readonly retryDelayMs: number;
}

/** Server errors that a retry will not cure. */
const RETRYABLE_EXCLUDED = new Set([501, 505]);
/** Statuses that mean the route does not exist on this Jaeger. */
const ROUTE_MISSING_STATUS = new Set([405, 410, 501]);

/** One GET with timeout and retries (server errors and network failures, with backoff); returns whatever HTTP answered last, throws on network failure. */
export async function httpGet(url: string, options: RetryOptions): Promise<HttpAnswer> {
  let attempt = 0;
  for (;;) {
    let answer: HttpAnswer | undefined;
    let failure: JaegerQueryError | undefined;
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await response.text();
      answer = { url, status: response.status, contentType: response.headers.get('content-type') ?? '', text };
    } catch (err) {
      failure = new JaegerQueryError(`GET ${url} failed: ${networkReason(err, options.timeoutMs)}`, url);
    }
    const retryable = failure !== undefined || (answer!.status >= 500 && !RETRYABLE_EXCLUDED.has(answer!.status));
    if (!retryable || attempt >= options.retries) {
      if (failure) {
        throw attempt > 0
          ? new JaegerQueryError(`${failure.message} (${attempt + 1} attempts)`, url)
          : failure;
      }
      return answer!;
    }
    await sleep(options.retryDelayMs * 2 ** attempt);
    attempt++;
  }
}

/** True when the answer says the route does not exist here (rule at the top of this file). */
export function routeMissing(answer: HttpAnswer): boolean {
  if (ROUTE_MISSING_STATUS.has(answer.status)) return true;
  const json = tryJson(answer.text);
  if (answer.status === 404) return !isJaegerEnvelope(json);
  if (answer.status >= 200 && answer.status < 300) {
    return json === undefined && (/html/i.test(answer.contentType) || /^\s*</.test(answer.text));
  }
  return false;
}

/** JSON of a 2xx answer through `parse`; anything else, or a body that is not JSON, is an error. */
export function parseAnswer<T>(answer: HttpAnswer, parse: (body: unknown) => T): T {
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

export function httpError(what: string, answer: HttpAnswer): JaegerQueryError {
  return new JaegerQueryError(`${what}: GET ${answer.url} answered ${describeAnswer(answer)}`, answer.url, answer.status);
}

export function describeAnswer(answer: HttpAnswer): string {
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
