// The wire format's share of the cost: always_on exporting over OTLP/gRPC, OTLP/HTTP with binary protobuf
// and OTLP/HTTP with JSON, each to the embedded collector's receiver for its protocol, beside untraced.
import { defineScenario } from '../src/scenario/define.ts';

export default defineScenario({
  name: 'otlp-protocols',
  description:
    'always_on exporting over grpc vs http/protobuf vs http/json, against untraced: CPU/request, bytes per span, delivery and export lag of each OTLP protocol',
  // Pairs of 2-s slices, rounds until every Δ CPU/request is within ±2 points or 2 min are spent.
  load: { connections: 16, warmupSec: 3 },
  maxTimeSec: 120,
  variants: [
    { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
    { name: 'always_on grpc', env: { OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } },
    { name: 'always_on http/protobuf', env: { OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' } },
    { name: 'always_on http/json', env: { OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' } },
  ],
});
