// Closed-loop saturation load with autocannon: N connections, each sending its next request as soon as
// the previous one answered. Latency is recorded per response from autocannon's fractional-ms timer into
// our own µs HDR histogram (autocannon's own histogram keeps whole milliseconds only).
import autocannon from 'autocannon';
import { createHistogram, encodeHistogram, percentiles, recordUs } from '../measure/histogram.ts';
import type { LoadDriver } from './driver.ts';
import { assertLoadTarget, defaultRequestTimeoutSec } from './target.ts';
import type { ClosedLoopResult } from '../model/index.ts';

export interface ClosedLoopOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationSec: number;
  /** Stop after this many requests instead (durationSec then bounds the run). */
  readonly requests?: number;
  /** Seconds a request may take before it counts as a timeout. */
  readonly timeoutSec?: number;
  /** Allow a target off the loopback range (the user named it). */
  readonly allowRemote?: boolean;
}

/** Grace past the planned duration before the run is stopped from outside: every run ends by itself. */
const hardStopGraceMs = 15_000;

export function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  assertLoadTarget(options.url, options.allowRemote ?? false);
  const latency = createHistogram();
  let ok = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSec,
        ...(options.requests === undefined ? {} : { amount: options.requests }),
        timeout: options.timeoutSec ?? defaultRequestTimeoutSec,
      },
      (error: Error | null, result: autocannon.Result) => {
        clearTimeout(hardStop);
        if (error) return reject(error);
        resolve({
          kind: 'closed',
          durationSec: result.duration,
          requests: ok,
          requestsPerSec: ok / result.duration,
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          latencyMs: percentiles(latency, 1000),
          latencyHistogram: encodeHistogram(latency),
        });
      },
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
      if (statusCode >= 200 && statusCode < 300) {
        ok++;
        recordUs(latency, responseTimeMs * 1000);
      }
    });
    // autocannon ignores the duration when it counts requests: the bound is then durationSec itself.
    const hardStop = setTimeout(() => instance.stop(), options.durationSec * 1000 + (options.requests === undefined ? hardStopGraceMs : 0));
  });
}

export const closedLoopDriver: LoadDriver = {
  needsRate: false,
  run: (target, settings) => runClosedLoop({ ...target, connections: settings.connections, durationSec: settings.durationSec, requests: settings.requests }),
};
