// The warm pool: one block of the run, a service process per variant, all warmed at once, then measured
// in rounds of short slices (one per variant per round, in the round's order). Time goes to measuring
// rather than to start-ups and warm-ups, and the machine's drift reaches every variant within seconds;
// the run starts a few blocks so the difference between processes shows (src/run/round-loop.ts).
// In the pairs design every traced variant's slice runs side by side with a slice of its baseline, both
// loaded on the same core, so even the machine's fast changes hit both alike (a group of traced variants,
// each with its baseline, shares one slice).
// A slice is charged with everything its process did since the end of its previous slice, over the
// requests of the slice: work a slice defers (an export on the batch processor's timer, after the slice)
// is charged to the same variant's next one.
import { loadDrivers } from '../load/registry.ts';
import { prefixed, type RunningService } from '../sut/service-under-test.ts';
import type { RoundMember, RoundRunner, RoundSettings } from './rounds.ts';
import { measuredTrial } from './trial.ts';
import { warmedFor, warmupLength } from './warmup.ts';
import { measureWindow } from './window.ts';
import type { LoadRunSettings } from '../load/driver.ts';
import type { LoadResult, ServiceLife, TrialResult } from '../model/index.ts';

interface PoolProcess {
  readonly service: RunningService;
  readonly startedAt: Date;
  readonly t0: number;
}

export class PoolRounds implements RoundRunner {
  private rounds: number[] = [];
  /** Each process's CPU time when its last slice ended (or its warm-up). */
  private cpuMark: number[] = [];
  /** 2xx responses each process gave the load driver, warm-up included. */
  private answered: number[] = [];
  /** Seconds each process was under its warm-up's load. */
  private warmedSec: number[] = [];

  private constructor(
    private readonly members: readonly RoundMember[],
    private readonly settings: RoundSettings,
    private readonly processes: PoolProcess[],
    /** The pairs design: each traced member's slice runs beside a slice of its baseline. */
    private readonly pairs: boolean,
    /** 1-based block: this pool's set of processes within the run. */
    private readonly block: number,
    /** The members this block runs (every one, or those whose Δ is not yet precise and their baselines), by index. */
    private readonly active: readonly number[],
  ) {}

  /**
   * Starts a process for each member in `order` (shuffled per block, so no variant always starts first;
   * members left out of it get none in this block) and warms them all at once.
   */
  static async start(members: readonly RoundMember[], settings: RoundSettings, order: readonly number[], pairs: boolean, block = 1): Promise<PoolRounds> {
    const processes: PoolProcess[] = new Array(members.length);
    const pool = new PoolRounds(members, settings, processes, pairs, block, [...order].sort((a, b) => a - b));
    try {
      for (const i of order) {
        const m = members[i];
        m.collector?.reset();
        settings.onPhase(i, 0, 0, 'starting');
        const startedAt = new Date();
        const t0 = performance.now();
        const service = await m.service
          .start({ ...m.launch, cpus: settings.serviceCpus, envPaddingBytes: settings.envPaddingBytes() })
          .catch((error: Error) => Promise.reject(prefixed(error, `${m.variant}: `)));
        processes[i] = { service, startedAt, t0 };
        pool.answered[i] = service.startupRequests ?? 0;
      }
      // Every process at once, for as long as one after another would take (they share the core): none
      // then waits longer than a round before its first slice. Warmed one after another, a process had
      // waited up to (variants − 1) × warmupSec, and its first slice after such a wait read up to 40% high,
      // which took an unmeasured settling round to absorb.
      // In requests every process ends its warm-up when it has answered as many as the others, so a slower
      // (traced) one is not measured less warm; the quicker ones wait idle for the rest.
      const warmup = warmupLength(settings.load, pool.warmupWallSec);
      if (warmup) {
        for (const i of order) settings.onPhase(i, 0, 0, 'warm-up');
        await Promise.all(order.map(async (i) => (pool.warmedSec[i] = warmedFor(warmup, await pool.drive(i, warmup)))));
      }
      for (const i of order) pool.cpuMark[i] = await processes[i].service.cpuTimeUs();
      return pool;
    } catch (error) {
      pool.kill();
      throw error;
    }
  }

  /**
   * The warm-up's wall time, every member at once: at saturation (a driver without a rate) they share
   * the core, so each gets about load.warmupSec of it in warmupSec × members; at a fixed rate each gets
   * its rate for load.warmupSec.
   */
  private get warmupWallSec(): number {
    const { warmupSec, mode } = this.settings.load;
    return loadDrivers[mode].needsRate ? warmupSec : warmupSec * this.active.length;
  }

