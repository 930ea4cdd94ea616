// The regression check for CI: untraced and always_on measured at the same time, each at a fixed rate,
// on the same core, in 10 rounds. Side by side, the machine's drift hits both services within the same
// window, so a round's traced/untraced ratio is far steadier than one variant after the other
// (bench/side-by-side-noise.ts measures it). Under two minutes on 2 cores.
// Use with --save-baseline FILE and --check FILE.
import { defineScenario } from '../src/scenario/define.ts';

export default defineScenario({
  name: 'ci',
  description: 'untraced vs always_on with the default batch processor, measured side by side: the gate for pull requests',
  // 200 req/s each kept the shared core about 60–85% busy here (CPU/request 1.4–1.9 ms untraced, 1.8–2.4 ms
  // traced at this rate). Warm-up: a fresh traced process is slow for its first seconds.
  load: { mode: 'open', rate: 200, concurrent: true, durationSec: 3, warmupSec: 4 },
  trials: 10,
  variants: [
    { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
    { name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
  ],
  gate: { thresholds: { cpuUsPerRequest: 5, serverTimeP99: 10, requestsPerSec: 5, deliveryRatio: 0.1 }, alpha: 0.05 },
});
