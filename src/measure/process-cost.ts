// Cost measured inside the service process over one measurement window: CPU time, event-loop
// utilization and memory. The harness never measures these from outside.
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface ProcessCost {
  readonly wallMs: number;
  readonly cpuUserUs: number;
  readonly cpuSystemUs: number;
  /** Event-loop utilization over the window, in [0, 1]. */
  readonly eventLoopUtilization: number;
  /** Peak resident set size of the process so far (the kernel's high-water mark). */
  readonly peakRssBytes: number;
  /** Highest V8 heap use seen by the sampler during the window. */
  readonly peakHeapUsedBytes: number;
}

/** Heap is sampled, not tracked exactly: often enough to see the batch queue grow, rarely enough to cost nothing. */
const heapSampleIntervalMs = 250;

export class CostWindow {
  private readonly startedAt = performance.now();
  private readonly cpuAtStart = process.cpuUsage();
  private readonly eluAtStart: EventLoopUtilization = performance.eventLoopUtilization();
  private peakHeapUsedBytes = process.memoryUsage().heapUsed;
  private readonly heapTimer = setInterval(() => this.sampleHeap(), heapSampleIntervalMs).unref();

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
    };
  }
}
