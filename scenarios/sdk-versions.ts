// What an SDK upgrade does to tracing's cost: always_off (the floor) and always_on with tracetax's own
// OpenTelemetry JS (API 1.9, SDK 2.12, exporters 0.223) and with the newest line (sdks/otel-latest: API 1.10,
// sdk-trace 3.1, exporters 0.301, which need Node.js >= 22.15), all on Node.js 24 against one untraced
// baseline there. Needs `npm run runtimes -- --install`.
import { defineScenario } from '../src/scenario/define.ts';

export default defineScenario({
  name: 'sdk-versions',
  description: 'always_off and always_on with OpenTelemetry JS 0.223 (SDK 2.12) vs the newest line (0.301, sdk-trace 3.1), on Node.js 24',
  load: { connections: 16, durationSec: 2, warmupSec: 5 },
  maxTimeSec: 240,
  variants: [
    { name: 'untraced node24', runtime: 'node24', env: { OTEL_SDK_DISABLED: 'true' } },
    { name: 'always_off otel-0.223', runtime: 'node24', env: { OTEL_TRACES_SAMPLER: 'always_off' } },
    { name: 'always_on otel-0.223', runtime: 'node24', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
    { name: 'always_off otel-latest', runtime: 'node24', sdk: 'otel-latest', env: { OTEL_TRACES_SAMPLER: 'always_off' } },
    { name: 'always_on otel-latest', runtime: 'node24', sdk: 'otel-latest', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
  ],
});
