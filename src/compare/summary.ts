// A variant's trials → one summary. Throughput and CPU are medians across trials (robust to one noisy
// trial); latency percentiles come from the trials' HDR histograms merged; span counts are sums.
import type { TrialResult } from '../run/trial.ts';
import { mergeEncoded, percentiles, type Percentiles } from '../measure/histogram.ts';

export interface SpanTotals {
  started: number;
  sampled: number;
  ended: number;
  /** Ended spans never handed to the exporter: dropped by a full queue (or left queued when a flush timed out). */
  dropped: number;
  exported: number;
  exportFailed: number;
  /** Spans the embedded collector received; null when the endpoint is not ours. */
  received: number | null;
}

export interface VariantSummary {
  readonly trials: number;
  readonly requestsPerSec: number;
  readonly clientLatencyMs: Percentiles;
  readonly serverTimeUs: Percentiles;
  readonly cpuUsPerRequest: number;
  readonly eventLoopUtilization: number;
  readonly peakRssBytes: number;
  readonly peakHeapUsedBytes: number;
  /** Client-side failures in the measured windows: errors (timeouts included) and non-2xx. */
  readonly failedRequests: number;
  /** Frontend requests over the services' whole lives, the denominator of the span counts. */
  readonly requests: number;
  readonly spansPerRequest: number;
  readonly sampledTraces: number;
  readonly spans: SpanTotals;
  /** received / ended; null when nothing was sampled or what arrived is not known. */
  readonly deliveryRatio: number | null;
  /** Spans received per second of load (warm-up and measured window). */
  readonly receivedSpansPerSec: number | null;
  readonly exportLagMs: { p50: number; p99: number } | null;
  /** False when a trial's flush on shutdown ran out of time. */
  readonly allFlushed: boolean;
}

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

export function summarizeVariant(trials: readonly TrialResult[], loadedSecondsPerTrial: number): VariantSummary {
  const spansOf = (pick: (t: TrialResult) => number) => sum(trials.map(pick));
  const collectors = trials.map((t) => t.collector);
  const received = collectors.every((c) => c !== null) ? sum(collectors.map((c) => c!.spans)) : null;
  const started = spansOf((t) => t.final.spans.started);
  const ended = spansOf((t) => t.final.spans.ended);
  const requests = spansOf((t) => t.final.requests);
  const lag = received !== null && received > 0 ? percentiles(mergeEncoded(collectors.map((c) => c!.exportLagHistogram)), 1000) : null;
  return {
    trials: trials.length,
    requestsPerSec: median(trials.map((t) => t.load.requestsPerSec)),
    clientLatencyMs: percentiles(mergeEncoded(trials.map((t) => t.load.latencyHistogram)), 1000),
    serverTimeUs: percentiles(mergeEncoded(trials.map((t) => t.window.serverTimeHistogram))),
    cpuUsPerRequest: median(trials.map((t) => t.cpuUsPerRequest)),
    eventLoopUtilization: median(trials.map((t) => t.window.cost.eventLoopUtilization)),
    peakRssBytes: Math.max(...trials.map((t) => t.window.cost.peakRssBytes)),
    peakHeapUsedBytes: Math.max(...trials.map((t) => t.window.cost.peakHeapUsedBytes)),
    failedRequests: spansOf((t) => t.load.errors + t.load.non2xx),
    requests,
    spansPerRequest: requests > 0 ? started / requests : Number.NaN,
    sampledTraces: spansOf((t) => t.final.spans.sampledRoots),
    spans: {
      started,
      sampled: spansOf((t) => t.final.spans.sampled),
      ended,
      dropped: ended - spansOf((t) => t.final.spans.handedToExporter),
      exported: spansOf((t) => t.final.spans.exported),
      exportFailed: spansOf((t) => t.final.spans.exportFailed),
      received,
    },
    deliveryRatio: received !== null && ended > 0 ? received / ended : null,
    receivedSpansPerSec: received === null ? null : received / (loadedSecondsPerTrial * trials.length),
    exportLagMs: lag ? { p50: lag.p50, p99: lag.p99 } : null,
    allFlushed: trials.every((t) => t.final.flushed),
  };
}

/** Relative change of `value` against `base`, in percent. */
export function percentChange(value: number, base: number): number {
  return ((value - base) / base) * 100;
}

/** Change against the baseline in percent, per metric; every one is paired by round (see pairedChange). */
export interface ChangeVsBaseline {
  readonly requestsPerSec: number;
  readonly clientLatencyP50: number;
  readonly clientLatencyP99: number;
  readonly serverTimeP50: number;
  readonly serverTimeP99: number;
  readonly cpuUsPerRequest: number;
}

/**
 * The median, over rounds, of the variant's value divided by the baseline's in the same round, as a
 * change in percent. Trials are interleaved, so a round's trials ran minutes apart at most: pairing
 * them cancels the slow drift of a shared machine that unpaired medians would keep.
 */
export function pairedChange(trials: readonly TrialResult[], baseline: readonly TrialResult[], metric: (t: TrialResult) => number): number {
  const baseByRound = new Map(baseline.map((t) => [t.trial, metric(t)]));
  const ratios = trials
    .map((t) => metric(t) / (baseByRound.get(t.trial) ?? Number.NaN))
    .filter((r) => Number.isFinite(r));
  return (median(ratios) - 1) * 100;
}

export function changeVsBaseline(trials: readonly TrialResult[], baseline: readonly TrialResult[]): ChangeVsBaseline {
  const change = (metric: (t: TrialResult) => number) => pairedChange(trials, baseline, metric);
  return {
    requestsPerSec: change((t) => t.load.requestsPerSec),
    clientLatencyP50: change((t) => t.load.latencyMs.p50),
    clientLatencyP99: change((t) => t.load.latencyMs.p99),
    serverTimeP50: change((t) => t.serverTimeUs.p50),
    serverTimeP99: change((t) => t.serverTimeUs.p99),
    cpuUsPerRequest: change((t) => t.cpuUsPerRequest),
  };
}
