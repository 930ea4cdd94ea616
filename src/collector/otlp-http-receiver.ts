// OTLP/HTTP transport of the embedded collector: POST /v1/traces in binary protobuf or JSON, plain or
// gzip. It only reads bodies and answers; the counting is the caller's `receive`, shared with gRPC.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { gunzip } from 'node:zlib';
import { closeWithin } from './close-within.ts';
import { decodeExportTraceJson } from './otlp-json-decode.ts';
import { decodeExportTraceRequest, type SpanVisitor } from './otlp-decode.ts';

/** Either decoder: visits every span of a payload, throws on a malformed one. */
export type ExportDecoder = (payload: Uint8Array, visit: SpanVisitor) => number;

/**
 * Counts one decoded-to-be request, all or nothing: null when counted, the decoder's error when the
 * payload was rejected (and counted as a decode error). `receivedMs` is on the SDK's span clock.
 */
export type ExportReceiver = (payload: Buffer, decode: ExportDecoder, receivedMs: number) => Error | null;

export interface OtlpHttpReceiverOptions {
  readonly host: string;
  readonly port: number;
  readonly responseDelayMs: number;
  readonly receive: ExportReceiver;
  /** Counts a request on /v1/traces rejected before decoding (bad type, encoding or size), like a decode error. */
  readonly reject: () => void;
}

export const OTLP_HTTP_TRACES_PATH = '/v1/traces';
/** The OpenTelemetry Collector's default limit on a request body, compressed or not. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;
/** google.rpc.Code INVALID_ARGUMENT, for the Status body of a 400. */
const INVALID_ARGUMENT = 3;

type Encoding = { readonly contentType: string; readonly decode: ExportDecoder; readonly ok: Buffer; status(message: string): Buffer };

const protobuf: Encoding = {
  contentType: 'application/x-protobuf',
  decode: decodeExportTraceRequest,
  // An empty ExportTraceServiceResponse serializes to zero bytes.
  ok: Buffer.alloc(0),
  status(message) {
    // google.rpc.Status { int32 code = 1; string message = 2; }, written by hand like the decoder.
    const text = Buffer.from(message);
    return Buffer.concat([Buffer.from([0x08, INVALID_ARGUMENT, 0x12]), varint(text.length), text]);
  },
};

const json: Encoding = {
  contentType: 'application/json',
  decode: decodeExportTraceJson,
  ok: Buffer.from('{}'),
  status: (message) => Buffer.from(JSON.stringify({ code: INVALID_ARGUMENT, message })),
};

function varint(value: number): Buffer {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

/** The request's encoding from its Content-Type's media type (parameters such as charset ignored). */
function encodingOf(req: IncomingMessage): Encoding | undefined {
  const media = req.headers['content-type']?.split(';')[0]!.trim().toLowerCase();
  return media === protobuf.contentType ? protobuf : media === json.contentType ? json : undefined;
}

class RequestRejected extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new RequestRejected(413, `body larger than ${MAX_BODY_BYTES} bytes`));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}

/** The payload as sent: gunzipped when the body is gzip; the size limit applies to the payload too. */
function decompress(body: Buffer, contentEncoding: string | undefined): Promise<Buffer> {
  const coding = contentEncoding?.trim().toLowerCase() || 'identity';
  if (coding === 'identity') return Promise.resolve(body);
  if (coding !== 'gzip') return Promise.reject(new RequestRejected(415, `Content-Encoding ${coding} is not supported: use gzip or none`));
  return new Promise((resolve, reject) =>
    gunzip(body, { maxOutputLength: MAX_BODY_BYTES }, (err, payload) =>
      err ? reject(new RequestRejected(400, `gzip body does not decompress: ${err.message}`)) : resolve(payload),
    ),
  );
}

export class OtlpHttpReceiver {
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Binds and starts serving; rejects with the listen error (EADDRINUSE when a fixed port is taken). */
  static async start(options: OtlpHttpReceiverOptions): Promise<OtlpHttpReceiver> {
    const handle = (req: IncomingMessage, res: ServerResponse): void => {
      const answer = (statusCode: number, contentType: string, body: Buffer, delay: boolean): void => {
        const send = () => res.writeHead(statusCode, { 'Content-Type': contentType, 'Content-Length': body.length }).end(body);
        if (delay && options.responseDelayMs > 0) setTimeout(send, options.responseDelayMs);
        else send();
      };
      const path = req.url?.split('?')[0];
      if (path !== OTLP_HTTP_TRACES_PATH) return answer(404, 'text/plain', Buffer.from(`not found: POST to ${OTLP_HTTP_TRACES_PATH}`), false);
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        return answer(405, 'text/plain', Buffer.from(`method ${req.method} not allowed: use POST`), false);
      }
      const encoding = encodingOf(req);
      readBody(req)
        .then((body) => {
          // Counted from the moment the whole body is in, as the gRPC handler's call is.
          const receivedMs = performance.timeOrigin + performance.now();
          if (encoding === undefined) {
            throw new RequestRejected(415, `Content-Type ${req.headers['content-type'] ?? '(none)'} is not supported: use application/x-protobuf or application/json`);
          }
          return decompress(body, req.headers['content-encoding']).then((payload) => {
            const error = options.receive(payload, encoding.decode, receivedMs);
            if (error === null) answer(200, encoding.contentType, encoding.ok, true);
            else answer(400, encoding.contentType, encoding.status(error.message), true);
          });
        })
        .catch((err: Error) => {
          if (!(err instanceof RequestRejected)) {
            // The client went away mid-body: nobody is left to answer.
            res.destroy();
            return;
          }
          options.reject();
          const reply = encoding ?? json;
          answer(err.statusCode, reply.contentType, reply.status(err.message), true);
        });
    };
    const server = createServer(handle);
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: options.host, port: options.port }, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
    return new OtlpHttpReceiver(server, port);
  }

  /** Stops accepting; open requests may finish for `graceMs`, then every connection is dropped. */
  stop(graceMs: number): Promise<void> {
    const closing = closeWithin(graceMs, (done) => this.server.close(() => done()), () => this.server.closeAllConnections());
    // Exporters keep connections alive between exports; idle ones would hold close() open.
    this.server.closeIdleConnections();
    return closing;
  }
}
