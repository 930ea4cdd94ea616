// The cross-check: from per-operation costs (a micro run) and what one request of the service does
// (src/sut/builtin/topology.ts), predict tracing's CPU per request for each variant of a load run, and put
// it next to the measured change against untraced. Pure: no I/O, so it is unit-tested on known inputs.
import { InputError } from '../common/input.ts';
import { platformOf } from '../scenario/runtime.ts';
import { spansPerRequest } from '../sut/builtin/shape.ts';
import type {
  ExplainFitCheck,
  ExplainRow,
  Explanation,
  ExportWindow,
  MeasuredDelta,
  MicroCosts,
  MicroDocument,
  PredictedComponents,
  RequestProfile,
  RunDocument,
  TracingConfig,
} from '../model/index.ts';

export const serviceRequestProfile: RequestProfile = {
  rootSpans: 1,
  childSpans: 7,
  attributes: 4 * 2 + 3 * 3 + 3 + 4 + 3,
  events: 2,
  injects: 3,
  extractsWithParent: 3,
  extractsWithoutParent: 1,
  contextWith: 5,
};

/** At or above this CPU share the exporting process was saturated: its CPU per span measures the saturation, not export. */
export const saturatedCpuPercent = 95;

/**
 * A fixed-rate window measures CPU per exported span only if every span it created was exported and
 * the process had CPU to spare: with failed exports (the SimpleSpanProcessor's one gRPC call per span
 * overruns the exporter's concurrency limit) or a saturated core, CPU over exported spans means nothing.
 */
export const usableExportWindow = (w: ExportWindow): boolean => w.exported > 0 && w.exportFailed === 0 && w.cpuPercent < saturatedCpuPercent;

/** The window's process CPU divided by the spans it exported (cpuUsPerSpan is per span created). */
const cpuUsPerExportedSpan = (w: ExportWindow): number => (w.cpuUsPerSpan * w.created) / w.exported;

export class ExplainInputError extends InputError {}

export function microCosts(doc: MicroDocument): MicroCosts {
  const byId = new Map(doc.results.map((r) => [r.id, r.nsPerOp / 1000]));
  const us = (id: string): number => {
    const v = byId.get(id);
    if (v === undefined || !Number.isFinite(v)) throw new ExplainInputError(`the micro results have no '${id}': rerun npm run bench:micro with this version of tracetax`);
    return v;
  };
  const f = doc.spec?.fixedRate;
  // Mean over the usable windows, less the in-process part; null when no window is usable.
  const transport = (windows: readonly ExportWindow[], inProcess: number): number | null => {
    const usable = windows.filter(usableExportWindow);
    return usable.length === 0 ? null : usable.reduce((a, w) => a + cpuUsPerExportedSpan(w), 0) / usable.length - inProcess;
  };
  return {
    rootOn: us('span.root.always_on'),
    childOn: us('span.child.always_on'),
    rootOff: us('span.root.always_off'),
    childOff: us('span.child.always_off'),
    setAttribute: us('attributes.set10') / 10,
    addEvent: us('attributes.addEvent'),
    batchOnEnd: us('processor.batch.onEnd'),
    simpleOnEnd: us('processor.simple.onEnd'),
    serializePerSpan: us('otlp.serialize.service'),
    inject: us('propagation.inject'),
    extract: us('propagation.extract'),
    extractNone: us('propagation.extract.none'),
    contextWithExtra: us('context.with.als') - us('context.with.none'),
    perAsyncResourceExtra: (us('context.await.als') - us('context.await.none')) / 2,
    asyncResourcesPerRequest: doc.asyncResources?.perRequest ?? null,
    transportPerSpan: f
      ? {
          batch: transport(f.batch.windows, us('span.root10attrs.batch') + us('otlp.serialize.spec')),
          simple: transport(f.simple.windows, us('span.root10attrs.always_on') + us('processor.simple.onEnd') + us('otlp.serialize.spec')),
        }
      : null,
  };
}

export interface ExplainInput {
  readonly config: TracingConfig;
  /** Sampled spans per request (sampled / requests), as the run counted them. */
  readonly sampledPerRequest: number;
  /** Sampled root spans per request: the share of requests whose trace was recorded. */
  readonly sampledRootsPerRequest: number;
  /** The run's loop iterations per µs, to put a planted regression's iterations in µs (absent: no plant to count). */
  readonly iterationsPerUs?: number;
}

