// Open-loop load at a fixed rate with undici: request i is *intended* to start at t0 + i/rate, whether or
// not earlier requests have answered. At most `connections` requests are in flight (one per keep-alive
// connection); a request whose intended time comes while every connection is busy waits in our own FIFO
// and is sent late, keeping its intended time. Latency is recorded twice, in µs: from the intended start
// (coordinated omission corrected: a slow service also delays the requests queued behind it) and from
// the actual send (what a closed-loop client would see).
//
// The scheduler does not drift: each tick reads the clock and dispatches every request that is due
// (catching up after a late tick) instead of arming one timer per request. Its own lag (dispatch −
// intended, for requests that found a free connection) is tracked separately from waits for a busy
// connection, so a generator that cannot keep the rate is reported as such (`generatorWarning`) rather
// than blamed on the service.
//
// Ticks ride Node's timers, whose resolution is 1 ms: without spinning (which would take a core from
// the service on a small machine) dispatches lag their intended time by up to ~1–2 ms, so the default
// lateThresholdMs is 5 ms (at 1 ms, 30–45% of requests counted as late against an idle server); compare
// `late` with `waitedForConnection`. The first run in a process also pays V8's and undici's warm-up
// (llhttp is compiled on the first connection): run a warm-up first, as the harness does.
//
// Every run is bounded: scheduling stops at durationSec (the backlog still waiting is abandoned and
// counted as unsent), each sent request is aborted timeoutSec after its send (a timeout), and a hard
// stop ends the run well past that even if an abort never settles.
import { performance } from 'node:perf_hooks';
import { Client } from 'undici';
import { parseHttpUrl } from '../common/input.ts';
import { createHistogram, encodeHistogram, percentiles, recordUs, type Histogram } from '../measure/histogram.ts';
import type { LoadDriver } from './driver.ts';
import { assertLoadTarget, defaultRequestTimeoutSec } from './target.ts';
import type { OpenLoopResult, SchedulerLag } from '../model/index.ts';

export interface OpenLoopOptions {
  readonly url: string;
  /** Intended requests per second, evenly spaced. */
  readonly ratePerSec: number;
  /** Seconds during which requests are intended (and may be sent). */
  readonly durationSec: number;
  /** Keep-alive connections, one request in flight on each at most. */
  readonly connections: number;
  /** Seconds a sent request may take before it is aborted and counts as a timeout. Default 10. */
  readonly timeoutSec?: number;
  /** A request sent more than this after its intended time counts as late. Default 5 ms (Node's timers tick at about 1 ms). */
  readonly lateThresholdMs?: number;
  /** Allow a target off the loopback range (the user named it). */
  readonly allowRemote?: boolean;
}

export const defaultLateThresholdMs = 5;

/** Grace past durationSec + timeoutSec before the run is stopped from outside. */
const hardStopGraceMs = 5_000;
/** The generator's own lag p99 above this means it could not dispatch on time. */
const schedulerLagWarnMs = 5;
/** Sent rate below this fraction of the target, without a service backlog to blame, means the generator fell short. */
const minSentRateFraction = 0.95;

interface InFlight {
  readonly intendedMs: number;
  readonly sentMs: number;
  readonly controller: AbortController;
  timer?: NodeJS.Timeout;
  timedOut: boolean;
  settled: boolean;
}

function validate(options: OpenLoopOptions): void {
  const { ratePerSec, durationSec, connections, timeoutSec, lateThresholdMs } = options;
  if (!(Number.isFinite(ratePerSec) && ratePerSec > 0)) throw new Error(`open-loop ratePerSec must be a positive number, got ${ratePerSec}`);
  if (!(Number.isFinite(durationSec) && durationSec > 0)) throw new Error(`open-loop durationSec must be a positive number, got ${durationSec}`);
  if (!(Number.isInteger(connections) && connections >= 1)) throw new Error(`open-loop connections must be an integer ≥ 1, got ${connections}`);
  if (timeoutSec !== undefined && !(Number.isFinite(timeoutSec) && timeoutSec > 0)) {
    throw new Error(`open-loop timeoutSec must be a positive number, got ${timeoutSec}`);
  }
  if (lateThresholdMs !== undefined && !(Number.isFinite(lateThresholdMs) && lateThresholdMs >= 0)) {
    throw new Error(`open-loop lateThresholdMs must be a number ≥ 0, got ${lateThresholdMs}`);
  }
  if (!(parseHttpUrl(options.url) instanceof URL)) throw new Error(`open-loop url must be http or https with a host, got ${options.url}`);
}

