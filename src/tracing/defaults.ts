// The OpenTelemetry specification's defaults (sdk-environment-variables), and the error every reader of
// tracing settings throws.
import { InputError } from '../common/input.ts';
import type { OtlpProtocol } from '../model/index.ts';

/** Settings that are wrong, with a message that says how to fix them. */
export class TracingConfigError extends InputError {}

export const defaultSampler = 'parentbased_always_on';
export const defaultSamplerRatio = 1;
export const defaultMaxQueueSize = 2048;
export const defaultMaxExportBatchSize = 512;
export const defaultScheduledDelayMillis = 5000;
export const defaultExportTimeoutMillis = 30000;
// tracetax's default protocol is grpc, as before it read OTEL_EXPORTER_OTLP_PROTOCOL (the specification's is http/protobuf).
export const defaultOtlpProtocol: OtlpProtocol = 'grpc';
export const defaultOtlpEndpoint = 'http://localhost:4317';
/** The OTLP/HTTP default, to which /v1/traces is appended. */
export const defaultOtlpHttpEndpoint = 'http://localhost:4318';
// jaeger_remote's defaults: Jaeger's sampling port, and the specification's (Java SDK's) interval and initial rate.
export const defaultJaegerSamplingEndpoint = 'http://localhost:5778/sampling';
export const defaultJaegerPollingIntervalMs = 60000;
export const defaultJaegerInitialSamplingRate = 0.001;
