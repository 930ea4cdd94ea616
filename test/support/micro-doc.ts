// A micro.json with known per-operation costs, for the --explain model (test/unit/micro.test.ts) and the
// refusal of an incomplete one (test/e2e/micro.test.ts); and a micro scenario small enough for real runs in tests.
import type { MicroDocument, MicroResult, MicroScenario } from '../../src/model/index.ts';

/** Per-operation costs in ns, round numbers so every prediction in test/unit/micro.test.ts can be worked out by hand. */
export const knownNs: Record<string, number> = {
  'span.root.always_on': 2000,
  'span.child.always_on': 1000,
  'span.root.always_off': 500,
  'span.child.always_off': 250,
  'attributes.set10': 1000, // 100 ns per attribute
  'attributes.addEvent': 500,
  'processor.batch.onEnd': 100,
  'processor.simple.onEnd': 1000,
  'otlp.serialize.service': 5000,
  'otlp.serialize.spec': 8000,
  'propagation.inject': 200,
  'propagation.extract': 400,
  'propagation.extract.none': 20,
  'context.with.none': 30,
  'context.with.als': 130, // +100 ns
  'context.await.none': 60,
  'context.await.als': 260, // +200 ns per 2 promises: +100 ns per resource
  'span.root10attrs.always_on': 3000,
  'span.root10attrs.batch': 3200,
};

export function microDoc(ns: Record<string, number> = knownNs): MicroDocument {
  const results: MicroResult[] = Object.entries(ns).map(([id, nsPerOp]) => ({
    id,
    suite: id.split('.')[0]!,
    name: id,
    nsPerOp,
    opsPerSec: 1e9 / nsPerOp,
    rmePercent: 1,
    samples: 100,
    opsPerSample: 10,
  }));
  const window = (processor: 'batch' | 'simple', cpuUsPerSpan: number) => ({
    processor, targetPerSec: 10_000, seconds: 15, created: 150_000, exported: 150_000, exportFailed: 0, received: 150_000, cpuPercent: cpuUsPerSpan, cpuUsPerSpan, exportLagMs: { p50: 1, p99: 2 },
  });
  const ms = (values: number[]) => ({ mean: values[0]!, sd: 0, values });
  return {
    schemaVersion: 1,
    kind: 'micro',
    tool: { name: 'tracetax', version: 'test' },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:02:00.000Z',
    scenario: { name: 'micro', description: 'test', source: 'test', taskTimeMs: 10, taskWarmupMs: 0 },
    environment: { node: 'v20', platform: 'linux', arch: 'x64', cpuModel: 'test cpu', cpuCount: 2, pinning: { pinned: false, reason: 'test' }, packages: {} },
    results,
    collectorDecode: { spansPerSec: 1e6, rmePercent: 1, samples: 10, batchSpans: 512, payloadBytes: 1000 },
    asyncResources: { requests: 100, perRequest: 100, byType: { PROMISE: 100 } },
    spec: {
      attributes: '10',
      pinnedTo: null,
      maxRate: { ...window('batch', 40), targetPerSec: null, spansPerSec: 25_000 },
      fixedRate: {
        targetPerSec: 10_000,
        seconds: 15,
        repeats: 1,
        // batch: 26.2 µs/span − (3.2 + 8) in-process = 15 µs transport; simple: 92 − (3 + 1 + 8) = 80 µs
        batch: { cpuPercent: ms([26.2]), achievedPerSec: ms([10_000]), exportFailed: 0, windows: [window('batch', 26.2)] },
        simple: { cpuPercent: ms([92]), achievedPerSec: ms([10_000]), exportFailed: 0, windows: [window('simple', 92)] },
      },
    },
    wallSec: 120,
  };
}

/** A real micro run on budgets small enough for a test (a few seconds): every task, the spec benchmark once. */
export const tinyMicroScenario: MicroScenario = {
  kind: 'micro',
  name: 'micro-test',
  description: 'tiny budgets',
  source: 'test',
  taskTimeMs: 5,
  taskWarmupMs: 0,
  spec: { warmupSec: 0, maxRateSec: 0.5, fixedRatePerSec: 2000, fixedRateSec: 0.5, repeats: 1 },
  runtime: { nodeFlags: [] },
  sdk: 'otel-0.223',
};
