// The planted regression: a span processor that burns CPU in every ended span, so a check can prove the
// gate catches a regression of known size.
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { PlantedWork } from '../model/index.ts';

/** A window of the process's own CPU and spans; shorter ones are too coarse, longer ones react too slowly. */
const windowMs = 250;
/** A window with fewer spans says little about the CPU per span: it is extended instead. */
const minSpansPerWindow = 50;
/** A window this long spans an idle gap (between slices): its CPU per span is not the loaded one, so it is dropped. */
const staleWindowMs = 1_000;
/** Weight of the newest window in the running estimate: smooths a 250-ms window's scheduling noise. */
const smoothing = 0.3;

/**
 * Sizes the per-span burn that makes the process's CPU `percent` % larger than it would be without it:
 * per closed window, burn per span = percent × (CPU − burnt) ÷ spans, smoothed over windows. Pure, so
 * its arithmetic is testable apart from clocks.
 */
export class CpuShareSizer {
  private usPerSpan = 0;
  private seen = false;

  constructor(private readonly percent: number) {}

  /** The burn per span for the next window, after a window with `cpuUs` of CPU of which `burntUs` was planted. */
  closeWindow(cpuUs: number, burntUs: number, spans: number): number {
    if (spans <= 0) return this.usPerSpan;
    const target = ((this.percent / 100) * Math.max(0, cpuUs - burntUs)) / spans;
    this.usPerSpan = this.seen ? smoothing * target + (1 - smoothing) * this.usPerSpan : target;
    this.seen = true;
    return this.usPerSpan;
  }
}

/** Keeps the CPU busy for `us` microseconds of wall time (a CPU-bound wait) and returns the time it took. */
function burnFor(us: number): number {
  const start = performance.now();
  const end = start + us / 1000;
  let now = start;
  while (now < end) now = performance.now();
  return (now - start) * 1000;
}

class FixedBurnSpanProcessor implements SpanProcessor {
  constructor(
    private readonly us: number,
    private readonly burnCpu: (us: number) => void,
  ) {}
  onStart(): void {}
  onEnd(): void {
    this.burnCpu(this.us);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

class CpuShareSpanProcessor implements SpanProcessor {
  private readonly sizer: CpuShareSizer;
  private usPerSpan = 0;
  private windowStartMs = performance.now();
  private windowStartCpuUs = cpuUs();
  private burntUs = 0;
  private spans = 0;

  constructor(percent: number) {
    this.sizer = new CpuShareSizer(percent);
  }

  onStart(): void {}

  onEnd(): void {
    const now = performance.now();
    const elapsed = now - this.windowStartMs;
    if (elapsed >= staleWindowMs) this.startWindow(now);
    else if (elapsed >= windowMs && this.spans >= minSpansPerWindow) {
      const cpu = cpuUs();
      this.usPerSpan = this.sizer.closeWindow(cpu - this.windowStartCpuUs, this.burntUs, this.spans);
      this.startWindow(now, cpu);
    }
    this.spans++;
    if (this.usPerSpan > 0) this.burntUs += burnFor(this.usPerSpan);
  }

  private startWindow(now: number, cpu = cpuUs()): void {
    this.windowStartMs = now;
    this.windowStartCpuUs = cpu;
    this.burntUs = 0;
    this.spans = 0;
  }

  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

function cpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** The processor for `planted`, or none; `burnCpu` burns a fixed amount the way the service does its own work. */
export function plantedProcessor(planted: PlantedWork, burnCpu: (us: number) => void): SpanProcessor | undefined {
  switch (planted.kind) {
    case 'none':
      return undefined;
    case 'per-span':
      return new FixedBurnSpanProcessor(planted.us, burnCpu);
    case 'cpu-share':
      return new CpuShareSpanProcessor(planted.percent);
  }
}

export function describePlanted(planted: PlantedWork): string {
  switch (planted.kind) {
    case 'none':
      return '';
    case 'per-span':
      return `planted ${planted.us} µs/span`;
    case 'cpu-share':
      return `planted +${planted.percent}% CPU`;
  }
}
