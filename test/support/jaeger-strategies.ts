// A Jaeger strategies file and the /sampling answers a real Jaeger v2 gave for it, shared by
// test/unit/jaeger-sampling.test.ts (the encoder) and test/e2e/jaeger-sampling.test.ts (the servers).

// A strategies file exercising every rule of Jaeger's file provider (no invalid entries: those tracetax refuses).
export const richStrategies = {
  service_strategies: [
    { service: 'prob', type: 'probabilistic', param: 0.1 },
    { service: 'zero', type: 'probabilistic', param: 0 },
    { service: 'rl', type: 'ratelimiting', param: 50 },
    { service: 'rlfrac', type: 'ratelimiting', param: 2.7 },
    {
      service: 'ops',
      type: 'probabilistic',
      param: 0.05,
      operation_strategies: [
        { operation: 'frontend GET /hello', type: 'probabilistic', param: 0.2 },
        { operation: 'op-zero', type: 'probabilistic', param: 0 },
      ],
    },
    { service: 'rlops', type: 'ratelimiting', param: 7, operation_strategies: [{ operation: 'a', type: 'probabilistic', param: 0.3 }] },
    { service: 'nops', type: 'ratelimiting', param: 4 },
  ],
  default_strategy: {
    type: 'probabilistic',
    param: 0.5,
    operation_strategies: [
      { operation: '/health', type: 'probabilistic', param: 0 },
      { operation: 'a', type: 'probabilistic', param: 0.9 },
    ],
  },
};
const defaultOps = '"perOperationStrategies":[{"operation":"/health","probabilisticSampling":{"samplingRate":0}},{"operation":"a","probabilisticSampling":{"samplingRate":0.9}}]';
// Recorded from a real Jaeger v2 (built from the v1.76.0 tag, remote_sampling with this file), 2026-11-25,
// when the file also had a ratelimiting operation strategy on 'ops', which Jaeger skipped (tracetax now refuses it).
export const recordedFromJaeger: Record<string, string> = {
  prob: `{"strategyType":0,"probabilisticSampling":{"samplingRate":0.1},"operationSampling":{"defaultSamplingProbability":0.1,"defaultLowerBoundTracesPerSecond":0,${defaultOps},"defaultUpperBoundTracesPerSecond":0}}`,
  zero: `{"strategyType":0,"probabilisticSampling":{"samplingRate":0},"operationSampling":{"defaultSamplingProbability":0,"defaultLowerBoundTracesPerSecond":0,${defaultOps},"defaultUpperBoundTracesPerSecond":0}}`,
  rl: `{"strategyType":1,"rateLimitingSampling":{"maxTracesPerSecond":50},"operationSampling":{"defaultSamplingProbability":0.5,"defaultLowerBoundTracesPerSecond":0,${defaultOps},"defaultUpperBoundTracesPerSecond":0}}`,
  rlfrac: `{"strategyType":1,"rateLimitingSampling":{"maxTracesPerSecond":2},"operationSampling":{"defaultSamplingProbability":0.5,"defaultLowerBoundTracesPerSecond":0,${defaultOps},"defaultUpperBoundTracesPerSecond":0}}`,
  ops: '{"strategyType":0,"probabilisticSampling":{"samplingRate":0.05},"operationSampling":{"defaultSamplingProbability":0.05,"defaultLowerBoundTracesPerSecond":0,"perOperationStrategies":[{"operation":"frontend GET /hello","probabilisticSampling":{"samplingRate":0.2}},{"operation":"op-zero","probabilisticSampling":{"samplingRate":0}},{"operation":"/health","probabilisticSampling":{"samplingRate":0}},{"operation":"a","probabilisticSampling":{"samplingRate":0.9}}],"defaultUpperBoundTracesPerSecond":0}}',
  rlops:
    '{"strategyType":1,"rateLimitingSampling":{"maxTracesPerSecond":7},"operationSampling":{"defaultSamplingProbability":0.001,"defaultLowerBoundTracesPerSecond":0,"perOperationStrategies":[{"operation":"a","probabilisticSampling":{"samplingRate":0.3}},{"operation":"/health","probabilisticSampling":{"samplingRate":0}}],"defaultUpperBoundTracesPerSecond":0}}',
  nops: `{"strategyType":1,"rateLimitingSampling":{"maxTracesPerSecond":4},"operationSampling":{"defaultSamplingProbability":0.5,"defaultLowerBoundTracesPerSecond":0,${defaultOps},"defaultUpperBoundTracesPerSecond":0}}`,
  unknown: `{"strategyType":0,"probabilisticSampling":{"samplingRate":0.5},"operationSampling":{"defaultSamplingProbability":0.5,"defaultLowerBoundTracesPerSecond":0,${defaultOps},"defaultUpperBoundTracesPerSecond":0}}`,
};
