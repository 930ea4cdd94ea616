// The tinybench suites: what each piece of the tracing pipeline costs per operation. Every task runs a
// batch of operations per sample (opsPerSample), so the ~30 ns of performance.now() around each sample
// is amortized; ns/op is the sample's mean time over its operations.
import { ROOT_CONTEXT, context, defaultTextMapGetter, defaultTextMapSetter, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode, W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { batchSpanProcessor, simpleSpanProcessor, TracerProviderClass } from '../tracing/sdk-trace.ts';
import { Bench } from 'tinybench';
import { createSampler } from '../tracing/samplers/registry.ts';
import { decodeExportTraceRequest } from '../collector/index.ts';
import { benchResource, emitHandlerTrace, emitServiceRequest, emitSpecSpan, recordSpans, specAttributes } from './fixtures.ts';
import type { CollectorDecodeResult, MicroResult, SamplerConfig } from '../model/index.ts';

export interface SuiteOptions {
  /** tinybench time budget per task, ms. */
  readonly timeMs: number;
  readonly warmupMs: number;
  /** Called before each task starts. */
  readonly onTask?: (index: number, total: number, name: string) => void;
}

interface TaskDef {
  readonly id: string;
  readonly suite: string;
  readonly name: string;
  readonly opsPerSample: number;
  readonly fn: () => unknown;
  readonly note?: string;
}

/** A group of tasks sharing set-up, such as a registered global context manager. */
interface SuiteDef {
  readonly tasks: readonly TaskDef[];
  readonly before?: () => void;
  readonly after?: () => void;
}

/** An exporter that accepts every batch at once and keeps nothing: the processors' own cost. */
class NothingExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export const benchSamplers: readonly { readonly label: string; readonly config: SamplerConfig }[] = [
  { label: 'always_on', config: { name: 'always_on' } },
  { label: 'always_off', config: { name: 'always_off' } },
  { label: 'traceidratio 0.1', config: { name: 'traceidratio', ratio: 0.1 } },
  { label: 'parentbased_traceidratio 0.1', config: { name: 'parentbased_traceidratio', ratio: 0.1 } },
];

const samplerKey = (label: string) => label.replace(/ /g, '_');

/** A tracer with no span processor: the span's own cost; processors are measured on their own. */
function tracerFor(config: SamplerConfig): Tracer {
  return new TracerProviderClass({ resource: benchResource, sampler: createSampler(config) }).getTracer('tracetax-micro');
}

/**
 * Parent contexts as the sampler would have made them (each from a root span with a fresh trace id), so
 * ratio samplers see the real mix of sampled and unsampled traces rather than one fixed trace id.
 */
function parentPool(tracer: Tracer, size = 1024): Context[] {
  return Array.from({ length: size }, () => {
    const root = tracer.startSpan('parent', undefined, ROOT_CONTEXT);
    root.end();
    return trace.setSpan(ROOT_CONTEXT, root);
  });
}

function spanSuite(): SuiteDef {
  const tasks: TaskDef[] = [];
  const N = 100;
  for (const { label, config } of benchSamplers) {
    const tracer = tracerFor(config);
    const parents = parentPool(tracer);
    let p = 0;
    tasks.push({
      id: `span.root.${samplerKey(label)}`,
      suite: 'span start+end',
      name: `root span, ${label}`,
      opsPerSample: N,
      fn: () => {
        for (let i = 0; i < N; i++) tracer.startSpan('op', undefined, ROOT_CONTEXT).end();
      },
    });
    tasks.push({
      id: `span.child.${samplerKey(label)}`,
      suite: 'span start+end',
      name: `child span, ${label}`,
      opsPerSample: N,
      fn: () => {
        for (let i = 0; i < N; i++) tracer.startSpan('op', undefined, parents[p++ & 1023]).end();
      },
    });
  }
  return { tasks };
}

function attributeSuite(): SuiteDef {
  const tracer = tracerFor({ name: 'always_on' });
  const keys = Object.keys(specAttributes);
  const values = Object.values(specAttributes) as string[];
  // One long-lived span: the same 10 keys are overwritten, so the attribute limit is never reached.
  const span = tracer.startSpan('attributes', undefined, ROOT_CONTEXT);
  const N = 50;
  const EVENTS = 64; // below the default limit of 128 events per span, past which the SDK drops
  let eventSpan: Span | undefined;
  return {
    tasks: [
      {
        id: 'attributes.set10',
        suite: 'attributes and events',
        name: 'setAttribute ×10 (20-char keys and values)',
        opsPerSample: N,
        fn: () => {
          for (let i = 0; i < N; i++) for (let k = 0; k < 10; k++) span.setAttribute(keys[k]!, values[k]!);
        },
        note: 'one op = 10 calls',
      },
      {
        id: 'attributes.addEvent',
        suite: 'attributes and events',
        name: 'addEvent with 1 attribute',
        opsPerSample: EVENTS,
        fn: () => {
          eventSpan = tracer.startSpan('events', undefined, ROOT_CONTEXT);
          for (let i = 0; i < EVENTS; i++) eventSpan.addEvent('work.done', { 'work.iterations': i });
          eventSpan.end();
        },
        note: `a fresh span per ${EVENTS} events (1/${EVENTS} of its start+end included)`,
      },
      {
        id: 'span.root10attrs.always_on',
        suite: 'attributes and events',
        name: 'root span with 10 attributes, always_on, no processor',
        opsPerSample: N,
        fn: () => {
          for (let i = 0; i < N; i++) emitSpecSpan(tracer);
        },
      },
    ],
  };
}

function processorSuite(): SuiteDef {
  const sampled = recordSpans(1, emitServiceRequest)[0]!;
  const batch = batchSpanProcessor(new NothingExporter(), { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000, exportTimeoutMillis: 30000 });
  const simple = simpleSpanProcessor(new NothingExporter());
  const throughBatch = new TracerProviderClass({
    resource: benchResource,
    sampler: createSampler({ name: 'always_on' }),
    spanProcessors: [batchSpanProcessor(new NothingExporter(), { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000, exportTimeoutMillis: 30000 })],
  }).getTracer('tracetax-micro');
  const N = 256;
  return {
    tasks: [
      {
        id: 'processor.batch.onEnd',
        suite: 'span processor',
        name: 'BatchSpanProcessor.onEnd, exporter does nothing',
        opsPerSample: N,
        // The queue reaches 512 twice per 1,024 calls and exports synchronously to the do-nothing exporter.
        fn: () => {
          for (let i = 0; i < N; i++) batch.onEnd(sampled);
        },
        note: 'queue 2048, batch 512: the synchronous export of each full batch included',
      },
      {
        id: 'processor.simple.onEnd',
        suite: 'span processor',
        name: 'SimpleSpanProcessor.onEnd, exporter does nothing',
        opsPerSample: N,
        // Its export is asynchronous: the sample waits for every pending export, so their promises are counted.
        fn: async () => {
          for (let i = 0; i < N; i++) simple.onEnd(sampled);
          await simple.forceFlush();
        },
        note: 'includes awaiting its pending exports',
      },
      {
        id: 'span.root10attrs.batch',
        suite: 'span processor',
        name: 'root span with 10 attributes through BatchSpanProcessor',
        opsPerSample: 64,
        fn: () => {
          for (let i = 0; i < 64; i++) emitSpecSpan(throughBatch);
        },
      },
    ],
  };
}

function otlpSuite(): SuiteDef {
  const BATCH = 512;
  const service = recordSpans(BATCH, emitServiceRequest);
  const spec = recordSpans(BATCH, (tracer) => emitSpecSpan(tracer));
  let bytes = 0;
  return {
    tasks: [
      {
        id: 'otlp.serialize.service',
        suite: 'OTLP protobuf',
        name: "serialize per span, the service's spans (512-span batch)",
        opsPerSample: BATCH,
        fn: () => {
          bytes += ProtobufTraceSerializer.serializeRequest(service)!.length;
        },
        note: 'ProtobufTraceSerializer, the OTLP exporters\' own',
      },
      {
        id: 'otlp.serialize.spec',
        suite: 'OTLP protobuf',
        name: 'serialize per span, 10 attributes of 20 chars (512-span batch)',
        opsPerSample: BATCH,
        fn: () => {
          bytes += ProtobufTraceSerializer.serializeRequest(spec)!.length;
        },
      },
    ],
  };
}

function propagationSuite(): SuiteDef {
  const propagator = new W3CTraceContextPropagator();
  const tracer = tracerFor({ name: 'always_on' });
  const span = tracer.startSpan('client', undefined, ROOT_CONTEXT);
  const ctx = trace.setSpan(ROOT_CONTEXT, span);
  const headers: Record<string, string> = {};
  propagator.inject(ctx, headers, defaultTextMapSetter);
  // Headers like those Node hands a server, with and without a traceparent.
  const base = { host: '127.0.0.1:40001', connection: 'keep-alive', accept: '*/*', 'user-agent': 'node' };
  const withParent = { ...base, ...headers };
  const N = 100;
  let sink = 0;
  return {
    tasks: [
      {
        id: 'propagation.inject',
        suite: 'W3C trace context',
        name: 'inject into a header object',
        opsPerSample: N,
        fn: () => {
          for (let i = 0; i < N; i++) {
            const carrier: Record<string, string> = {};
            propagator.inject(ctx, carrier, defaultTextMapSetter);
          }
        },
      },
      {
        id: 'propagation.extract',
        suite: 'W3C trace context',
        name: 'extract from request headers with traceparent',
        opsPerSample: N,
        fn: () => {
          for (let i = 0; i < N; i++) if (trace.getSpanContext(propagator.extract(ROOT_CONTEXT, withParent, defaultTextMapGetter))) sink++;
        },
      },
      {
        id: 'propagation.extract.none',
        suite: 'W3C trace context',
        name: 'extract from request headers without traceparent',
        opsPerSample: N,
        fn: () => {
          for (let i = 0; i < N; i++) if (propagator.extract(ROOT_CONTEXT, base, defaultTextMapGetter) !== ROOT_CONTEXT) sink++;
        },
      },
    ],
    after: () => void sink,
  };
}

async function asyncStep(): Promise<void> {}

/** The context tasks, run once with no global context manager (the API's no-op) and once under AsyncLocalStorage. */
function contextSuite(kind: 'none' | 'als'): SuiteDef {
  // A non-recording span: what a service pays for context when nothing is sampled.
  const tracer = tracerFor({ name: 'always_off' });
  const parent = trace.setSpan(ROOT_CONTEXT, tracer.startSpan('parent', undefined, ROOT_CONTEXT));
  const N = 100;
  let manager: AsyncLocalStorageContextManager | undefined;
  let sink = 0;
  const work = (ctx: Context) => {
    if (ctx !== ROOT_CONTEXT) sink++;
  };
  const label = kind === 'als' ? 'AsyncLocalStorage context manager' : 'no context manager';
  const tasks: TaskDef[] = [
    {
      id: `context.with.${kind}`,
      suite: 'context',
      name: `context.with, ${label}`,
      opsPerSample: N,
      fn: () => {
        for (let i = 0; i < N; i++) context.with(parent, () => work(context.active()));
      },
    },
    kind === 'als'
      ? {
          id: 'context.startActiveSpan.als',
          suite: 'context',
          name: `tracer.startActiveSpan + end (always_off), ${label}`,
          opsPerSample: N,
          fn: () => {
            context.with(parent, () => {
              for (let i = 0; i < N; i++)
                tracer.startActiveSpan('op', (span) => {
                  work(context.active());
                  span.end();
                });
            });
          },
        }
      : {
          id: 'context.explicit.none',
          suite: 'context',
          name: 'startSpan(parent) + end (always_off), context passed explicitly, no context manager',
          opsPerSample: N,
          fn: () => {
            for (let i = 0; i < N; i++) {
              const span = tracer.startSpan('op', undefined, parent);
              work(trace.setSpan(parent, span));
              span.end();
            }
          },
        },
    {
      id: `context.await.${kind}`,
      suite: 'context',
      name: `await an async call, ${label}`,
      opsPerSample: N,
      // Under AsyncLocalStorage (async_hooks on Node.js 20) every promise pays for carrying the context.
      fn: () =>
        context.with(parent, async () => {
          for (let i = 0; i < N; i++) await asyncStep();
        }),
      note: 'one op = an async function call and its await (2 promises)',
    },
  ];
  return {
    tasks,
    before: () => {
      if (kind === 'als') {
        manager = new AsyncLocalStorageContextManager().enable();
        context.setGlobalContextManager(manager);
      } else context.disable();
    },
    after: () => {
      context.disable(); // unregisters and disables the manager, so later suites run without async hooks
      void sink;
    },
  };
}

/** Every suite, in the order they run: the no-manager context tasks before anything enables AsyncLocalStorage. */
export function allSuites(): SuiteDef[] {
  return [spanSuite(), attributeSuite(), processorSuite(), otlpSuite(), propagationSuite(), contextSuite('none'), contextSuite('als')];
}

export async function runSuites(options: SuiteOptions): Promise<MicroResult[]> {
  const suites = allSuites();
  const total = suites.reduce((n, s) => n + s.tasks.length, 0);
  const results: MicroResult[] = [];
  let index = 0;
  for (const suite of suites) {
    suite.before?.();
    try {
      for (const task of suite.tasks) {
        options.onTask?.(++index, total, `${task.suite}: ${task.name}`);
        results.push(await runTask(task, options));
      }
    } finally {
      suite.after?.();
    }
  }
  return results;
}

async function runTask(task: TaskDef, options: SuiteOptions): Promise<MicroResult> {
  const bench = new Bench({ time: options.timeMs, warmupTime: options.warmupMs, warmup: options.warmupMs > 0, iterations: 16, warmupIterations: 4, throws: true });
  bench.add(task.name, task.fn);
  await bench.run();
  const result = bench.tasks[0]!.result;
  if (result.state !== 'completed') throw new Error(`micro-benchmark '${task.name}' ended ${result.state}`);
  const nsPerOp = (result.latency.mean * 1e6) / task.opsPerSample;
  return {
    id: task.id,
    suite: task.suite,
    name: task.name,
    nsPerOp,
    opsPerSec: 1e9 / nsPerOp,
    rmePercent: result.latency.rme,
    samples: result.latency.samplesCount,
    opsPerSample: task.opsPerSample,
    ...(task.note ? { note: task.note } : {}),
  };
}

/** The embedded collector's OTLP decoder on 512-span batches from the exporters' own serializer. */
export async function measureCollectorDecode(timeMs: number, warmupMs: number): Promise<CollectorDecodeResult> {
  const BATCH = 512;
  const spans = recordSpans(BATCH, (tracer, n) => emitHandlerTrace(tracer, n));
  const payload = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
  let visited = 0;
  const bench = new Bench({ time: timeMs, warmupTime: warmupMs, warmup: warmupMs > 0, iterations: 16, throws: true });
  bench.add('decode', () => decodeExportTraceRequest(payload, (span) => void (span.endTimeMs > 0 && visited++)));
  await bench.run();
  const result = bench.tasks[0]!.result;
  if (result.state !== 'completed') throw new Error(`collector decode benchmark ended ${result.state}`);
  if (visited === 0 || visited % BATCH !== 0) throw new Error(`the decoder visited ${visited} spans, not a multiple of ${BATCH}`);
  return {
    spansPerSec: (BATCH * 1000) / result.latency.mean,
    rmePercent: result.latency.rme,
    samples: result.latency.samplesCount,
    batchSpans: BATCH,
    payloadBytes: payload.length,
  };
}

