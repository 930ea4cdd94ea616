// Where scenario files imported defineScenario from before src/model/ existed: kept so that a scenario
// file written against this path still loads. New files import from src/scenario/define.ts.
export { defineMicroScenario, defineScenario } from './define.ts';
export type { MatrixSpec, MicroScenarioSpec, ScenarioSpec, SpecBenchmarkSpec, VariantSpec } from '../model/index.ts';
