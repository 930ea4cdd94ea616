// The regression check for CI: untraced and always_on, one warm process each, measured in rounds of 2-s
// slices with always_on loaded side by side with untraced on the same core, until the time budget is
// spent. With --check on the base branch's checkout, the base's two variants join the same slices, so
// one moment's machine is in all four figures of a round, and the verdict compares the two trees round
// by round (docs/gate.md has the rates this design measured).
import { defineScenario } from '../src/scenario/define.ts';

export default defineScenario({
  name: 'ci',
  description: 'untraced vs always_on with the default batch processor, in pairs on one core: the gate for pull requests',
  // The closed loop: at a fixed 200 req/s, processes of the same settings differed by 5–8% in CPU/request
  // for their whole lives (bench/process-effect.ts --rate 200), which one process per variant cannot
  // average out; at saturation by about 1% (docs/gate.md).
  load: { connections: 16, durationSec: 2, warmupSec: 3 },
  processes: 'pairs',
  // The same-run check has its own A/A pair (this tree's untraced beside the base's); a sentinel would
  // add a process and a slice per round to a check that has 100 s.
  sentinel: false,
  // Rounds until ±1 point, which 100 s rarely reach here: a check takes about its budget.
  precision: 1,
  maxTimeSec: 100,
  variants: [
    { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
    { name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
  ],
  gate: { thresholds: { cpuUsPerRequest: 5, serverTimeP99: 10, requestsPerSec: 5, deliveryRatio: 0.1 }, alpha: 0.05 },
});
