// One measured window, whatever the design: every service's window opens, the load runs against each at
// once, every window closes. The pool's slices and the fresh design's trials both measure through it.
import { schedBetween, schedSnapshot } from '../measure/sched.ts';
import type { RunningService } from '../sut/service-under-test.ts';
import type { LoadResult, SliceSched, WindowStats } from '../model/index.ts';

export interface MeasuredWindow {
  readonly startedAt: Date;
  readonly loads: LoadResult[];
  readonly windows: WindowStats[];
  /** From the windows' opening to their closing. */
  readonly wallMs: number;
  /** The scheduler's view of each service over the window, where its pid is known. */
  readonly sched: (SliceSched | undefined)[];
}

/** Opens each service's window, runs `drive(i)` against every service at once, then closes the windows. */
export async function measureWindow(services: readonly RunningService[], drive: (index: number) => Promise<LoadResult>): Promise<MeasuredWindow> {
  const before = services.map((s) => (s.pid === undefined ? null : schedSnapshot(s.pid)));
  const startedAt = new Date();
  const t0 = performance.now();
  for (const s of services) s.beginWindow();
  const loads = await Promise.all(services.map((_, i) => drive(i)));
  const windows = await Promise.all(services.map((s) => s.endWindow()));
  const wallMs = performance.now() - t0;
  const sched = services.map((s, i) => {
    const after = s.pid === undefined ? null : schedSnapshot(s.pid);
    return before[i] && after ? schedBetween(before[i], after) : undefined;
  });
  return { startedAt, loads, windows, wallMs, sched };
}
