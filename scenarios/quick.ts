// The first run: four variants and the sentinel (an untraced copy, the run's A/A check), in blocks of
// fresh processes measured in 2-s slices, each alone on the service's core, until every Δ CPU/request is known to ±2
// points or 95 s are spent: three blocks on 2 cores, the fewest whose interval over processes (t with
// 2 degrees of freedom) says something.
import { defineScenario } from '../src/scenario/define.ts';

export default defineScenario({
  name: 'quick',
  description: 'untraced vs always_on vs traceidratio 0.1 vs always_off, short trials: a first look at what tracing costs',
  load: { connections: 16, durationSec: 2, warmupSec: 2 },
  maxTimeSec: 95,
  variants: [
    { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
    { name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
    { name: 'traceidratio 0.1', env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 0.1 } },
    { name: 'always_off', env: { OTEL_TRACES_SAMPLER: 'always_off' } },
  ],
});
