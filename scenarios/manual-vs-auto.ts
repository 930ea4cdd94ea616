// Manual against automatic instrumentation on the same service: the built-in topology with its hand-written
// spans (tracetax's own SDK setup), and with zero-code instrumentation instead (the register hook of
// @opentelemetry/auto-instrumentations-node preloaded by NODE_OPTIONS; the hand-written spans off). With
// only the http instrumentation, a request makes 7 spans (a server span per hop, a client span per call)
// against the 8 hand-written ones; with every default instrumentation on, the net and dns ones add more.
import { defineScenario } from '../src/scenario/define.ts';

export default defineScenario({
  name: 'manual-vs-auto',
  description: 'the built-in topology instrumented by hand vs by the zero-code register hook (http only, and every default), at always_on and always_off',
  load: { connections: 16, durationSec: 2, warmupSec: 3 },
  maxTimeSec: 120,
  variants: [
    { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
    { name: 'manual always_on', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
    { name: 'auto http always_on', instrumentation: 'auto', env: { OTEL_TRACES_SAMPLER: 'always_on', OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http' } },
    { name: 'auto all always_on', instrumentation: 'auto', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
    { name: 'manual always_off', env: { OTEL_TRACES_SAMPLER: 'always_off' } },
    { name: 'auto http always_off', instrumentation: 'auto', env: { OTEL_TRACES_SAMPLER: 'always_off', OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http' } },
  ],
});
