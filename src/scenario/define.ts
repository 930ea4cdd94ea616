// What a scenario file imports: functions that type its default export, so an editor checks the file.
import type { MicroScenarioSpec, ScenarioSpec } from '../model/index.ts';

/** Types a scenario file's default export. */
export function defineScenario(spec: ScenarioSpec): ScenarioSpec {
  return spec;
}

/** Types a micro scenario file's default export. */
export function defineMicroScenario(spec: MicroScenarioSpec): MicroScenarioSpec {
  return spec;
}
