// What a micro run produces: per-operation costs from tinybench, the collector's decode rate, the
// specification's benchmark, and the async resources one request of the service creates.
import type { MachineDescription, MeanSd } from '../model/index.ts';

export const microSchemaVersion = 1;

export function meanSd(values: readonly number[]): MeanSd {
  const n = values.length;
  const mean = n === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / n;
  const sd = n < 2 ? 0 : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { mean, sd, values };
}
