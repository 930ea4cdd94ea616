// Jaeger's rate-limiting sampler: at most N new traces per second, decided at the root. The JS remote
// sampler (@opentelemetry/sampler-jaeger-remote) ignores RATE_LIMITING strategies, so tracetax carries
// its own, after Jaeger's clients (jaeger-client-java/-go RateLimiter; OpenTelemetry Java's
// jaeger-remote RateLimitingSampler): a token bucket that earns maxTracesPerSecond credits per second,
// holds at most max(maxTracesPerSecond, 1) and starts full; each sampled trace costs one credit.
import type { Attributes } from '@opentelemetry/api';
import { ParentBasedSampler, SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace-base';
import { TracingConfigError } from '../defaults.ts';
import type { SamplerEntry } from './entry.ts';
import type { SamplerConfig } from '../../model/index.ts';

/** Milliseconds from any fixed origin (performance.now by default); injected by tests. */
export type Clock = () => number;

export class RateLimiter {
  private balance: number;
  private lastTick: number;

  constructor(
    private readonly creditsPerSecond: number,
    private readonly maxBalance: number,
    private readonly now: Clock,
  ) {
    this.balance = maxBalance;
    this.lastTick = now();
  }

  /** Spends `cost` credits if there are that many, after crediting the time since the last call. */
  checkCredit(cost = 1): boolean {
    const now = this.now();
    // A clock that steps back earns nothing rather than a negative balance.
    const elapsedMs = Math.max(0, now - this.lastTick);
    this.lastTick = now;
    this.balance = Math.min(this.maxBalance, this.balance + (elapsedMs * this.creditsPerSecond) / 1000);
    if (this.balance < cost) return false;
    this.balance -= cost;
    return true;
  }
}

/**
 * Samples a new trace while the bucket has a credit. Use it as a ParentBasedSampler's root, so that
 * children follow the root's decision and a trace costs one credit, not one per span.
 */
export class RateLimitingSampler implements Sampler {
  private readonly limiter: RateLimiter;
  // The tags Jaeger's clients put on a sampled root span (sampler.type, sampler.param).
  private readonly attributes: Attributes;

  constructor(
    readonly maxTracesPerSecond: number,
    now: Clock = () => performance.now(),
  ) {
    if (!(maxTracesPerSecond > 0) || !Number.isFinite(maxTracesPerSecond)) {
      throw new RangeError(`maxTracesPerSecond must be a positive number, got ${maxTracesPerSecond}`);
    }
    this.limiter = new RateLimiter(maxTracesPerSecond, Math.max(maxTracesPerSecond, 1), now);
    this.attributes = { 'sampler.type': 'ratelimiting', 'sampler.param': maxTracesPerSecond };
  }

  shouldSample(): SamplingResult {
    return this.limiter.checkCredit(1)
      ? { decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: this.attributes }
      : { decision: SamplingDecision.NOT_RECORD };
  }

  toString(): string {
    return `RateLimitingSampler{${this.maxTracesPerSecond}}`;
  }
}

/** OTEL_TRACES_SAMPLER_ARG: the most new traces per second (Jaeger's maxTracesPerSecond); required. */
function parseTracesPerSecond(arg: string | undefined): number {
  const raw = arg?.trim();
  const value = Number(raw);
  if (raw === undefined || raw === '' || !Number.isFinite(value) || value <= 0) {
    throw new TracingConfigError(
      `OTEL_TRACES_SAMPLER_ARG=${raw ?? ''} is not traces per second for tracetax_ratelimiting: give a positive number, e.g. 50`,
    );
  }
  return value;
}

export const rateLimiting: SamplerEntry<Extract<SamplerConfig, { name: 'tracetax_ratelimiting' }>> = {
  name: 'tracetax_ratelimiting',
  fromArg: (arg) => ({ name: 'tracetax_ratelimiting', tracesPerSecond: parseTracesPerSecond(arg) }),
  // Decided at the root; children follow their parent, so a trace costs one credit.
  create: (config) => new ParentBasedSampler({ root: new RateLimitingSampler(config.tracesPerSecond) }),
  describe: (config) => `tracetax_ratelimiting(${config.tracesPerSecond}/s)`,
};
