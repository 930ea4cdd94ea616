export {
  foundInterval,
  JaegerQueryClient,
  JaegerQueryError,
  parseV1Traces,
  parseV3Traces,
  sampleIds,
  type FoundTrace,
  type JaegerQueryOptions,
  type SearchResult,
  type TraceLookup,
  type WaitOptions,
  type WaitResult,
} from './query-client.ts';
