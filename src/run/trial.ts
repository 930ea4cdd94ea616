// One trial of one variant: a fresh service process, a warm-up that is not counted, the measured load
// window, then the SDK's flush on shutdown, so every span is accounted for before the next trial.
import type { CollectorSnapshot, EmbeddedCollector } from '../collector/index.ts';
import { runClosedLoop, type ClosedLoopResult } from '../load/closed-loop.ts';
import { runOpenLoop, type OpenLoopResult } from '../load/open-loop.ts';
import { decodeHistogram, percentiles, type Percentiles } from '../measure/histogram.ts';
import { ServiceProcess } from '../service/process.ts';
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

export async function runTrial(options: TrialOptions): Promise<TrialResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  options.collector?.reset();
  options.onPhase('starting');
  const service = await ServiceProcess.start({ settings: options.settings, tracingEnv: options.tracingEnv, cpus: options.serviceCpus });
  try {
    const { connections, durationSec, warmupSec, mode } = options.load;
    const drive = (seconds: number) =>
      mode === 'open'
        ? runOpenLoop({ url: service.frontendUrl, connections, durationSec: seconds, ratePerSec: options.ratePerSec! })
        : runClosedLoop({ url: service.frontendUrl, connections, durationSec: seconds });
    if (warmupSec > 0) {
      options.onPhase('warm-up');
      await drive(warmupSec);
    }
    options.onPhase('measuring');
    service.beginWindow();
    const load = await drive(durationSec);
    const window = await service.endWindow();
    options.onPhase('flushing');
    const final = await service.shutdown(options.flushTimeoutMs);
    const cpuUs = window.cost.cpuUserUs + window.cost.cpuSystemUs;
    return {
      variant: options.variant,
      trial: options.trial,
      order: options.order,
      startedAt: startedAt.toISOString(),
      wallMs: performance.now() - t0,
      load,
      window,
      final,
      collector: options.collector?.snapshot() ?? null,
      cpuUsPerRequest: window.requests > 0 ? cpuUs / window.requests : Number.NaN,
      serverTimeUs: percentiles(decodeHistogram(window.serverTimeHistogram)),
    };
  } finally {
    service.kill();
  }
}
