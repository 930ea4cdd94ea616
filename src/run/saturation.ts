// The open-loop mode may ask for a rate as a share of saturation: measured here, once per run, on the
// untraced baseline with the closed-loop driver, before any trial.
import { runClosedLoop } from '../load/closed-loop.ts';
import { ServiceProcess } from '../service/process.ts';
import type { ServiceSettings } from '../service/protocol.ts';

export const saturationWarmupSec = 1;
export const saturationMeasureSec = 4;

export interface Saturation {
  readonly requestsPerSec: number;
  readonly connections: number;
  readonly durationSec: number;
}

export async function measureSaturation(options: {
  readonly settings: ServiceSettings;
  readonly baselineEnv: Readonly<Record<string, string>>;
  readonly connections: number;
  readonly serviceCpus?: string;
}): Promise<Saturation> {
  const service = await ServiceProcess.start({ settings: options.settings, tracingEnv: options.baselineEnv, cpus: options.serviceCpus });
  try {
    await runClosedLoop({ url: service.frontendUrl, connections: options.connections, durationSec: saturationWarmupSec });
    const result = await runClosedLoop({ url: service.frontendUrl, connections: options.connections, durationSec: saturationMeasureSec });
    return { requestsPerSec: result.requestsPerSec, connections: options.connections, durationSec: saturationMeasureSec };
  } finally {
    service.kill();
  }
}
