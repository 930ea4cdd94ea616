// What the newest SDK line changed in the parts the service builds, bridged in one place. A service on
// the otel-latest set (src/sut/sdk-sets.ts) loads @opentelemetry/sdk-trace 3.x in place of sdk-trace-base
// 2.x: BasicTracerProvider is TracerProvider there, and the span processors take one options object with
// the exporter in it. A namespace import, so that a name one line lacks is not a link error.
import * as sdkTrace from '@opentelemetry/sdk-trace-base';
import type { BufferConfig, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';

type ProviderClass = typeof sdkTrace.BasicTracerProvider;

/** True when the loaded SDK is the 3.x line (@opentelemetry/sdk-trace). */
const optionsObjects = !('BasicTracerProvider' in sdkTrace);

/** Which SDK line the service loaded, as it reports it. */
export const loadedSdkLine = optionsObjects ? '@opentelemetry/sdk-trace 3.x' : '@opentelemetry/sdk-trace-base 2.x';

export const TracerProviderClass: ProviderClass = optionsObjects
  ? (sdkTrace as unknown as { TracerProvider: ProviderClass }).TracerProvider
  : sdkTrace.BasicTracerProvider;

type Construct = new (...args: unknown[]) => SpanProcessor;

export function batchSpanProcessor(exporter: SpanExporter, config: BufferConfig): SpanProcessor {
  const Batch = sdkTrace.BatchSpanProcessor as unknown as Construct;
  return optionsObjects ? new Batch({ exporter, ...config }) : new Batch(exporter, config);
}

export function simpleSpanProcessor(exporter: SpanExporter): SpanProcessor {
  const Simple = sdkTrace.SimpleSpanProcessor as unknown as Construct;
  return optionsObjects ? new Simple({ exporter }) : new Simple(exporter);
}
