// A trial of a variant: a fresh service process, a warm-up that is not counted, the measured load
// window, then the SDK's flush on shutdown, so every span is accounted for before the next trial.
import type { CollectorSnapshot, EmbeddedCollector } from '../collector/index.ts';
import { runClosedLoop, type ClosedLoopResult } from '../load/closed-loop.ts';
import { runOpenLoop, type OpenLoopResult } from '../load/open-loop.ts';
import { decodeHistogram, percentiles, type Percentiles } from '../measure/histogram.ts';
import { ServiceProcess, ServiceStartError } from '../service/process.ts';
import type { FinalStats, ServiceSettings, WindowStats } from '../service/protocol.ts';
import type { LoadSettings } from '../scenario/types.ts';

export type TrialPhase = 'starting' | 'warm-up' | 'measuring' | 'flushing';

export interface TrialResult {
  readonly variant: string;
  /** 1-based trial number within the variant. */
  readonly trial: number;
  /** 1-based position in the run's interleaved order. */
  readonly order: number;
  readonly startedAt: string;
  readonly wallMs: number;
  /** Client side of the measured window; open-loop latency is measured from each request's intended start. */
  readonly load: ClosedLoopResult | OpenLoopResult;
  /** Service side of the measured window. */
  readonly window: WindowStats;
  /** The service's whole life (warm-up included): span accounting. */
  readonly final: FinalStats;
  /** What the embedded collector received from this trial's service; null for a remote endpoint. */
  readonly collector: CollectorSnapshot | null;
  readonly cpuUsPerRequest: number;
  readonly serverTimeUs: Percentiles;
}

export interface TrialOptions {
  readonly variant: string;
  readonly trial: number;
  readonly order: number;
  readonly tracingEnv: Readonly<Record<string, string>>;
  readonly settings: ServiceSettings;
  readonly load: LoadSettings;
  /** Requests per second for the open-loop mode, resolved by the run. */
  readonly ratePerSec?: number;
  readonly collector: EmbeddedCollector | null;
  readonly serviceCpus?: string;
  readonly flushTimeoutMs: number;
  readonly onPhase: (phase: TrialPhase) => void;
}

/**
 * One round of trials in lockstep: every service starts, warms up, is measured and flushes at the same
 * time. With one trial that is the ordinary sequential trial; with several (the concurrent mode) the
 * machine's drift in the window hits every variant alike. Each trial needs its own collector.
 */
export async function runTrialsTogether(trials: readonly TrialOptions[]): Promise<TrialResult[]> {
  const startedAt = new Date();
  const t0 = performance.now();
  const phase = (p: TrialPhase) => trials.forEach((o) => o.onPhase(p));
  for (const o of trials) o.collector?.reset();
  phase('starting');
  const started = await Promise.allSettled(
    trials.map((o) => ServiceProcess.start({ settings: o.settings, tracingEnv: o.tracingEnv, cpus: o.serviceCpus })),
  );
  const services = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  try {
    const failed = started.findIndex((s) => s.status === 'rejected');
    if (failed >= 0) {
      const reason = (started[failed] as PromiseRejectedResult).reason as Error;
      // Several services start at once in the concurrent mode: say whose start failed.
      throw new ServiceStartError(`${trials[failed].variant}: ${reason.message}`);
    }
    const { connections, durationSec, warmupSec, mode } = trials[0].load;
    const drive = (seconds: number) =>
      Promise.all(
        services.map((service, i) =>
          mode === 'open'
            ? runOpenLoop({ url: service.frontendUrl, connections, durationSec: seconds, ratePerSec: trials[i].ratePerSec! })
            : runClosedLoop({ url: service.frontendUrl, connections, durationSec: seconds }),
        ),
      );
    if (warmupSec > 0) {
      phase('warm-up');
      await drive(warmupSec);
    }
    phase('measuring');
    for (const service of services) service.beginWindow();
    const loads = await drive(durationSec);
    const windows = await Promise.all(services.map((service) => service.endWindow()));
    phase('flushing');
    const finals = await Promise.all(services.map((service, i) => service.shutdown(trials[i].flushTimeoutMs)));
    const wallMs = performance.now() - t0;
    return trials.map((o, i) => {
      const window = windows[i];
      const cpuUs = window.cost.cpuUserUs + window.cost.cpuSystemUs;
      return {
        variant: o.variant,
        trial: o.trial,
        order: o.order,
        startedAt: startedAt.toISOString(),
        wallMs,
        load: loads[i],
        window,
        final: finals[i],
        collector: o.collector?.snapshot() ?? null,
        cpuUsPerRequest: window.requests > 0 ? cpuUs / window.requests : Number.NaN,
        serverTimeUs: percentiles(decodeHistogram(window.serverTimeHistogram)),
      };
    });
  } finally {
    for (const service of services) service.kill();
  }
}
