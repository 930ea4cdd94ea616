// Cost measured inside the service process over one measurement window: CPU time, event-loop
// utilization and memory. The harness never measures these from outside.
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { gcPausesBetween, gcPausesSoFar } from './gc.ts';
import type { ProcessCost } from '../model/index.ts';

/** Heap is sampled, not tracked exactly: often enough to see the batch queue grow, rarely enough to cost nothing. */
const heapSampleIntervalMs = 250;

export class CostWindow {
  private readonly startedAt = performance.now();
  private readonly cpuAtStart = process.cpuUsage();
  private readonly eluAtStart: EventLoopUtilization = performance.eventLoopUtilization();
  private peakHeapUsedBytes = process.memoryUsage().heapUsed;
  private readonly heapTimer = setInterval(() => this.sampleHeap(), heapSampleIntervalMs).unref();
  private readonly gcAtStart = gcPausesSoFar();

  private sampleHeap(): void {
    this.peakHeapUsedBytes = Math.max(this.peakHeapUsedBytes, process.memoryUsage().heapUsed);
  }

  /** Ends the window and returns what it cost. */
  close(): ProcessCost {
    const cpu = process.cpuUsage(this.cpuAtStart);
    const elu = performance.eventLoopUtilization(this.eluAtStart);
    clearInterval(this.heapTimer);
    this.sampleHeap();
    return {
      wallMs: performance.now() - this.startedAt,
      cpuUserUs: cpu.user,
      cpuSystemUs: cpu.system,
      eventLoopUtilization: elu.utilization,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      peakHeapUsedBytes: this.peakHeapUsedBytes,
      gc: gcPausesBetween(this.gcAtStart, gcPausesSoFar()),
    };
  }
}
