// One measured window, whatever the design: every service's window opens, the load runs against each at
// once, every window closes. The pool's slices and the fresh design's trials both measure through it.
import type { RunningService } from '../sut/service-under-test.ts';
import type { LoadResult, WindowStats } from '../model/index.ts';

export interface MeasuredWindow {
  readonly startedAt: Date;
  readonly loads: LoadResult[];
  readonly windows: WindowStats[];
  /** From the windows' opening to their closing. */
  readonly wallMs: number;
}

/** Opens each service's window, runs `drive(i)` against every service at once, then closes the windows. */
export async function measureWindow(services: readonly RunningService[], drive: (index: number) => Promise<LoadResult>): Promise<MeasuredWindow> {
  const startedAt = new Date();
  const t0 = performance.now();
  for (const s of services) s.beginWindow();
  const loads = await Promise.all(services.map((_, i) => drive(i)));
  const windows = await Promise.all(services.map((s) => s.endWindow()));
  return { startedAt, loads, windows, wallMs: performance.now() - t0 };
}