export function predictComponents(costs: MicroCosts, input: ExplainInput, profile: RequestProfile = serviceRequestProfile): PredictedComponents {
  const zero: PredictedComponents = { contextWith: 0, asyncContext: 0, propagation: 0, nonRecordingSpans: 0, recordedSpans: 0, attributesAndEvents: 0, processor: 0, serialization: 0, planted: 0 };
  if (input.config.kind === 'untraced') return zero;
  const spans = profile.rootSpans + profile.childSpans;
  const sampled = Math.min(Math.max(input.sampledPerRequest, 0), spans);
  const roots = Math.min(Math.max(input.sampledRootsPerRequest, 0), profile.rootSpans);
  const children = Math.max(sampled - roots, 0);
  const c = costs;
  return {
    contextWith: profile.contextWith * c.contextWithExtra,
    asyncContext: (c.asyncResourcesPerRequest ?? 0) * c.perAsyncResourceExtra,
    propagation: profile.injects * c.inject + profile.extractsWithParent * c.extract + profile.extractsWithoutParent * c.extractNone,
    nonRecordingSpans: (profile.rootSpans - roots) * c.rootOff + (profile.childSpans - children) * c.childOff,
    recordedSpans: roots * c.rootOn + children * c.childOn,
    // A trace is recorded whole or not at all (the ratio samplers decide on the trace id), so its attributes go with its share of spans.
    attributesAndEvents: (sampled / spans) * (profile.attributes * c.setAttribute + profile.events * c.addEvent),
    processor: sampled * (input.config.processor.kind === 'simple' ? c.simpleOnEnd : c.batchOnEnd),
    serialization: input.config.exporter.kind === 'none' ? 0 : sampled * c.serializePerSpan,
    planted: input.iterationsPerUs ? (sampled * input.config.plantedSpanIterations) / input.iterationsPerUs : 0,
  };
}

export const sumComponents = (p: PredictedComponents): number => Object.values(p).reduce((a, b) => a + b, 0);

/** The floor: what a traced service pays when nothing is sampled. */
export function floorComponents(costs: MicroCosts, profile: RequestProfile = serviceRequestProfile) {
  const p = predictComponents(
    costs,
    {
      config: { kind: 'sdk', sampler: { name: 'always_off' }, processor: { kind: 'simple' }, exporter: { kind: 'none' }, plantedSpanIterations: 0 },
      sampledPerRequest: 0,
      sampledRootsPerRequest: 0,
    },
    profile,
  );
  return {
    contextManager: p.contextWith + p.asyncContext,
    contextWith: p.contextWith,
    asyncContext: p.asyncContext,
    propagation: p.propagation,
    nonRecordingSpans: p.nonRecordingSpans,
    total: p.contextWith + p.asyncContext + p.propagation + p.nonRecordingSpans,
  };
}

/** Beyond this relative difference the report says the two disagree. */
export const disagreementThreshold = 0.3;

/** µs (or ns) for the reports: whole numbers with separators from 100, one decimal below. */
export const fmt = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));

/** Why predicted and measured differ, in one sentence naming the likely cost. */
export function likelyMissingCost(row: Omit<ExplainRow, 'finding' | 'differs'>, costs: MicroCosts, processor: 'batch' | 'simple'): string {
  const m = row.measured!;
  const inInterval = row.predictedUs >= m.lowUs && row.predictedUs <= m.highUs;
  const noise = inInterval ? ' The measured change\'s 95% interval includes the prediction, so this run cannot tell them apart.' : '';
  if (row.predictedUs > m.us) {
    return `the prediction exceeds the measurement: the micro-benchmarks time each operation alone, where the service overlaps them with I/O waits, or the measured change is noise.${noise}`;
  }
  const gap = m.us - row.predictedUs;
  const perSpan = costs.transportPerSpan?.[processor];
  if (row.sampledPerRequest >= 0.05 && perSpan !== undefined && perSpan !== null) {
    const transport = perSpan * row.sampledPerRequest;
    return (
      `export on the service's event loop is not in the per-operation model: the specification benchmark's ${processor}-processor windows at a fixed rate spent ${fmt(perSpan)} CPU µs per exported span beyond creating, processing and serializing it ` +
      `(gRPC/HTTP2 framing, socket writes, timers, GC), ${fmt(transport)} µs/request at ${fmt(row.sampledPerRequest)} sampled spans per request against a gap of ${fmt(gap)} µs` +
      (transport >= gap ? ', enough to close it.' : `; the rest is the floor's unmodelled part (JIT and cache effects of the SDK on the request path, GC).`) +
      noise
    );
  }
  // A processor whose every fixed-rate window failed exports or saturated the core gives no export cost to name.
  const unmeasured =
    row.sampledPerRequest >= 0.05 && perSpan === null
      ? ` Export cost is not estimated: every ${processor}-processor window of the specification benchmark failed exports or ran at ≥ ${saturatedCpuPercent}% CPU, so its CPU per exported span measures nothing.`
      : '';
  return (
    `the floor beyond the modelled calls: the micro-benchmarks run each call hot in cache, while the service pays for the SDK's code and data on every request ` +
    `(instruction-cache and branch-predictor pressure, megamorphic call sites, GC of context objects) and the context manager's async hooks on resources the count misses.${unmeasured}${noise}`
  );
}

