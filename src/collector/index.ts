export { decodeExportTraceRequest, type DecodedSpan, type SpanVisitor } from './otlp-decode.ts';
export {
  EmbeddedCollector,
  PortInUseError,
  type EmbeddedCollectorOptions,
} from './embedded-collector.ts';