  /** Slices a round has: one per member, or in pairs one per group of traced members. */
  get slicesPerRound(): number {
    return this.slicesOf(this.active).length;
  }

  /** Slices a member is loaded in per round: in pairs a baseline is loaded beside each group of its traced members. */
  private slicesOfMember(member: number): number {
    return this.slicesOf(this.active).filter((slice) => slice.includes(member)).length;
  }

  private async drive(member: number, length: Pick<LoadRunSettings, 'durationSec' | 'requests'>): Promise<LoadResult> {
    const { connections, mode } = this.settings.load;
    const result = await loadDrivers[mode].run({ url: this.processes[member].service.url, allowRemote: this.processes[member].service.allowRemote }, { connections, ratePerSec: this.settings.ratePerSec, ...length });
    this.answered[member] = (this.answered[member] ?? 0) + result.requests;
    return result;
  }

  /** A round's slices in `order`: each member alone, or in pairs each group of traced members, each beside its baseline. */
  private slicesOf(order: readonly number[]): number[][] {
    if (!this.pairs) return order.map((m) => [m]);
    const slices = new Map<number, number[]>();
    for (const m of order) {
      const { baseline, group = m } = this.members[m];
      if (baseline === m) continue;
      slices.set(group, [...(slices.get(group) ?? []), baseline, m]);
    }
    return [...slices.values()];
  }

  /** One slice of `together` (one member, a pair, or a group of pairs), loaded and measured at the same time. */
  private async slice(together: readonly number[], round: number, order: number): Promise<TrialResult[]> {
    for (const m of together) this.settings.onPhase(m, round, order, 'measuring');
    const services = together.map((m) => this.processes[m].service);
    const { startedAt, loads, windows, wallMs, sched } = await measureWindow(services, (i) => this.drive(together[i], { durationSec: this.settings.load.durationSec }));
    const cpu = await Promise.all(services.map((s) => s.cpuTimeUs()));
    return together.map((m, i) => {
      const charged = cpu[i] - this.cpuMark[m];
      this.cpuMark[m] = cpu[i];
      return measuredTrial({
        variant: this.members[m].variant,
        trial: round,
        order,
        block: this.block,
        ...(this.pairs && this.members[m].baseline === m ? { pairedWith: this.members[together[i + 1]].variant } : {}),
        ...(services[i].nodeVersion ? { node: services[i].nodeVersion } : {}),
        ...(services[i].sdkLine ? { sdk: services[i].sdkLine } : {}),
        startedAt: startedAt.toISOString(),
        wallMs,
        load: loads[i],
        window: windows[i],
        cpuUs: charged,
        ...(sched[i] ? { sched: sched[i] } : {}),
      });
    });
  }

  async round(round: number, order: readonly number[], firstOrder: number): Promise<TrialResult[]> {
    const out: TrialResult[] = [];
    const running = order.filter((m) => this.processes[m] !== undefined);
    for (const [place, together] of this.slicesOf(running).entries()) {
      const names = together.map((m) => this.members[m].variant).join(' + ');
      out.push(...(await this.slice(together, round, firstOrder + place).catch((error: Error) => Promise.reject(prefixed(error, `round ${round}, ${names}: `)))));
    }
    this.rounds.push(round);
    return out;
  }

  async finish(): Promise<ServiceLife[]> {
    const { durationSec } = this.settings.load;
    try {
      for (const i of this.active) this.settings.onPhase(i, this.rounds.length, 0, 'flushing');
      const finals = await Promise.all(this.active.map((i) => this.processes[i].service.shutdown(this.settings.flushTimeoutMs)));
      return this.active.map((i, k) => ({
        variant: this.members[i].variant,
        block: this.block,
        rounds: [...this.rounds],
        startedAt: this.processes[i].startedAt.toISOString(),
        wallMs: performance.now() - this.processes[i].t0,
        // The warm-up (every member at once) and the measured rounds; in pairs a baseline is loaded beside each of its traced members.
        loadedSec: (this.warmedSec[i] ?? 0) + this.rounds.length * durationSec * this.slicesOfMember(i),
        answeredRequests: this.answered[i] ?? 0,
        final: finals[k],
        collector: this.members[i].collector?.snapshot() ?? null,
      }));
    } finally {
      this.kill();
    }
  }

  kill(): void {
    // A start that failed part-way leaves holes.
    for (const p of this.processes) p?.service.kill();
  }
}
