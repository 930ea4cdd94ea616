// A fixed CPU workload the harness times at a run's start and end: the same loop iterations each time,
// so a change between the two is the machine's (frequency, a neighbour's cache and memory traffic), not
// the code's. Reported beside the run's own noise figure.
import { spin } from '../sut/builtin/work.ts';

/** Iterations of one timing: tens of milliseconds here. */
const iterations = 20_000_000;

/** CPU ms of the fixed loop: the median of `repeats` timings, after one that warms the JIT. */
export function timeFixedWork(repeats = 5): number {
  spin(iterations / 10);
  const timings: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const before = process.cpuUsage();
    spin(iterations);
    const used = process.cpuUsage(before);
    timings.push((used.user + used.system) / 1000);
  }
  timings.sort((a, b) => a - b);
  return timings[repeats >> 1];
}
