// In-process OTLP trace receiver, over gRPC and over HTTP (otlp-http-receiver.ts): counts what the
// exporters under test deliver, without an external collector. Payloads stay raw Buffers (identity
// (de)serializers, no proto loading) and are read by the hand-written decoders.
import * as grpc from '@grpc/grpc-js';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createHistogram, encodeHistogram, percentiles, recordUs, type Histogram } from '../measure/histogram.ts';
import { InputError } from '../common/input.ts';
import { closeWithin } from './close-within.ts';
import { decodeExportTraceRequest, type DecodedSpan } from './otlp-decode.ts';
import { OtlpHttpReceiver, type ExportDecoder } from './otlp-http-receiver.ts';
import type { CollectorSnapshot } from '../model/index.ts';

export interface EmbeddedCollectorOptions {
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Port to bind; default 0 (a free port chosen by the OS). */
  port?: number;
  /** Port of the OTLP/HTTP receiver, on the same host; default 0 (a free port). */
  httpPort?: number;
  /**
   * Milliseconds to hold each answer after counting the request: a backend that is far away or busy.
   * The BatchSpanProcessor has one export in flight at a time, so this sets how fast its queue drains.
   */
  responseDelayMs?: number;
}

export class PortInUseError extends InputError {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`port ${port} on ${host} is already in use: stop what holds it or choose another port`);
    this.name = 'PortInUseError';
  }
}

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
/** An empty ExportTraceServiceResponse serializes to zero bytes. */
const EMPTY_RESPONSE = Buffer.alloc(0);
const SHUTDOWN_GRACE_MS = 2000;

const identity = (b: Buffer): Buffer => b;

const traceServiceDefinition: grpc.ServiceDefinition = {
  Export: {
    path: EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

interface TraceState {
  spanIds: Set<string>;
  /** Parent ids as referenced by the spans, duplicates included; resolved only in snapshot(). */
  parentIds: string[];
  roots: number;
}

/** Bracket IPv6 literals for use in an address or URL. */
function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Fails with PortInUseError when a fixed port is taken, before grpc-js logs its own bind error. */
function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(host, port) : err),
    );
    probe.listen({ host, port }, () => probe.close(() => resolve()));
  });
}

/** Counting state of one collector; receives whole requests from the gRPC handler and the HTTP receiver. */
class TraceTally {
  private requests = 0;
  private spans = 0;
  private bytes = 0;
  private rootSpans = 0;
  private decodeErrors = 0;
  private traces = new Map<string, TraceState>();
  private readonly lagUs: Histogram = createHistogram();
  /**
   * Spans of the request being decoded. A request is counted only once it has decoded completely,
   * so a rejected request leaves no partial counts; the slots are reused across requests.
   */
  private readonly pending: DecodedSpan[] = [];
  private pendingCount = 0;
  private readonly stage = (span: DecodedSpan): void => {
    const slot = this.pending[this.pendingCount];
    if (slot === undefined) this.pending.push({ ...span });
    else {
      slot.traceId = span.traceId;
      slot.spanId = span.spanId;
      slot.parentSpanId = span.parentSpanId;
      slot.endTimeMs = span.endTimeMs;
    }
    this.pendingCount++;
  };

  readonly handleExport = (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>): void => {
    // Same clock as the OTel SDK's span timestamps (timeOrigin + performance.now()), at µs resolution.
    const error = this.receive(call.request, decodeExportTraceRequest, performance.timeOrigin + performance.now());
    if (error === null) callback(null, EMPTY_RESPONSE);
    else callback({ code: grpc.status.INVALID_ARGUMENT, details: error.message });
  };

  /** One request's payload (decompressed), whatever its transport: counted whole, or only as a decode error. */
  readonly receive = (payload: Buffer, decode: ExportDecoder, receivedMs: number): Error | null => {
    this.pendingCount = 0;
    try {
      decode(payload, this.stage);
    } catch (err) {
      this.decodeErrors++;
      return err as Error;
    }
    this.requests++;
    this.bytes += payload.length;
    this.spans += this.pendingCount;
    for (let i = 0; i < this.pendingCount; i++) this.count(this.pending[i]!, receivedMs);
    return null;
  };

  /** A request the HTTP receiver turned away unread (content type, encoding, size): malformed too. */
  readonly reject = (): void => {
    this.decodeErrors++;
  };

