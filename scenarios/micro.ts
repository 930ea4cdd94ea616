// Where tracing's cost goes: tinybench suites of the tracing pipeline, the embedded collector's decode
// rate, and the OpenTelemetry specification's performance benchmark. About 2.5 minutes on 2 cores.
import { defineMicroScenario } from '../src/scenario/define.ts';

export default defineMicroScenario({
  kind: 'micro',
  name: 'micro',
  description: 'micro-benchmarks of the tracing pipeline (span start/end per sampler, attributes, processors, OTLP encoding, propagation, context) and the specification benchmark',
  taskTimeMs: 300,
  taskWarmupMs: 100,
  spec: { warmupSec: 2, maxRateSec: 5, fixedRatePerSec: 10_000, fixedRateSec: 15, repeats: 3 },
});
