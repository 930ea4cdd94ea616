// A run's embedded sampling servers: one per strategies file its jaeger_remote variants need, and the
// endpoint filled into those variants' OTEL_TRACES_SAMPLER_ARG.
import { needsSamplingServer, SamplingServer } from './sampling-server.ts';
import { readStrategiesFile } from './sampling-strategies.ts';
import type { JaegerSamplingSummary } from '../model/index.ts';

export interface RunSampling {
  /** The variant's env with the embedded endpoint put into OTEL_TRACES_SAMPLER_ARG where it needs one. */
  fill(env: Record<string, string>): Record<string, string>;
  /** The servers' endpoints, files and answers per service; null when none was started. */
  summary(): JaegerSamplingSummary | null;
  stop(): Promise<void>;
}

/**
 * For a run: one sampling server per strategies file that jaeger_remote variants without an endpoint
 * need (the variant's TRACETAX_SAMPLING_STRATEGIES, else the scenario's file, else Jaeger's defaults).
 */
export async function startRunSampling(
  variants: readonly { readonly env: Readonly<Record<string, string>> }[],
  scenarioFile: string | undefined,
): Promise<RunSampling> {
  const servers = new Map<string, SamplingServer>();
  const fileOf = (env: Readonly<Record<string, string>>) => env.TRACETAX_SAMPLING_STRATEGIES ?? scenarioFile ?? '';
  try {
    for (const v of variants) {
      if (!needsSamplingServer(v.env)) continue;
      const file = fileOf(v.env);
      if (servers.has(file)) continue;
      servers.set(file, await SamplingServer.start({ strategies: file ? readStrategiesFile(file) : undefined, strategiesFile: file || null }));
    }
  } catch (error) {
    await Promise.all([...servers.values()].map((s) => s.stop()));
    throw error;
  }
  return {
    fill(env) {
      if (!needsSamplingServer(env)) return env;
      const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
      const endpoint = `endpoint=${servers.get(fileOf(env))!.endpoint}`;
      return { ...env, OTEL_TRACES_SAMPLER_ARG: arg ? `${endpoint},${arg}` : endpoint };
    },
    summary: () =>
      servers.size === 0
        ? null
        : { servers: [...servers.values()].map((s) => ({ endpoint: s.endpoint, strategiesFile: s.strategiesFile, polls: s.polls() })) },
    stop: async () => {
      await Promise.all([...servers.values()].map((s) => s.stop()));
    },
  };
}
