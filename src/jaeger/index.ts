export {
  foundInterval,
  JaegerQueryClient,
  sampleIds,
  type JaegerQueryOptions,
  type SearchResult,
  type TraceLookup,
  type WaitOptions,
  type WaitResult,
} from './query-client.ts';
export { parseV1Traces, parseV3Traces, type FoundTrace } from './query-parse.ts';
export { JaegerQueryError } from './query-transport.ts';
