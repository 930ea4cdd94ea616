// A service as people write it, measured from outside: examples/own-service (an Express 5 api over SQLite
// through better-sqlite3, plus a node:http pricing service it forks and calls once per request) under
// zero-code instrumentation, the register hook of @opentelemetry/auto-instrumentations-node preloaded
// through NODE_OPTIONS into both processes. What tracing costs a real app's process tree, not tracetax's
// own topology: per request the api makes 5 spans (http server, 3 of express and router, http client;
// better-sqlite3 has no instrumentation, so the query makes none) and the pricing service 1.
import { defineScenario } from '../src/scenario/define.ts';

export default defineScenario({
  name: 'own-service',
  description: 'an Express + SQLite api and the pricing service it calls, under auto-instrumentation: untraced vs always_on vs traceidratio 0.1 vs always_off',
  service: {
    command: ['node', 'examples/own-service/api.cjs'],
    // Each request takes the next of the 1,000 items in turn: an indexed query and one call to pricing.
    url: 'http://127.0.0.1:{port}/items',
    ready: '/health',
    cwd: '..',
  },
  // The register hook loads dozens of instrumentations: its processes take longer to warm than untraced ones.
  load: { connections: 16, durationSec: 2, warmupSec: 10 },
  maxTimeSec: 150,
  variants: [
    { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
    { name: 'auto always_on', instrumentation: 'auto', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
    { name: 'auto traceidratio 0.1', instrumentation: 'auto', env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 0.1 } },
    { name: 'auto always_off', instrumentation: 'auto', env: { OTEL_TRACES_SAMPLER: 'always_off' } },
  ],
});
