// jaeger_remote: OpenTelemetry's JS Jaeger remote sampler, as a user would ship it, plus what tracetax
// needs around it. What the pinned version (0.222.0) does, read from its source and checked against a
// real Jaeger v2.20 and tracetax's sampling server (test/jaeger-sampling.test.ts):
// - it GETs `${endpoint}/sampling?service=NAME` every pollingInterval, the first time one interval after
//   start (not at start), and until then samples with its initial sampler;
// - a response with a non-empty operationSampling.perOperationStrategies becomes ParentBased(per-operation
//   traceidratio, default defaultSamplingProbability);
// - otherwise only strategyType === "PROBABILISTIC" (a string) is applied. Jaeger v2 answers with the
//   Thrift-era numbers (0 probabilistic, 1 rate limiting), so against it a plain probabilistic strategy
//   is ignored, as is every RATE_LIMITING one: the sampler keeps what it had (see README).
// - it never clears its polling interval and has no shutdown.
import { ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-base';
import { JaegerRemoteSampler } from '@opentelemetry/sampler-jaeger-remote';
import type { JaegerRemoteConfig } from './config.ts';

export interface RemoteSampler {
  readonly sampler: Sampler;
  /** Stops polling (the package itself never does). */
  stop(): void;
}

/**
 * The sampler polls `${base}/sampling`, while users (and the Go SDK, and Jaeger's docs) write the
 * endpoint as http://host:5778/sampling: accept both by dropping a trailing /sampling.
 */
export function samplingBaseUrl(endpoint: string): string {
  return endpoint.replace(/\/+$/, '').replace(/\/sampling$/, '');
}

export function createJaegerRemoteSampler(config: JaegerRemoteConfig, serviceName: string): RemoteSampler {
  // Parent-based like every sampler the package builds from a strategy, so a trace is decided at its root
  // before the first poll too.
  const initialSampler = new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.initialSamplingRate) });
  // The package starts a setInterval it never clears: catch its handle to stop polling on shutdown, and
  // unref it so that polling alone keeps no process alive.
  const realSetInterval = globalThis.setInterval;
  let timer: NodeJS.Timeout | undefined;
  globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => (timer = realSetInterval(...args))) as typeof setInterval;
  let sampler: JaegerRemoteSampler;
  try {
    sampler = new JaegerRemoteSampler({
      endpoint: samplingBaseUrl(config.endpoint),
      serviceName,
      poolingInterval: config.pollingIntervalMs,
      // The package is built on @opentelemetry/sdk-trace 2.11.0 (its own nested copy), ours on 2.12.1: the
      // Sampler interface and SamplingDecision values are the same, but TypeScript treats the two enums as
      // distinct types, hence the casts.
      initialSampler: initialSampler as unknown as ConstructorParameters<typeof JaegerRemoteSampler>[0]['initialSampler'],
    });
  } finally {
    globalThis.setInterval = realSetInterval;
  }
  timer?.unref();
  return {
    sampler: sampler as unknown as Sampler,
    stop: () => clearInterval(timer),
  };
}
