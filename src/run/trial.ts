// A trial of a variant: a fresh service process, a warm-up that is not counted, the measured load
// window, then the SDK's flush on shutdown, so every span is accounted for before the next trial.
import { loadDrivers } from '../load/registry.ts';
import { decodeHistogram, percentiles, unknownPercentiles } from '../measure/histogram.ts';
import { prefixed, type RunningService } from '../sut/service-under-test.ts';
import type { RoundMember, RoundSettings } from './rounds.ts';
import { warmedFor, warmupLength } from './warmup.ts';
import { measureWindow } from './window.ts';
import type { ServiceLife, TrialPhase, TrialResult } from '../model/index.ts';

/** One trial of a fresh process: the member it runs, its round and place, and the run's settings. */
export interface TrialOptions {
  readonly member: RoundMember;
  /** 1-based round (the `trial` of its result). */
  readonly round: number;
  readonly order: number;
  readonly settings: Pick<RoundSettings, 'load' | 'ratePerSec' | 'serviceCpus' | 'flushTimeoutMs'>;
  /** Bytes of environment padding for this trial's process (see ServiceStart). */
  readonly envPaddingBytes?: number;
  readonly onPhase: (phase: TrialPhase) => void;
}

/**
 * A measured window as a trial: what it was charged, and the two figures derived from its window. A
 * service that does not count its requests (an external one) is charged over the load driver's 2xx
 * responses, and has no server time.
 */
export function measuredTrial(fields: Omit<TrialResult, 'cpuUsPerRequest' | 'serverTimeUs'>): TrialResult {
  const { window, cpuUs, load } = fields;
  const requests = window.requests ?? load.requests;
  return {
    ...fields,
    cpuUsPerRequest: requests > 0 ? cpuUs / requests : Number.NaN,
    serverTimeUs: window.serverTimeHistogram === undefined ? unknownPercentiles : percentiles(decodeHistogram(window.serverTimeHistogram)),
  };
}

/**
 * One round of trials in lockstep: every service starts, warms up, is measured and flushes at the same
 * time. With one trial that is the ordinary sequential trial; with several (the concurrent mode) the
 * machine's drift in the window hits every variant alike. Each trial needs its own collector.
 */
export async function runTrialsTogether(trials: readonly TrialOptions[]): Promise<{ trial: TrialResult; life: ServiceLife }[]> {
  const startedAt = new Date();
  const t0 = performance.now();
  const phase = (p: TrialPhase) => trials.forEach((o) => o.onPhase(p));
  for (const o of trials) o.member.collector?.reset();
  phase('starting');
  const started = await Promise.allSettled(
    trials.map((o) => o.member.service.start({ ...o.member.launch, cpus: o.settings.serviceCpus, envPaddingBytes: o.envPaddingBytes })),
  );
  const services = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  try {
    const failed = started.findIndex((s) => s.status === 'rejected');
    if (failed >= 0) {
      const reason = (started[failed] as PromiseRejectedResult).reason as Error;
      // Several services start at once in the concurrent mode: say whose start failed.
      throw prefixed(reason, `${trials[failed].member.variant}: `);
    }
    const { connections, durationSec, warmupSec, mode } = trials[0].settings.load;
    const driver = loadDrivers[mode];
    const answered = services.map((s) => s.startupRequests ?? 0);
    const warmedSec = services.map(() => 0);
    const driveOne = async (i: number, length: { durationSec: number; requests?: number }) => {
      const service: RunningService = services[i];
      const result = await driver.run({ url: service.url, allowRemote: service.allowRemote }, { connections, ratePerSec: trials[i].settings.ratePerSec, ...length });
      answered[i] += result.requests;
      return result;
    };
    const warmup = warmupLength(trials[0].settings.load, warmupSec);
    if (warmup) {
      phase('warm-up');
      await Promise.all(services.map(async (_, i) => (warmedSec[i] = warmedFor(warmup, await driveOne(i, warmup)))));
    }
    phase('measuring');
    const { loads, windows, sched } = await measureWindow(services, (i) => driveOne(i, { durationSec }));
    phase('flushing');
    const finals = await Promise.all(services.map((service, i) => service.shutdown(trials[i].settings.flushTimeoutMs)));
    const wallMs = performance.now() - t0;
    return trials.map((o, i) => {
      const window = windows[i];
      const trial = measuredTrial({
        variant: o.member.variant,
        trial: o.round,
        order: o.order,
        ...(services[i].nodeVersion ? { node: services[i].nodeVersion } : {}),
        ...(services[i].sdkLine ? { sdk: services[i].sdkLine } : {}),
        startedAt: startedAt.toISOString(),
        wallMs,
        load: loads[i],
        window,
        cpuUs: window.cost.cpuUserUs + window.cost.cpuSystemUs,
        ...(sched[i] ? { sched: sched[i] } : {}),
      });
      const life: ServiceLife = {
        variant: o.member.variant,
        rounds: [o.round],
        startedAt: startedAt.toISOString(),
        wallMs,
        loadedSec: warmedSec[i] + durationSec,
        answeredRequests: answered[i],
        final: finals[i],
        collector: o.member.collector?.snapshot() ?? null,
      };
      return { trial, life };
    });
  } finally {
    for (const service of services) service.kill();
  }
}