  private count(span: DecodedSpan, receivedMs: number): void {
    let trace = this.traces.get(span.traceId);
    if (trace === undefined) {
      trace = { spanIds: new Set(), parentIds: [], roots: 0 };
      this.traces.set(span.traceId, trace);
    }
    trace.spanIds.add(span.spanId);
    if (span.parentSpanId === '') {
      trace.roots++;
      this.rootSpans++;
    } else {
      trace.parentIds.push(span.parentSpanId);
    }
    recordUs(this.lagUs, (receivedMs - span.endTimeMs) * 1000);
  }

  snapshot(): CollectorSnapshot {
    let completeTraces = 0;
    for (const trace of this.traces.values()) {
      if (trace.roots === 1 && trace.parentIds.every((id) => trace.spanIds.has(id))) completeTraces++;
    }
    const lag = percentiles(this.lagUs, 1000);
    return {
      requests: this.requests,
      spans: this.spans,
      bytes: this.bytes,
      traces: this.traces.size,
      completeTraces,
      rootSpans: this.rootSpans,
      decodeErrors: this.decodeErrors,
      exportLagMs: { p50: lag.p50, p99: lag.p99 },
      exportLagHistogram: encodeHistogram(this.lagUs),
    };
  }

  reset(): void {
    this.requests = 0;
    this.spans = 0;
    this.bytes = 0;
    this.rootSpans = 0;
    this.decodeErrors = 0;
    this.traces = new Map();
    this.lagUs.reset();
  }
}

export class EmbeddedCollector {
  /** The OTLP/gRPC endpoint, e.g. http://127.0.0.1:4317. */
  readonly endpoint: string;
  /** The OTLP/HTTP base URL, e.g. http://127.0.0.1:4318: the SDK appends /v1/traces to it. */
  readonly httpEndpoint: string;

  private constructor(
    private readonly server: grpc.Server,
    private readonly http: OtlpHttpReceiver,
    private readonly tally: TraceTally,
    readonly host: string,
    readonly port: number,
  ) {
    this.endpoint = `http://${hostPort(host, port)}`;
    this.httpEndpoint = `http://${hostPort(host, http.port)}`;
  }

  /** The OTLP/HTTP receiver's port. */
  get httpPort(): number {
    return this.http.port;
  }

  /** Binds and starts serving; rejects with PortInUseError when a fixed port is taken. */
  static async start(options: EmbeddedCollectorOptions = {}): Promise<EmbeddedCollector> {
    const host = options.host ?? '127.0.0.1';
    const requestedPort = options.port ?? 0;
    const requestedHttpPort = options.httpPort ?? 0;
    if (requestedPort !== 0) await assertPortFree(host, requestedPort);

    const tally = new TraceTally();
    const server = new grpc.Server();
    const delayMs = options.responseDelayMs ?? 0;
    const answer: grpc.handleUnaryCall<Buffer, Buffer> =
      delayMs > 0
        ? (call, callback) => tally.handleExport(call, (error, value) => setTimeout(() => callback(error, value), delayMs))
        : tally.handleExport;
    server.addService(traceServiceDefinition, { Export: answer });
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(hostPort(host, requestedPort), grpc.ServerCredentials.createInsecure(), (err, boundPort) => {
        if (err === null) resolve(boundPort);
        // Someone may have taken the port between the probe and the bind.
        else reject(/EADDRINUSE/.test(err.message) ? new PortInUseError(host, requestedPort) : err);
      });
    });
    let http: OtlpHttpReceiver;
    try {
      http = await OtlpHttpReceiver.start({ host, port: requestedHttpPort, responseDelayMs: delayMs, receive: tally.receive, reject: tally.reject });
    } catch (err) {
      server.forceShutdown();
      throw (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? new PortInUseError(host, requestedHttpPort) : err;
    }
    return new EmbeddedCollector(server, http, tally, host, port);
  }

  snapshot(): CollectorSnapshot {
    return this.tally.snapshot();
  }

  /** Zeroes every counter, e.g. between trials. */
  reset(): void {
    this.tally.reset();
  }

  /** Graceful shutdown of both receivers, forced after SHUTDOWN_GRACE_MS if clients keep calls open. */
  async stop(): Promise<void> {
    await Promise.all([
      closeWithin(SHUTDOWN_GRACE_MS, (done) => this.server.tryShutdown(done), () => this.server.forceShutdown()),
      this.http.stop(SHUTDOWN_GRACE_MS),
    ]);
  }
}
