// jaeger_remote: OpenTelemetry's JS Jaeger remote sampler, as a user would ship it, plus what tracetax
// needs around it. What the pinned version (0.222.0) does, read from its source and checked against a
// real Jaeger v2.20 and tracetax's sampling server (test/e2e/jaeger-sampling.test.ts):
// - it GETs `${endpoint}/sampling?service=NAME` every pollingInterval, the first time one interval after
//   start (not at start), and until then samples with its initial sampler;
// - a response with a non-empty operationSampling.perOperationStrategies becomes ParentBased(per-operation
//   traceidratio, default defaultSamplingProbability);
// - otherwise only strategyType === "PROBABILISTIC" (a string) is applied. Jaeger v2 answers with the
//   Thrift-era numbers (0 probabilistic, 1 rate limiting), so against it a plain probabilistic strategy
//   is ignored, as is every RATE_LIMITING one: the sampler keeps what it had (see docs/jaeger.md).
// - it never clears its polling interval and has no shutdown.
import { ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-base';
import { JaegerRemoteSampler } from '@opentelemetry/sampler-jaeger-remote';
import { parseHttpUrl } from '../../common/input.ts';
import {
  defaultJaegerInitialSamplingRate,
  defaultJaegerPollingIntervalMs,
  defaultJaegerSamplingEndpoint,
  TracingConfigError,
} from '../defaults.ts';
import type { SamplerEntry } from './entry.ts';
import type { JaegerRemoteConfig, SamplerConfig } from '../../model/index.ts';

interface RemoteSampler {
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

function createJaegerRemoteSampler(config: JaegerRemoteConfig, serviceName: string): RemoteSampler {
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

const jaegerRemoteExample = 'endpoint=http://localhost:5778/sampling,pollingIntervalMs=5000,initialSamplingRate=0.25';

/**
 * jaeger_remote's OTEL_TRACES_SAMPLER_ARG, in the specification's form: comma-separated key=value pairs
 * of endpoint, pollingIntervalMs and initialSamplingRate, each optional. Returns only what is given.
 */
export function parseJaegerRemoteArg(raw: string | undefined): Partial<JaegerRemoteConfig> {
  const out: { endpoint?: string; pollingIntervalMs?: number; initialSamplingRate?: number } = {};
  const text = raw?.trim() ?? '';
  if (text === '') return out;
  for (const entry of text.split(',')) {
    const at = entry.indexOf('=');
    const key = at < 0 ? '' : entry.slice(0, at).trim();
    const value = at < 0 ? '' : entry.slice(at + 1).trim();
    if (at < 0 || key === '' || value === '') {
      throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG entry '${entry.trim()}' is not key=value: use e.g. ${jaegerRemoteExample}`);
    }
    if (key in out) throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG names ${key} twice: give each setting once`);
    if (key === 'endpoint') {
      if (!(parseHttpUrl(value) instanceof URL)) {
        throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG endpoint '${value}' is not an http(s) URL: use e.g. http://localhost:5778/sampling`);
      }
      out.endpoint = value.replace(/\/+$/, '');
    } else if (key === 'pollingIntervalMs') {
      const ms = Number(value);
      if (!Number.isInteger(ms) || ms <= 0) throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG pollingIntervalMs=${value} is not a positive whole number of ms: use e.g. 5000`);
      out.pollingIntervalMs = ms;
    } else if (key === 'initialSamplingRate') {
      const rate = Number(value);
      if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
        throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG initialSamplingRate=${value} is not a ratio in [0, 1]: use e.g. 0.25`);
      }
      out.initialSamplingRate = rate;
    } else {
      throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG key '${key}' is not a jaeger_remote setting: use endpoint, pollingIntervalMs or initialSamplingRate`);
    }
  }
  return out;
}

export const jaegerRemote: SamplerEntry<Extract<SamplerConfig, { name: 'jaeger_remote' }>> = {
  name: 'jaeger_remote',
  fromArg(arg) {
    const given = parseJaegerRemoteArg(arg);
    return {
      name: 'jaeger_remote',
      jaegerRemote: {
        endpoint: given.endpoint ?? defaultJaegerSamplingEndpoint,
        pollingIntervalMs: given.pollingIntervalMs ?? defaultJaegerPollingIntervalMs,
        initialSamplingRate: given.initialSamplingRate ?? defaultJaegerInitialSamplingRate,
      },
    };
  },
  // The sampler asks for the strategy of the service's own service.name.
  create(config, serviceName) {
    const remote = createJaegerRemoteSampler(config.jaegerRemote, serviceName);
    return Object.assign(remote.sampler, { stop: remote.stop });
  },
  describe: ({ jaegerRemote: r }) => `jaeger_remote(${r.endpoint}, every ${r.pollingIntervalMs} ms, initial ${r.initialSamplingRate})`,
};
