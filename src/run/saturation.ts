// The open-loop mode may ask for a rate as a share of saturation: measured here, once per run, on the
// untraced baseline with the closed-loop driver, before any trial.
import { loadDrivers } from '../load/registry.ts';
import type { ServiceUnderTest } from '../sut/service-under-test.ts';
import type { RuntimeSetting, Saturation } from '../model/index.ts';

export const saturationWarmupSec = 1;
export const saturationMeasureSec = 4;

export async function measureSaturation(options: {
  readonly service: ServiceUnderTest;
  readonly baselineEnv: Readonly<Record<string, string>>;
  readonly baselineRuntime: RuntimeSetting;
  readonly connections: number;
  readonly serviceCpus?: string;
}): Promise<Saturation> {
  const service = await options.service.start({ tracingEnv: options.baselineEnv, cpus: options.serviceCpus, instrumentation: 'service', runtime: options.baselineRuntime });
  const { connections } = options;
  try {
    await loadDrivers.closed.run({ url: service.url, allowRemote: service.allowRemote }, { connections, durationSec: saturationWarmupSec });
    const result = await loadDrivers.closed.run({ url: service.url, allowRemote: service.allowRemote }, { connections, durationSec: saturationMeasureSec });
    return { requestsPerSec: result.requestsPerSec, connections, durationSec: saturationMeasureSec };
  } finally {
    service.kill();
  }
}
