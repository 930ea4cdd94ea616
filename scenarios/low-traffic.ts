// A service at a low, fixed rate, where the batch processor's default 5-s delay decides how long sampled
// spans wait: at 100 req/s (800 spans/s when every trace is sampled) a full sampler fills a 512-span batch
// in 0.64 s, a 1/16 sampler waits out the 5-s timer. Each ratio runs with the default delay and with a
// 200-ms one, so the report's batching table shows which regime each variant was in (docs/low-traffic.md).
import { defineScenario } from '../src/scenario/define.ts';

export default defineScenario({
  name: 'low-traffic',
  description: 'traceidratio 1, 1/4, 1/16 and 1/1000 with the default 5-s batch delay and a 200-ms one, and always_off, at a fixed 100 req/s (about 9 minutes: 20 s of warm-up per process)',
  // 20 s of warm-up, every process of a block at once at its rate: at 100 req/s a 1/16 sampler runs its sampled
  // path 6 times a second, and its Δ was still falling from +62% to +5% over the first minute of load
  // (docs/low-traffic.md); the rounds that follow add to each process's age. Then blocks (the pool) of
  // 4-s slices, each spanning most of a 5-s batch cycle, until ±2 points or 9 min in all (warm-ups included).
  load: { mode: 'open', rate: 100, durationSec: 4, warmupSec: 20 },
  maxTimeSec: 540,
  variants: [
    { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
    { name: 'always_off', env: { OTEL_TRACES_SAMPLER: 'always_off' } },
    {
      matrix: { OTEL_TRACES_SAMPLER_ARG: [1, 0.25, 0.0625, 0.001], OTEL_BSP_SCHEDULE_DELAY: [5000, 200] },
      env: { OTEL_TRACES_SAMPLER: 'traceidratio' },
      name: 'traceidratio ${OTEL_TRACES_SAMPLER_ARG} delay ${OTEL_BSP_SCHEDULE_DELAY}ms',
    },
  ],
});
