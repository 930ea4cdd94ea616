// The Dapper table for Node.js: overhead against sampling ratio, root-decided and parent-based.
import { defineScenario } from '../src/scenario/define.ts';

const ratios = [1, 0.5, 0.25, 0.125, 0.0625, 0.001];

export default defineScenario({
  name: 'sampling-ratios',
  description: 'traceidratio and parentbased_traceidratio at 1, 1/2, 1/4, 1/8, 1/16 and 1/1000 against untraced (Dapper, section 6)',
  // Blocks of fresh processes measured in 2-s slices, until every Δ CPU/request is within ±2 points or 5.5 min are spent.
  load: { connections: 16, warmupSec: 3 },
  maxTimeSec: 330,
  variants: [
    { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
    {
      matrix: { OTEL_TRACES_SAMPLER: ['traceidratio', 'parentbased_traceidratio'], OTEL_TRACES_SAMPLER_ARG: ratios },
      name: '${OTEL_TRACES_SAMPLER} ${OTEL_TRACES_SAMPLER_ARG}',
    },
  ],
});
