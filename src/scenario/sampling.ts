// A scenario's Jaeger sampling settings, checked when it is loaded: the strategies files that the
// embedded sampling server (src/jaeger/sampling-server.ts) will answer jaeger_remote variants from.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isObject } from '../common/input.ts';
import { needsSamplingServer } from '../jaeger/sampling-server.ts';
import { readStrategiesFile, StrategiesError } from '../jaeger/sampling-strategies.ts';
import type { Scenario, Variant } from '../model/index.ts';

/** The scenario file's folder (scenarios/ for shipped ones): relative paths in a scenario start there. */
export function scenarioFolder(scenarioSource: string): string {
  return path.isAbsolute(scenarioSource) ? path.dirname(scenarioSource) : fileURLToPath(new URL('../../scenarios/', import.meta.url));
}

/**
 * Checks a scenario's Jaeger sampling settings when it is loaded: the scenario's strategies file and
 * any variant's TRACETAX_SAMPLING_STRATEGIES must be readable strategies files, and the latter only on a
 * jaeger_remote variant whose ARG names no endpoint. Returns the variants with absolute paths.
 */
export function resolveScenarioSampling(raw: unknown, scenarioSource: string, variants: readonly Variant[]): Pick<Scenario, 'sampling' | 'variants'> {
  const base = scenarioFolder(scenarioSource);
  const check = (file: string) => {
    const absolute = path.resolve(base, file);
    readStrategiesFile(absolute);
    return absolute;
  };
  let sampling: { strategiesFile: string } | undefined;
  if (raw !== undefined) {
    if (!isObject(raw)) throw new StrategiesError('sampling must be an object: { strategiesFile }');
    for (const key of Object.keys(raw)) {
      if (key !== 'strategiesFile') throw new StrategiesError(`sampling.${key} is not a setting: use strategiesFile`);
    }
    const file = (raw as { strategiesFile?: unknown }).strategiesFile;
    if (typeof file !== 'string' || file.trim() === '') {
      throw new StrategiesError('sampling.strategiesFile must be the path of a strategies file in Jaeger\'s format');
    }
    sampling = { strategiesFile: check(file) };
  }
  const resolved = variants.map((v) => {
    const file = v.env.TRACETAX_SAMPLING_STRATEGIES;
    if (file === undefined) return v;
    if (!needsSamplingServer(v.env)) {
      throw new StrategiesError(
        `variant ${v.name}: TRACETAX_SAMPLING_STRATEGIES applies only to OTEL_TRACES_SAMPLER=jaeger_remote whose OTEL_TRACES_SAMPLER_ARG names no endpoint`,
      );
    }
    return { ...v, env: { ...v.env, TRACETAX_SAMPLING_STRATEGIES: check(file) } };
  });
  return { ...(sampling ? { sampling } : {}), variants: resolved };
}
