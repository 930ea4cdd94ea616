// Dapper's table for Node.js, measured as Dapper did: latency at a fixed request rate (here half of what
// the untraced service sustains), at the sampling ratios of the paper's table 2.
import { defineScenario } from '../src/scenario/define.ts';

export default defineScenario({
  name: 'dapper',
  description: "traceidratio at Dapper's ratios 1, 1/2, 1/4, 1/8, 1/16, 1/1024, open loop at 50% of untraced saturation: latency change at a fixed rate",
  load: { mode: 'open', rate: '50%', warmupSec: 5 },
  // One service on the core at a time: pairs would put two at 50% of saturation each on it.
  processes: 'pool',
  maxTimeSec: 300,
  variants: [
    { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
    {
      matrix: { OTEL_TRACES_SAMPLER_ARG: [1, 0.5, 0.25, 0.125, 0.0625, 0.0009765625] },
      env: { OTEL_TRACES_SAMPLER: 'traceidratio' },
      name: 'traceidratio ${OTEL_TRACES_SAMPLER_ARG}',
    },
  ],
});
