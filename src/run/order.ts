// The order of the variants in each round: shuffled, from a seed the run records, so that no variant
// (the baseline least of all) always runs first, when a fresh machine state reads high, and the same
// seed gives the same order again.
import { mulberry32 } from '../compare/stats.ts';

/** A fresh seed: any 32-bit unsigned integer. */
export function newSeed(): number {
  return Math.floor(Math.random() * 2 ** 32);
}

/** The rounds' orders, one after another: each a permutation of 0 … variants−1 (Fisher–Yates over one seeded generator). */
export function roundOrderStream(variants: number, seed: number): () => number[] {
  const random = mulberry32(seed);
  return () => {
    const order = Array.from({ length: variants }, (_, i) => i);
    for (let i = variants - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return order;
  };
}

/** The first `rounds` orders of roundOrderStream. */
export function roundOrders(variants: number, rounds: number, seed: number): number[][] {
  const next = roundOrderStream(variants, seed);
  return Array.from({ length: rounds }, () => next());
}
