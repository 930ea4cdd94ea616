// The run's own A/A check: an untraced copy of the baseline under another name, measured like every
// other variant. Its Δ against the baseline is known to be 0, so an interval that misses 0 says the
// run's intervals were too narrow for the day's noise.
import { sentinelName } from './defaults.ts';
import type { Scenario } from '../model/index.ts';

/** The scenario's variants with the sentinel right after the baseline, when the scenario asks for it. */
export function withSentinel(scenario: Scenario): Scenario {
  if (!scenario.sentinel) return scenario;
  const [baseline, ...rest] = scenario.variants;
  return { ...scenario, variants: [baseline, { ...baseline, name: sentinelName, sentinel: true }, ...rest] };
}
