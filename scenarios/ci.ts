// The regression check for CI: short interleaved trials, enough of them (6 per variant) that a real
// change can be significant, under two minutes on 2 cores. Use with --save-baseline FILE and --check FILE.
import { defineScenario } from '../src/scenario/types.ts';

export default defineScenario({
  name: 'ci',
  description: 'untraced vs always_on vs parentbased_traceidratio 0.1 with the default batch processor: the gate for pull requests',
  load: { connections: 16, durationSec: 2.5, warmupSec: 0.5 },
  trials: 6,
  variants: [
    { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
    { name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
    { name: 'parentbased 0.1', env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: 0.1 } },
  ],
  gate: { thresholds: { cpuUsPerRequest: 5, serverTimeP99: 10, requestsPerSec: 5, deliveryRatio: 0.1 }, alpha: 0.05 },
});
