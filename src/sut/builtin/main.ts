// Entry point of the service process. Under the harness it talks over IPC; run alone (`serve`), it
// prints its URL and stops on Ctrl-C. This file is the service's outer layer: the only one reading env.
import { ProxyTracerProvider, trace } from '@opentelemetry/api';
import { CostWindow } from '../../measure/process-cost.ts';
import { createHistogram, encodeHistogram, recordUs } from '../../measure/histogram.ts';
import { describeTracing } from '../../tracing/describe.ts';
import { tracingConfigFromEnv } from '../../tracing/env.ts';
import { settlesWithin, setUpTracing } from '../../tracing/provider.ts';
import { loadedSdkLine } from '../../tracing/sdk-trace.ts';
import { protocolVersion, serviceSettingsEnvKey, type HarnessMessage, type ServiceMessage, type ServiceSettings } from './protocol.ts';
import { startTopology } from './topology.ts';
import type { TracingConfig } from '../../model/index.ts';
import { TraceIdReservoir } from './trace-reservoir.ts';
import { spin } from './work.ts';

function send(message: ServiceMessage): void {
  process.send?.(message);
}

/** Reports a fatal error to the harness (or the terminal) and exits once the message is out. */
function fail(message: string): never {
  if (process.send) process.send({ type: 'fatal', message } satisfies ServiceMessage, () => process.exit(2));
  else {
    console.error(`tracetax serve: ${message}`);
    process.exit(2);
  }
  throw new FatalError(message);
}

/** Stops the start-up where it is; the process exits as soon as the fatal message is sent. */
class FatalError extends Error {}
process.on('uncaughtException', (error) => {
  if (!(error instanceof FatalError)) fail(`the service crashed: ${error.stack ?? error.message}`);
});
process.on('unhandledRejection', (error) => {
  if (!(error instanceof FatalError)) fail(`the service crashed: ${(error as Error)?.stack ?? String(error)}`);
});

const settings = JSON.parse(process.env[serviceSettingsEnvKey] ?? 'null') as ServiceSettings | null;
if (!settings) fail(`${serviceSettingsEnvKey} is not set: start the service through the tracetax CLI`);

// Under zero-code instrumentation the preloaded SDK makes the spans: tracetax's own setup stays off, and
// the hand-written spans go to a tracer that records nothing, so no span is made twice.
const automatic = settings.instrumentation === 'auto';
let tracingConfig: TracingConfig;
try {
  tracingConfig = automatic ? { kind: 'untraced' } : tracingConfigFromEnv(process.env);
} catch (error) {
  fail((error as Error).message);
}
const tracing = setUpTracing(tracingConfig, {
  serviceName: settings.serviceName,
  burnCpu: (iterations) => spin(Math.round(iterations)),
});

// Root spans the exporter reported exported, one per trace: the ids a backend should now hold.
let exportedRoots: TraceIdReservoir | undefined;
if (tracing.exporter && (settings.exportedTraceSample ?? 0) > 0) {
  const reservoir = (exportedRoots = new TraceIdReservoir(settings.exportedTraceSample!));
  tracing.exporter.onExported = (spans) => {
    for (const span of spans) if (span.parentSpanContext === undefined) reservoir.offer(span.spanContext().traceId);
  };
}

let lifetimeRequests = 0;
let windowRequests = 0;
let windowFailures = 0;
let serverTime = createHistogram();
let costWindow: CostWindow | undefined;

const topology = await startTopology({
  shape: settings.shape,
  iterationsPerUs: settings.iterationsPerUs,
  host: settings.host,
  frontendPort: settings.port,
  tracer: automatic ? new ProxyTracerProvider().getTracer('tracetax-service') : trace.getTracer('tracetax-service'),
  counters: tracing.counters,
  onFrontendArrival() {
    lifetimeRequests++;
  },
  onFrontendResponse(serverTimeUs, ok) {
    windowRequests++;
    if (!ok) windowFailures++;
    recordUs(serverTime, serverTimeUs);
  },
}).catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') {
    fail(`port ${settings.port} on ${settings.host} is already in use: stop what holds it or choose another port with --port`);
  }
  fail(`the service could not start: ${error.message}`);
});

/** The preloaded SDK's flush (the global provider is its); false when `timeoutMs` ran out first. */
function flushPreloadedSdk(timeoutMs: number): Promise<boolean> {
  const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as { shutdown?: () => Promise<void> };
  return provider.shutdown ? settlesWithin(provider.shutdown(), timeoutMs) : Promise.resolve(true);
}

async function shutdown(flushTimeoutMs: number): Promise<void> {
  await topology.close();
  const flushed = automatic ? await flushPreloadedSdk(flushTimeoutMs) : await tracing.shutdown(flushTimeoutMs);
  send({
    type: 'final',
    stats: {
      requests: lifetimeRequests,
      // The preloaded SDK is not tracetax's: its spans are counted at the collector only.
      ...(automatic ? {} : { spans: { ...tracing.counters } }),
      flushed,
      exportLatencyHistogram: tracing.exporter ? encodeHistogram(tracing.exporter.exportLatencyUs) : undefined,
      queueWait: tracing.exporter ? { ...tracing.exporter.queueWait } : undefined,
      ...(exportedRoots ? { exportedTraces: exportedRoots.snapshot() } : {}),
    },
  });
}

if (process.send) {
  process.on('message', (message: HarnessMessage) => {
    switch (message.type) {
      case 'begin-window':
        windowRequests = 0;
        windowFailures = 0;
        serverTime = createHistogram();
        costWindow = new CostWindow();
        break;
      case 'end-window': {
        const cost = (costWindow ?? new CostWindow()).close();
        send({
          type: 'window',
          stats: { requests: windowRequests, failedRequests: windowFailures, serverTimeHistogram: encodeHistogram(serverTime), cost },
        });
        break;
      }
      case 'read-cpu': {
        const cpu = process.cpuUsage();
        send({ type: 'cpu', cpuUs: cpu.user + cpu.system });
        break;
      }
      case 'shutdown':
        void shutdown(message.flushTimeoutMs).then(() => process.disconnect());
        break;
    }
  });
  // The harness going away, however it went, ends the service too.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', protocol: protocolVersion, frontendUrl: topology.frontendUrl, node: process.version, sdk: loadedSdkLine, ports: topology.ports, tracing: describeTracing(tracingConfig) });
} else {
  console.log(`tracetax service (${describeTracing(tracingConfig)}) listening on ${topology.frontendUrl}`);
  console.log('Press Ctrl-C to stop.');
  const stop = () => {
    void shutdown(5000).then(() => {
      const c = tracing.counters;
      console.log(`stopped after ${lifetimeRequests} requests; spans started ${c.started}, sampled ${c.sampled}, exported ${c.exported}, export failures ${c.exportFailed}`);
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