/** The measured CPU change of each traced variant against the baseline, from the run's comparison. */
export function measuredDelta(run: RunDocument, variantName: string): MeasuredDelta | null {
  const base = run.variants.find((v) => v.name === run.baseline)?.comparison.cpuUsPerRequest.estimate.median;
  const change = run.variants.find((v) => v.name === variantName)?.comparison.cpuUsPerRequest.change;
  if (base === undefined || !Number.isFinite(base) || !change || !Number.isFinite(change.ratio)) return null;
  return { us: (change.ratio - 1) * base, lowUs: (change.low - 1) * base, highUs: (change.high - 1) * base };
}

export function explainRun(run: RunDocument, micro: MicroDocument, profile: RequestProfile = serviceRequestProfile): Explanation {
  if (profile.rootSpans + profile.childSpans !== spansPerRequest) {
    throw new ExplainInputError(`the request profile has ${profile.rootSpans + profile.childSpans} spans but the service makes ${spansPerRequest}: update serviceRequestProfile`);
  }
  const costs = microCosts(micro);
  const rows: ExplainRow[] = [];
  // Like with like: a variant is predicted only from micro-benchmarks on its own runtime and SDK set.
  const microOn = platformOf(micro.environment.runtime, micro.environment.sdk);
  const elsewhere: { variant: string; ranOn: string; microOn: string }[] = [];
  for (const v of run.variants) {
    // The model predicts tracetax's own SDK setup from its span counts; a variant without them is another SDK's.
    if (v.name === run.baseline || v.config.kind !== 'sdk' || v.summary.spans.sampled === null || v.summary.sampledTraces === null) continue;
    const ranOn = platformOf(v.runtime, v.sdk);
    if (ranOn !== microOn) {
      elsewhere.push({ variant: v.name, ranOn, microOn });
      continue;
    }
    const requests = v.summary.requests;
    const sampledPerRequest = requests > 0 ? v.summary.spans.sampled / requests : 0;
    const sampledRootsPerRequest = requests > 0 ? v.summary.sampledTraces / requests : 0;
    const predicted = predictComponents(costs, { config: v.config, sampledPerRequest, sampledRootsPerRequest, iterationsPerUs: run.environment?.iterationsPerUs }, profile);
    const predictedUs = sumComponents(predicted);
    const measured = measuredDelta(run, v.name);
    const ratio = measured && measured.us > 0 ? predictedUs / measured.us : null;
    const differs = measured !== null && (measured.us <= 0 || Math.abs(predictedUs - measured.us) > disagreementThreshold * Math.abs(measured.us));
    const row = { variant: v.name, description: v.description, sampledPerRequest, predicted, predictedUs, measured, ratio };
    const finding = !differs
      ? null
      : measured!.us <= 0
        ? 'the run measured no added CPU for this variant, so there is nothing for the model to explain: the change is within the run\'s noise.'
        : likelyMissingCost(row, costs, v.config.processor.kind);
    rows.push({ ...row, differs, finding });
  }
  const nearZero = run.variants.filter(
    (v) => v.name !== run.baseline && v.config.kind === 'sdk' && v.summary.requests > 0 && v.summary.sampledTraces !== null && v.summary.sampledTraces / v.summary.requests < 0.01,
  );
  return {
    micro: { startedAt: micro.startedAt, source: micro.scenario.source, node: micro.environment.node, cpuModel: micro.environment.cpuModel },
    ...(elsewhere.length > 0 ? { elsewhere } : {}),
    profile,
    costs,
    floor: { ...floorComponents(costs, profile), measured: nearZero.map((v) => ({ variant: v.name, measured: measuredDelta(run, v.name) })) },
    rows,
    fitChecks: fitChecks(run, costs, profile),
  };
}

/**
 * The prediction against the run's CPU fit of each sampler family: the floor, and the cost of one more
 * sampled span, which the model gives as its prediction with every span of a request sampled minus
 * with none, over the spans of a request.
 */
export function fitChecks(run: RunDocument, costs: MicroCosts, profile: RequestProfile = serviceRequestProfile): ExplainFitCheck[] {
  const spans = profile.rootSpans + profile.childSpans;
  return run.fits.flatMap((fit) => {
    const config = run.variants.find((v) => v.name === fit.points[0]?.variant)?.config;
    if (fit.metric !== 'cpuUsPerRequest' || config?.kind !== 'sdk') return [];
    const at = (sampled: boolean) =>
      sumComponents(predictComponents(costs, { config, sampledPerRequest: sampled ? spans : 0, sampledRootsPerRequest: sampled ? profile.rootSpans : 0 }, profile));
    const predictedPerSpanUs = (at(true) - at(false)) / spans;
    const transport = costs.transportPerSpan?.[config.processor.kind];
    return [
      {
        family: fit.family,
        predictedFloorUs: floorComponents(costs, profile).total,
        fittedFloorUs: fit.floor,
        predictedPerSpanUs,
        predictedPerSpanWithTransportUs: transport === undefined || transport === null ? null : predictedPerSpanUs + transport,
        fittedPerSpanUs: fit.perSpan,
      },
    ];
  });
}

