// Real CPU work of a known size. A clock spin would burn wall time, not work, and would stretch with
// contention; a fixed number of loop iterations costs the same CPU in every variant.

let sink = 0;

/** Runs `iterations` rounds of an xorshift generator; the result is kept so the JIT cannot drop the loop. */
export function spin(iterations: number): void {
  let x = sink | 1;
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  sink = x;
}

/**
 * Loop iterations per microsecond on this machine: the best of several short timed runs (the fastest
 * run is the one least disturbed by the rest of the machine). Measured once per run by the harness and
 * handed to every service process, so every variant does identical work.
 */
export function calibrateIterationsPerUs(rounds = 7, iterationsPerRound = 2_000_000): number {
  spin(iterationsPerRound); // warm up the JIT
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    spin(iterationsPerRound);
    const ns = Number(process.hrtime.bigint() - start);
    best = Math.min(best, ns);
  }
  return (iterationsPerRound * 1000) / best;
}
