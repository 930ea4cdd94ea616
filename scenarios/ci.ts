// The regression check for CI: untraced and always_on, 7 interleaved trials each (enough for a real change
// to be significant), a warm-up long enough for the traced process's JIT, under two minutes on 2 cores.
// Use with --save-baseline FILE and --check FILE.
import { defineScenario } from '../src/scenario/types.ts';

export default defineScenario({
  name: 'ci',
  description: 'untraced vs always_on with the default batch processor: the gate for pull requests',
  load: { connections: 16, durationSec: 2, warmupSec: 4 },
  trials: 7,
  variants: [
    { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
    { name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
  ],
  gate: { thresholds: { cpuUsPerRequest: 5, serverTimeP99: 10, requestsPerSec: 5, deliveryRatio: 0.1 }, alpha: 0.05 },
});
