// After a run that exported to a real Jaeger: did the traces the exporter called exported arrive?
// Waits (bounded) until Jaeger's count for the run's last exporting service process stops changing, then per
// variant looks up a seeded random sample of the exported trace ids (GET /api/traces/{id}) and counts
// what Jaeger's search finds in each process's lifetime for the run's own service name.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { foundInterval, JaegerQueryClient, sampleIds, type TraceLookup } from './query-client.ts';
import { JaegerQueryError } from './query-transport.ts';
import type { JaegerCheck, JaegerVariantCheck, ServiceLife } from '../model/index.ts';

/** Jaeger's in-memory store keeps this many traces by default (memory.max_traces), evicting the oldest. */
export const jaegerMemoryTraceLimit = 100_000;
/** Exported trace ids each service process keeps a uniform sample of. */
export const exportedTraceSampleSize = 1000;
export const defaultLookupsPerVariant = 200;
/** Largest search depth asked for at once; a process with more traces is searched in time slices. */
const searchDepthCap = 10_000;
const lookupConcurrency = 8;

export interface VerifyOptions {
  readonly queryUrl: string;
  readonly serviceName: string;
  readonly expectedSpansPerTrace: number;
  /** The run measured the variants at the same time (the concurrent mode): their windows overlap, so search totals are left out. */
  readonly variantsRanTogether: boolean;
  readonly lookupsPerVariant?: number;
  /** Budget for waiting until Jaeger has what it will get; default 30 s. */
  readonly settleDeadlineMs?: number;
  /** Settled once the count has not changed for this long; default 1 s (Jaeger's own batching waits 200 ms). */
  readonly stableForMs?: number;
  readonly seed?: number;
  readonly onProgress?: (message: string) => void;
}

/** A service name no earlier run used, so Jaeger's search counts this run's traces only. */
export function runServiceName(startedAt: Date = new Date()): string {
  const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `tracetax-${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Throws a one-line Error when Jaeger's query API does not answer at `queryUrl`: checked before any load. */
export async function checkJaegerReachable(queryUrl: string): Promise<void> {
  const client = new JaegerQueryClient({ baseUrl: queryUrl, timeoutMs: 3000, retries: 1 });
  try {
    // A search, not services(): a fresh Jaeger answers /api/v3/services with {} (no list), which services() rejects.
    const now = Date.now();
    await client.searchTraces('tracetax-reachability-check', now - 1000, now, 1);
  } catch (err) {
    throw new Error(`--jaeger-query ${queryUrl}: Jaeger's query API did not answer (${(err as Error).message}): start one with 'npm run jaeger' or fix the URL`);
  }
}

interface LifeWindow {
  readonly life: ServiceLife;
  readonly startMs: number;
  readonly endMs: number;
  readonly seen: number;
}

function windowOf(life: ServiceLife): LifeWindow {
  const startMs = Date.parse(life.startedAt);
  // Every span of a process starts after it did and before it shut down. Processes of one variant never
  // overlap; side by side or in the pool, processes of different variants do (search totals are then left
  // out). Back to back, a window may reach a few µs into the next one's (startedAt is whole ms, wallMs is
  // not); no trace falls there, since the next process's first request comes after it has started.
  return { life, startMs, endMs: startMs + life.wallMs, seen: life.final.exportedTraces?.seen ?? 0 };
}

const depthFor = (seen: number) => Math.ceil(seen * 1.2) + 100;

