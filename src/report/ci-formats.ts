// Results in formats CI tools already read: github-action-benchmark's customSmallerIsBetter /
// customBiggerIsBetter JSON, and Bencher Metric Format.
import { json } from './format.ts';
import type { Output } from './output.ts';
import type { MetricComparison, RunDocument } from '../model/index.ts';

export interface BenchmarkActionEntry {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly range?: string;
  readonly extra?: string;
}

function entry(run: RunDocument, variant: string, what: string, unit: string, m: MetricComparison, digits = 1): BenchmarkActionEntry {
  const e = m.estimate;
  const halfWidth = Math.max(e.high - e.median, e.median - e.low);
  const change = m.change ? `; ${((m.change.ratio - 1) * 100).toFixed(1)}% vs ${run.baseline}` : '';
  return {
    name: `${run.scenario.name}: ${variant} ${what}`,
    unit,
    value: Number(e.median.toFixed(digits)),
    range: Number.isFinite(halfWidth) ? `± ${halfWidth.toFixed(digits)}` : undefined,
    extra: `median of ${e.n} trials, ${(e.confidence * 100).toFixed(1)}% CI${change}`,
  };
}

/** github-action-benchmark input, split by direction as its two custom tools expect. */
export function benchmarkActionJson(run: RunDocument): { smallerIsBetter: BenchmarkActionEntry[]; biggerIsBetter: BenchmarkActionEntry[] } {
  const smallerIsBetter: BenchmarkActionEntry[] = [];
  const biggerIsBetter: BenchmarkActionEntry[] = [];
  for (const v of run.variants) {
    const c = v.comparison;
    smallerIsBetter.push(entry(run, v.name, 'CPU per request', 'µs', c.cpuUsPerRequest));
    smallerIsBetter.push(entry(run, v.name, 'server p99', 'µs', c.serverTimeP99, 0));
    smallerIsBetter.push(entry(run, v.name, 'client p99', 'ms', c.clientLatencyP99, 2));
    biggerIsBetter.push(entry(run, v.name, 'throughput', 'req/s', c.requestsPerSec));
    if (v.summary.deliveryRatio !== null) {
      biggerIsBetter.push({ name: `${run.scenario.name}: ${v.name} delivery`, unit: '%', value: Number((v.summary.deliveryRatio * 100).toFixed(3)) });
    }
  }
  return { smallerIsBetter, biggerIsBetter };
}

type BencherMeasure = { value: number; lower_value?: number; upper_value?: number };

/** Bencher Metric Format: {benchmark: {measure: {value, lower_value, upper_value}}}. */
export function bencherMetricFormat(run: RunDocument): Record<string, Record<string, BencherMeasure>> {
  const measure = (m: MetricComparison): BencherMeasure => ({ value: m.estimate.median, lower_value: m.estimate.low, upper_value: m.estimate.high });
  const out: Record<string, Record<string, BencherMeasure>> = {};
  for (const v of run.variants) {
    const c = v.comparison;
    out[`${run.scenario.name}/${v.name}`] = {
      'cpu-us-per-request': measure(c.cpuUsPerRequest),
      'requests-per-second': measure(c.requestsPerSec),
      'server-p99-us': measure(c.serverTimeP99),
      'client-p99-ms': measure(c.clientLatencyP99),
      ...(v.summary.deliveryRatio !== null ? { 'delivery-ratio': { value: v.summary.deliveryRatio } } : {}),
    };
  }
  return out;
}

export const benchmarkActionSmaller: Output = {
  target: { file: 'benchmark-action-smaller.json' },
  render: ({ run }) => json(benchmarkActionJson(run).smallerIsBetter),
};

export const benchmarkActionBigger: Output = {
  target: { file: 'benchmark-action-bigger.json' },
  render: ({ run }) => json(benchmarkActionJson(run).biggerIsBetter),
};

export const bencherJson: Output = { target: { file: 'bmf.json' }, render: ({ run }) => json(bencherMetricFormat(run)) };
