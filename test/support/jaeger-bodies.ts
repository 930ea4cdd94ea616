// Real Jaeger query API bodies from test/fixtures/jaeger/ (see its README.md), and bodies a real Jaeger
// sends that no fixture holds, shared by the query client's parser tests (test/unit/jaeger-query.test.ts)
// and its contract tests against a fake Jaeger (test/e2e/jaeger-query.test.ts).
import { readFileSync } from 'node:fs';

export const fixture = (name: string): string => readFileSync(new URL(`../fixtures/jaeger/${name}`, import.meta.url), 'utf8');
export const V1_RESPONSE = fixture('api-traces-response.json');
export const V3_TRACE = fixture('api-v3-trace-response.json');
export const UI_TRACE = fixture('ui-trace.json');
export const OTLP_INPUT = fixture('otlp-json-input-of-api-traces-response.json');

/** The trace id of api-traces-response.json (and of the OTLP input Jaeger converted into it). */
export const V1_ID = '83a9efd15c1c98a977e0711cc93ee28b';
/** ui-trace.json's 16-character "0000000000000001", padded; also the id in api-v3-trace-response.json. */
export const ONE_ID = '00000000000000000000000000000001';

// Bodies a real Jaeger sends that have no fixture file; each is built the way Jaeger's Go code builds it.
/** v1 handleError(ErrTraceNotFound, 404): structuredResponse JSON written by http.Error (text/plain, trailing \n). */
export const V1_NOT_FOUND = `${JSON.stringify({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] })}\n`;
/** API v3 returnTraces with no traces: GRPCGatewayError JSON written by http.Error. */
export const V3_NOT_FOUND = `${JSON.stringify({ error: { httpCode: 404, message: 'No traces found' } })}\n`;

/** ui-trace.json with another trace id on the trace and every span. */
export function uiTraceWithId(traceID: string): unknown {
  const trace = JSON.parse(UI_TRACE) as { traceID: string; spans: { traceID: string }[] };
  trace.traceID = traceID;
  for (const span of trace.spans) span.traceID = traceID;
  return trace;
}