export async function verifyInJaeger(
  variants: readonly { readonly name: string; readonly lives: readonly ServiceLife[] }[],
  options: VerifyOptions,
): Promise<JaegerCheck> {
  const client = new JaegerQueryClient({ baseUrl: options.queryUrl });
  const progress = options.onProgress ?? (() => {});
  const seed = options.seed ?? randomBytes(4).readUInt32LE(0);
  const lookups = options.lookupsPerVariant ?? defaultLookupsPerVariant;
  const service = options.serviceName;
  const windows = variants.map((v) => v.lives.map(windowOf));
  const exportedTraces = windows.flat().reduce((sum, w) => sum + w.seen, 0);
  // Whether windows overlap is the run's to say: the millisecond startedAt plus a fractional wallMs of
  // back-to-back processes can overlap by microseconds, which says nothing about the traces in them.
  const windowsOverlap = options.variantsRanTogether;

  // Settle on the last process that exported anything: Jaeger stores in arrival order, so when its count
  // has stopped changing, the earlier processes' (seconds older) have too.
  const t0 = performance.now();
  const last = windows
    .flat()
    .filter((w) => w.seen > 0)
    .sort((a, b) => b.endMs - a.endMs)[0];
  let settled = true;
  let settleError: string | undefined;
  let api: 'v1' | 'v3' | null = null;
  if (last) {
    let lastPrinted = -Infinity;
    progress(`jaeger: waiting until ${options.queryUrl} holds the traces of ${service} (at most ${Math.round((options.settleDeadlineMs ?? 30_000) / 1000)} s)`);
    try {
      const wait = await client.waitUntilSettled(service, last.startMs, last.endMs, {
        limit: Math.min(depthFor(last.seen), searchDepthCap),
        stableForMs: options.stableForMs ?? 1000,
        deadlineMs: options.settleDeadlineMs ?? 30_000,
        onProgress: (count, elapsedMs) => {
          if (elapsedMs - lastPrinted < 2000) return;
          lastPrinted = elapsedMs;
          progress(`jaeger: ${count.toLocaleString('en-US')} of ${last.seen.toLocaleString('en-US')} traces of the last process (${last.life.variant}, rounds ${last.life.rounds.join(', ')}) after ${(elapsedMs / 1000).toFixed(1)} s`);
        },
      });
      settled = wait.settled;
      settleError = wait.lastError;
      api = wait.api ?? null;
    } catch (err) {
      settled = false;
      settleError = (err as Error).message;
    }
  }
  const settleMs = performance.now() - t0;

  const results: JaegerVariantCheck[] = [];
  for (const [i, variant] of variants.entries()) {
    const lifeWindows = windows[i];
    const seenTotal = lifeWindows.reduce((sum, w) => sum + w.seen, 0);
    const quotas = proportionalQuotas(
      lifeWindows.map((w) => w.seen),
      Math.min(lookups, seenTotal),
    );
    const ids = lifeWindows.flatMap((w, j) => {
      const sample = w.life.final.exportedTraces?.ids ?? [];
      return sampleIds(sample, Math.min(quotas[j], sample.length), (seed + (i * 1009 + j + 1) * 7919) >>> 0);
    });
    if (ids.length > 0) progress(`jaeger: looking up ${ids.length} of ${seenTotal.toLocaleString('en-US')} exported traces of ${variant.name}`);
    const answers = await mapLimit(ids, lookupConcurrency, (id) => client.getTrace(id));
    const found = answers.filter((a): a is Extract<TraceLookup, { state: 'found' }> => a.state === 'found');
    const notFound = answers.filter((a) => a.state === 'not-found').length;
    const lookupErrors = answers.filter((a) => a.state === 'error').length;
    const answered = answers.find((a) => a.state !== 'error');
    if (api === null && answered && 'api' in answered) api = answered.api;
    const spans = found.reduce((sum, a) => sum + a.trace.spanCount, 0);
    const search = windowsOverlap ? { searchTotal: null, searchCapped: false } : await searchTotal(client, service, lifeWindows);
    results.push({
      variant: variant.name,
      exportedTraces: seenTotal,
      lookedUp: found.length + notFound,
      found: found.length,
      lookupErrors,
      foundRatio: found.length + notFound > 0 ? foundInterval(found.length, found.length + notFound) : null,
      spansPerFoundTrace: found.length > 0 ? spans / found.length : null,
      completeFoundTraces: found.filter((a) => a.trace.spanCount === options.expectedSpansPerTrace).length,
      ...search,
    });
  }
  return {
    queryUrl: client.baseUrl,
    serviceName: service,
    api,
    seed,
    settled,
    settleMs,
    ...(settleError ? { settleError } : {}),
    expectedSpansPerTrace: options.expectedSpansPerTrace,
    exportedTraces,
    memoryLimitTraces: jaegerMemoryTraceLimit,
    windowsOverlap,
    variants: results,
  };
}

/** Distinct traces over the processes' lifetimes, each searched in slices of at most searchDepthCap traces. */
async function searchTotal(
  client: JaegerQueryClient,
  service: string,
  windows: readonly LifeWindow[],
): Promise<Pick<JaegerVariantCheck, 'searchTotal' | 'searchCapped' | 'searchError'>> {
  const ids = new Set<string>();
  let capped = false;
  try {
    for (const w of windows) {
      const depth = depthFor(w.seen);
      const slices = Math.ceil(depth / searchDepthCap);
      const width = (w.endMs - w.startMs) / slices;
      for (let s = 0; s < slices; s++) {
        const from = w.startMs + s * width;
        const to = s === slices - 1 ? w.endMs : from + width;
        const result = await client.searchTraces(service, from, to, Math.min(depth, searchDepthCap));
        if (result.atLimit) capped = true;
        for (const t of result.traces) ids.add(t.traceId);
      }
    }
  } catch (err) {
    if (!(err instanceof JaegerQueryError)) throw err;
    return { searchTotal: null, searchCapped: false, searchError: err.message };
  }
  return { searchTotal: ids.size, searchCapped: capped };
}

/** `total` split over `weights` in proportion (largest remainder), so a variant's sample is uniform over its processes. */
export function proportionalQuotas(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (w * total) / sum);
  const quotas = exact.map(Math.floor);
  let left = total - quotas.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left === 0) break;
    quotas[i]++;
    left--;
  }
  return quotas;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
