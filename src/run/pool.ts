// The warm pool: one service process per variant for the whole run, each warmed once, then measured in
// rounds of short slices (one per variant per round, in the round's order). Time goes to measuring
// rather than to start-ups and warm-ups, and the machine's drift reaches every variant within seconds.
// CPU is charged per round: everything a process did from the end of the previous round to the end of
// this one, over the requests of its slice, so work a slice defers (an export on the batch processor's
// timer, after the slice) is still its own.
import { loadDrivers } from '../load/registry.ts';
import { decodeHistogram, percentiles } from '../measure/histogram.ts';
import { ServiceStartError, type RunningService } from '../sut/service-under-test.ts';
import type { RoundMember, RoundRunner, RoundSettings } from './rounds.ts';
import type { LoadResult, ServiceLife, TrialResult, WindowStats } from '../model/index.ts';

interface PoolProcess {
  readonly service: RunningService;
  readonly startedAt: Date;
  readonly t0: number;
}

export class PoolRounds implements RoundRunner {
  private rounds: number[] = [];
  /** Each process's CPU time at the end of the last round (or of the warm-ups). */
  private cpuAtRoundEnd: number[] = [];

  private constructor(
    private readonly members: readonly RoundMember[],
    private readonly settings: RoundSettings,
    private readonly processes: PoolProcess[],
  ) {}

  /** Starts every member's process and warms each in `warmOrder`, one after another, for load.warmupSec. */
  static async start(members: readonly RoundMember[], settings: RoundSettings, warmOrder: readonly number[]): Promise<PoolRounds> {
    const processes: PoolProcess[] = [];
    const pool = new PoolRounds(members, settings, processes);
    try {
      for (const [i, m] of members.entries()) {
        m.collector?.reset();
        settings.onPhase(i, 0, 0, 'starting');
        const startedAt = new Date();
        const t0 = performance.now();
        const service = await settings.service
          .start({ tracingEnv: m.tracingEnv, cpus: settings.serviceCpus })
          .catch((error: Error) => Promise.reject(new ServiceStartError(`${m.variant}: ${error.message}`)));
        processes.push({ service, startedAt, t0 });
      }
      if (settings.load.warmupSec > 0) {
        for (const i of warmOrder) {
          settings.onPhase(i, 0, 0, 'warm-up');
          await pool.drive(i, settings.load.warmupSec);
        }
      }
      pool.cpuAtRoundEnd = await pool.readCpu();
      return pool;
    } catch (error) {
      pool.kill();
      throw error;
    }
  }

  private drive(member: number, seconds: number): Promise<LoadResult> {
    const { connections, mode } = this.settings.load;
    return loadDrivers[mode].run({ url: this.processes[member].service.url }, { connections, durationSec: seconds, ratePerSec: this.settings.ratePerSec });
  }

  private readCpu(): Promise<number[]> {
    return Promise.all(this.processes.map((p) => p.service.cpuTimeUs()));
  }

  async round(round: number, order: readonly number[], firstOrder: number): Promise<TrialResult[]> {
    const slices: { member: number; order: number; startedAt: Date; wallMs: number; load: LoadResult; window: WindowStats }[] = [];
    for (const [place, member] of order.entries()) {
      const at = firstOrder + place;
      this.settings.onPhase(member, round, at, 'measuring');
      const startedAt = new Date();
      const t0 = performance.now();
      const service = this.processes[member].service;
      service.beginWindow();
      const load = await this.drive(member, this.settings.load.durationSec);
      const window = await service.endWindow();
      slices.push({ member, order: at, startedAt, wallMs: performance.now() - t0, load, window });
    }
    const cpu = await this.readCpu();
    const charged = cpu.map((c, i) => c - this.cpuAtRoundEnd[i]);
    this.cpuAtRoundEnd = cpu;
    this.rounds.push(round);
    return slices.map((s) => ({
      variant: this.members[s.member].variant,
      trial: round,
      order: s.order,
      startedAt: s.startedAt.toISOString(),
      wallMs: s.wallMs,
      load: s.load,
      window: s.window,
      cpuUs: charged[s.member],
      cpuUsPerRequest: s.window.requests > 0 ? charged[s.member] / s.window.requests : Number.NaN,
      serverTimeUs: percentiles(decodeHistogram(s.window.serverTimeHistogram)),
    }));
  }

  async finish(): Promise<ServiceLife[]> {
    const { warmupSec, durationSec } = this.settings.load;
    try {
      this.members.forEach((_, i) => this.settings.onPhase(i, this.rounds.length, 0, 'flushing'));
      const finals = await Promise.all(this.processes.map((p) => p.service.shutdown(this.settings.flushTimeoutMs)));
      return this.processes.map((p, i) => ({
        variant: this.members[i].variant,
        rounds: [...this.rounds],
        startedAt: p.startedAt.toISOString(),
        wallMs: performance.now() - p.t0,
        loadedSec: warmupSec + this.rounds.length * durationSec,
        final: finals[i],
        collector: this.members[i].collector?.snapshot() ?? null,
      }));
    } finally {
      this.kill();
    }
  }

  kill(): void {
    for (const p of this.processes) p.service.kill();
  }
}
