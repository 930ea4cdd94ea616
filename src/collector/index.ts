export { decodeExportTraceRequest, type DecodedSpan, type SpanVisitor } from './otlp-decode.ts';
export {
  EmbeddedCollector,
  PortInUseError,
  type CollectorSnapshot,
  type EmbeddedCollectorOptions,
} from './embedded-collector.ts';
