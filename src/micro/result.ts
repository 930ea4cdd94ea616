// A micro run's document (its types are in src/model/micro.ts): its schema version, and mean ± sd of repeats.
import type { MeanSd } from '../model/index.ts';

export const microSchemaVersion = 1;

export function meanSd(values: readonly number[]): MeanSd {
  const n = values.length;
  const mean = n === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / n;
  const sd = n < 2 ? 0 : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { mean, sd, values };
}
