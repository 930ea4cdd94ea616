// HDR histograms for latencies. Kept encoded (compressed base64) in run.json so trials and runs can be
// merged and re-analysed later, as autocannon does.
import * as hdr from 'hdr-histogram-js';
import type { Percentiles } from '../model/index.ts';

export type Histogram = hdr.Histogram;

/** Highest value a histogram tracks: 60 s in µs. Larger values are clamped, never dropped. */
const highestTrackableUs = 60_000_000;

export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 64,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: highestTrackableUs,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

/** Records a value (µs), clamped into the trackable range so one outlier cannot throw. */
export function recordUs(histogram: Histogram, us: number): void {
  histogram.recordValue(Math.min(Math.max(Math.round(us), 1), highestTrackableUs));
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 64, false);
}

/** Merges encoded histograms (e.g. the trials of one variant) into one. */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const merged = createHistogram();
  for (const e of encoded) merged.add(decodeHistogram(e));
  return merged;
}

/** The percentiles of a figure that was not measured (an external service's server time): NaN, shown as '–'. */
export const unknownPercentiles: Percentiles = { p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, p999: Number.NaN };

/** Percentiles of a histogram, divided by `scale` (1 keeps µs, 1000 gives ms). NaN when empty. */
export function percentiles(histogram: Histogram, scale = 1): Percentiles {
  const at = (q: number) => (histogram.totalCount === 0 ? Number.NaN : histogram.getValueAtPercentile(q) / scale);
  return { p50: at(50), p90: at(90), p99: at(99), p999: at(99.9) };
}
