// Reading a baseline file saved by --save-baseline: user input, checked before any load runs.
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../common/input.ts';
import { baselineFileKind, gatedMetrics } from './gate.ts';
import type { BaselineFile } from '../model/index.ts';

export class BaselineFileError extends InputError {}

export function readBaselineFile(file: string, scenarioName: string): BaselineFile {
  if (!existsSync(file)) throw new BaselineFileError(`no baseline file at ${file}: save one first with --save-baseline ${file}`);
  let parsed: Partial<BaselineFile>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<BaselineFile>;
  } catch (error) {
    throw new BaselineFileError(`${file} is not JSON (${(error as Error).message.split('\n')[0]}): save it again with --save-baseline`);
  }
  if (parsed?.kind !== baselineFileKind || parsed.schemaVersion !== 1 || typeof parsed.samples !== 'object' || parsed.samples === null) {
    throw new BaselineFileError(`${file} is not a tracetax baseline (schemaVersion 1): save one with --save-baseline`);
  }
  for (const [variant, metrics] of Object.entries(parsed.samples as Record<string, unknown>)) {
    for (const metric of gatedMetrics) {
      const values = (metrics as Record<string, unknown> | null)?.[metric];
      if (!Array.isArray(values) || !values.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        throw new BaselineFileError(`${file}: samples.${variant}.${metric} is not a list of numbers: save the baseline again with --save-baseline`);
      }
    }
  }
  if (parsed.scenario !== scenarioName) {
    throw new BaselineFileError(`${file} was saved from scenario '${parsed.scenario}', not '${scenarioName}': check with --scenario ${parsed.scenario} or save a new baseline`);
  }
  return parsed as BaselineFile;
}

/** Fails before any load when the baseline holds none of the run's traced variants: such a check would compare nothing. */
export function checkBaselineCovers(baseline: BaselineFile, file: string, tracedVariants: readonly string[]): void {
  if (!tracedVariants.some((name) => (baseline.samples[name]?.cpuUsPerRequest.length ?? 0) > 0)) {
    throw new BaselineFileError(
      `${file} has no samples for ${tracedVariants.map((n) => `'${n}'`).join(', ')}: save a new baseline with --save-baseline`,
    );
  }
}
