// The first run: four variants, one warm process each, rounds of 2-s slices beside the baseline until
// every Δ CPU/request is known to ±2 points or 45 s are spent: under a minute on 2 cores.
import { defineScenario } from '../src/scenario/define.ts';

export default defineScenario({
  name: 'quick',
  description: 'untraced vs always_on vs traceidratio 0.1 vs always_off, short trials: a first look at what tracing costs',
  load: { connections: 16, durationSec: 2, warmupSec: 2 },
  maxTimeSec: 45,
  variants: [
    { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
    { name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
    { name: 'traceidratio 0.1', env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 0.1 } },
    { name: 'always_off', env: { OTEL_TRACES_SAMPLER: 'always_off' } },
  ],
});
