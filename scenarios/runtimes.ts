// What the runtime does to tracing's cost: untraced, always_off (the floor), traceidratio 1/16 and always_on
// on Node.js 20, 22, 22 with AsyncContextFrame (AsyncLocalStorage without async hooks, behind a flag there)
// and 24 (where it is the default). Every overhead is against the untraced variant on the same runtime;
// the report also sets the runtimes' untraced CPU per request side by side. Needs `npm run runtimes -- --install`.
import { defineScenario } from '../src/scenario/define.ts';
import type { RuntimeName, VariantSpec } from '../src/model/index.ts';

const runtimes: { label: string; runtime: RuntimeName; nodeFlags?: string[] }[] = [
  { label: 'node20', runtime: 'node20' },
  { label: 'node22', runtime: 'node22' },
  { label: 'node22+acf', runtime: 'node22', nodeFlags: ['--experimental-async-context-frame'] },
  { label: 'node24', runtime: 'node24' },
];

const samplers: { name: string; env: VariantSpec['env'] }[] = [
  { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
  { name: 'always_off', env: { OTEL_TRACES_SAMPLER: 'always_off' } },
  { name: '1/16', env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 0.0625 } },
  { name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on' } },
];

export default defineScenario({
  name: 'runtimes',
  description: 'untraced, always_off, traceidratio 1/16 and always_on on Node.js 20, 22, 22 with AsyncContextFrame and 24: the floor and the overhead per runtime',
  load: { connections: 16, durationSec: 2, warmupSec: 5 },
  maxTimeSec: 360,
  variants: runtimes.flatMap(({ label, runtime, nodeFlags }) =>
    samplers.map(({ name, env }) => ({ name: `${name} ${label}`, runtime, ...(nodeFlags ? { nodeFlags } : {}), env })),
  ),
});