function lagOf(histogram: Histogram): SchedulerLag {
  if (histogram.totalCount === 0) return { p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
  return {
    p50: histogram.getValueAtPercentile(50) / 1000,
    p99: histogram.getValueAtPercentile(99) / 1000,
    max: histogram.maxValue / 1000,
  };
}

export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  assertLoadTarget(options.url, options.allowRemote ?? false);
  validate(options);
  const { ratePerSec, durationSec, connections } = options;
  const timeoutMs = (options.timeoutSec ?? defaultRequestTimeoutSec) * 1000;
  const lateThresholdMs = options.lateThresholdMs ?? defaultLateThresholdMs;
  const target = new URL(options.url);
  const path = `${target.pathname}${target.search}`;
  const intervalMs = 1000 / ratePerSec;
  // Request i is intended at t0 + i·interval for every i with i·interval < duration (the epsilon keeps
  // 0.1 × 30 from planning a 4th request).
  const intended = Math.max(1, Math.ceil(ratePerSec * durationSec - 1e-9));
  const durationMs = durationSec * 1000;

  // Our timers fire first: undici's own inactivity timeouts are turned off.
  const clients = Array.from(
    { length: connections },
    () => new Client(target.origin, { pipelining: 1, headersTimeout: 0, bodyTimeout: 0 }),
  );
  /** Connections with nothing in flight, oldest-freed first, so every connection stays warm. */
  const free: Client[] = [...clients];
  /** Intended times (ms, performance.now) of due requests waiting for a connection. */
  const backlog: number[] = [];
  let backlogHead = 0;
  const inFlight = new Set<InFlight>();

  const latency = createHistogram();
  const sendLatency = createHistogram();
  const schedulerLag = createHistogram();
  let next = 0;
  let sent = 0;
  let late = 0;
  let waitedForConnection = 0;
  let unsent = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  let scheduling = true;
  let scheduleEndMs = Number.NaN;

  const t0 = performance.now();

  return new Promise<OpenLoopResult>((resolve) => {
    let tickTimer: NodeJS.Timeout | undefined;
    let endTimer: NodeJS.Timeout | undefined;
    let finished = false;

    const settle = (request: InFlight): boolean => {
      if (request.settled) return false;
      request.settled = true;
      clearTimeout(request.timer);
      inFlight.delete(request);
      return true;
    };

    const fail = (request: InFlight) => {
      errors++;
      if (request.timedOut) timeouts++;
    };

    const send = (client: Client, intendedMs: number, waited: boolean) => {
      const sentMs = performance.now();
      const request: InFlight = { intendedMs, sentMs, controller: new AbortController(), timedOut: false, settled: false };
      sent++;
      if (sentMs - intendedMs > lateThresholdMs) late++;
      if (waited) waitedForConnection++;
      else recordUs(schedulerLag, (sentMs - intendedMs) * 1000);
      inFlight.add(request);
      request.timer = setTimeout(() => {
        request.timedOut = true;
        request.controller.abort();
      }, timeoutMs);
      void exchange(client, request);
    };

    const exchange = async (client: Client, request: InFlight) => {
      try {
        const { statusCode, body } = await client.request({ path, method: 'GET', signal: request.controller.signal });
        for await (const _chunk of body) {
          // Read to the end: the response is complete only when its last byte arrived.
        }
        const doneMs = performance.now();
        if (!settle(request)) return;
        if (statusCode >= 200 && statusCode < 300) {
          ok++;
          recordUs(latency, (doneMs - request.intendedMs) * 1000);
          recordUs(sendLatency, (doneMs - request.sentMs) * 1000);
        } else {
          non2xx++;
        }
      } catch {
        if (!settle(request)) return;
        fail(request);
      }
      onConnectionFree(client);
    };

    const onConnectionFree = (client: Client) => {
      if (finished) return;
      if (scheduling && backlogHead < backlog.length) {
        send(client, backlog[backlogHead++]!, true);
      } else {
        free.push(client);
        maybeFinish();
      }
    };

    /** Dispatches every request that is due by now; re-arms itself for the next one. */
    const tick = () => {
      tickTimer = undefined;
      const now = performance.now();
      while (next < intended && t0 + next * intervalMs <= now) {
        const intendedMs = t0 + next * intervalMs;
        next++;
        if (backlogHead === backlog.length && free.length > 0) send(free.shift()!, intendedMs, false);
        else backlog.push(intendedMs);
      }
      if (backlogHead > 1024 && backlogHead * 2 > backlog.length) {
        backlog.splice(0, backlogHead);
        backlogHead = 0;
      }
      if (next < intended) {
        tickTimer = setTimeout(tick, Math.max(0, t0 + next * intervalMs - performance.now()));
      } else {
        // Every request is due; the backlog may still drain until the window closes.
        endTimer = setTimeout(stopScheduling, Math.max(0, t0 + durationMs - performance.now()));
      }
    };

    const stopScheduling = () => {
      endTimer = undefined;
      scheduling = false;
      scheduleEndMs = performance.now();
      unsent = backlog.length - backlogHead;
      backlog.length = 0;
      backlogHead = 0;
      maybeFinish();
    };

    const maybeFinish = () => {
      if (!scheduling && inFlight.size === 0) finish();
    };

    const hardStop = setTimeout(() => {
      if (scheduling) stopScheduling();
      for (const request of [...inFlight]) {
        request.timedOut = true;
        request.controller.abort();
        settle(request);
        fail(request);
      }
      finish();
    }, durationMs + timeoutMs + hardStopGraceMs);

    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(hardStop);
      clearTimeout(tickTimer);
      clearTimeout(endTimer);
      for (const client of clients) client.destroy().catch(() => {});
      resolve(summarize());
    };

    const summarize = (): OpenLoopResult => {
      const windowSec = Math.max(durationMs, scheduleEndMs - t0) / 1000;
      const sentRatePerSec = sent / windowSec;
      const lag = lagOf(schedulerLag);
      const warnings: string[] = [];
      if (lag.p99 > schedulerLagWarnMs) {
        warnings.push(`the load generator dispatched late on its own (scheduler lag p99 ${lag.p99.toFixed(1)} ms, max ${lag.max.toFixed(1)} ms)`);
      }
      // Requests abandoned in the backlog are the service's doing; the rest of a shortfall is ours.
      const generatorRate = (sent + unsent) / windowSec;
      if (generatorRate < minSentRateFraction * ratePerSec) {
        warnings.push(
          `the load generator reached only ${generatorRate.toFixed(1)} of ${ratePerSec} req/s ` +
            `(its ${durationSec} s window stretched to ${windowSec.toFixed(2)} s)`,
        );
      }
      return {
        kind: 'open',
        durationSec,
        requests: ok,
        requestsPerSec: ok / durationSec,
        errors,
        timeouts,
        non2xx,
        latencyMs: percentiles(latency, 1000),
        latencyHistogram: encodeHistogram(latency),
        sendLatencyMs: percentiles(sendLatency, 1000),
        sendLatencyHistogram: encodeHistogram(sendLatency),
        targetRatePerSec: ratePerSec,
        sentRatePerSec,
        intended,
        sent,
        late,
        waitedForConnection,
        unsent,
        schedulerLagMs: lag,
        ...(warnings.length > 0 ? { generatorWarning: `${warnings.join('; ')}: the target rate was not applied, results understate the load` } : {}),
      };
    };

    tick();
  });
}

export const openLoopDriver: LoadDriver = {
  needsRate: true,
  run(target, settings) {
    if (settings.ratePerSec === undefined) throw new Error('the open-loop driver needs a rate: load.rate or --rate');
    // A count of requests at a fixed rate is a duration.
    const durationSec = settings.requests === undefined ? settings.durationSec : Math.min(settings.durationSec, settings.requests / settings.ratePerSec);
    return runOpenLoop({ ...target, connections: settings.connections, durationSec, ratePerSec: settings.ratePerSec });
  },
};
