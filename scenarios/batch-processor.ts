// What the span processor settings cost, at a load where the BatchSpanProcessor's defaults drop spans.
// The processor has one export in flight at a time; with a backend that takes 100 ms to answer, the
// defaults drain at most 512 spans per 100 ms, less than this service makes at saturation.
import { defineScenario } from '../src/scenario/define.ts';

export default defineScenario({
  name: 'batch-processor',
  description:
    'simple vs batch (defaults, which drop spans at this load) vs batch tuned to keep up vs a small queue, all always_on, exporting to a backend that answers in 100 ms',
  load: { connections: 32, durationSec: 2, warmupSec: 5 },
  collector: { responseDelayMs: 100 },
  maxTimeSec: 240,
  variants: [
    { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
    { name: 'simple', env: { OTEL_TRACES_SAMPLER: 'always_on', TRACETAX_SPAN_PROCESSOR: 'simple' } },
    { name: 'batch defaults', env: { OTEL_TRACES_SAMPLER: 'always_on', TRACETAX_SPAN_PROCESSOR: 'batch' } },
    {
      name: 'batch tuned',
      env: {
        OTEL_TRACES_SAMPLER: 'always_on',
        OTEL_BSP_MAX_QUEUE_SIZE: 65536,
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: 2048,
        OTEL_BSP_SCHEDULE_DELAY: 200,
      },
    },
    {
      name: 'batch small queue',
      env: { OTEL_TRACES_SAMPLER: 'always_on', OTEL_BSP_MAX_QUEUE_SIZE: 512, OTEL_BSP_MAX_EXPORT_BATCH_SIZE: 128, OTEL_BSP_SCHEDULE_DELAY: 1000 },
    },
  ],
});
