// Jaeger's remote sampling endpoint, embedded: GET /sampling?service=NAME answers the service's strategy
// from a strategies file in Jaeger's format, with the same bytes a Jaeger v2 gives (see
// sampling-strategies.ts), so jaeger_remote variants run without a Jaeger. Binds 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseJaegerRemoteArg } from '../tracing/samplers/jaeger-remote.ts';
import { encodeStrategy, jaegerDefaultStrategies, strategyFor, type SamplingStrategies } from './sampling-strategies.ts';

export interface SamplingServerOptions {
  readonly strategies?: SamplingStrategies;
  /** Shown in the run document; the server reads nothing itself. */
  readonly strategiesFile?: string | null;
  readonly host?: string;
  readonly port?: number;
}

export class SamplingServer {
  /** Answers served, per service name asked for. */
  private readonly answered = new Map<string, number>();
  private readonly waiters: { service: string; count: number; resolve: () => void }[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly strategies: SamplingStrategies,
    readonly strategiesFile: string | null,
    /** The base URL a sampler is given, e.g. http://127.0.0.1:41234/sampling. */
    readonly endpoint: string,
  ) {}

  static async start(options: SamplingServerOptions = {}): Promise<SamplingServer> {
    const host = options.host ?? '127.0.0.1';
    const strategies = options.strategies ?? jaegerDefaultStrategies;
    let self: SamplingServer | undefined;
    const server = http.createServer((req, res) => self!.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    self = new SamplingServer(server, strategies, options.strategiesFile ?? null, `http://${host}:${port}/sampling`);
    return self;
  }

  // Jaeger v2 mounts its handler at "/", so it answers any path and method; so does this one.
  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let services: string[];
    try {
      services = new URL(req.url ?? '/', 'http://x').searchParams.getAll('service');
    } catch {
      // A target WHATWG URL cannot parse (e.g. "//["): a bad request, not a crash of the run.
      const body = 'request target is not a valid URL: use /sampling?service=NAME\n';
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    if (services.length !== 1) {
      // Go's http.Error, as Jaeger sends it.
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end("'service' parameter must be provided once\n");
      return;
    }
    const body = encodeStrategy(strategyFor(this.strategies, services[0]));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
    const count = (this.answered.get(services[0]) ?? 0) + 1;
    this.answered.set(services[0], count);
    for (const w of this.waiters.filter((w) => w.service === services[0] && w.count <= count)) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve();
    }
  }

  /** Answers served so far, per service. */
  polls(): Record<string, number> {
    return Object.fromEntries(this.answered);
  }

  /** Resolves once `count` answers have gone to `service` (bounded by the caller). */
  answeredAtLeast(service: string, count: number): Promise<void> {
    if ((this.answered.get(service) ?? 0) >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ service, count, resolve }));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** True for a variant whose remote sampler the run points at an embedded sampling server. */
export function needsSamplingServer(env: Readonly<Record<string, string>>): boolean {
  return env.OTEL_TRACES_SAMPLER?.trim() === 'jaeger_remote' && parseJaegerRemoteArg(env.OTEL_TRACES_SAMPLER_ARG).endpoint === undefined;
}
