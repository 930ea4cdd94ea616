// Runtimes and SDK sets side by side, for a run whose variants ran on more than one of either: each
// runtime's untraced CPU per request (what the runtime saves on plain requests), and the floor (always_off
// over that runtime's untraced) and always_on's overhead (what it saves on tracing), each with its interval
// and held against the baseline row's (the run's baseline runtime with tracetax's own SDK), round by round.
import { cpuRatioByRound, overheadRatioByRound } from '../compare/across-runtimes.ts';
import { halfWidthPts } from '../compare/precision.ts';
import { formatEstimate, signedPercent } from '../compare/stats.ts';
import { harnessRuntime, runtimeKey, runtimeLabel } from '../scenario/runtime.ts';
import { defaultSdkSet } from '../sut/sdk-sets.ts';
import { changeCell } from './rows.ts';
import type { RatioEstimate, RunDocument, VariantResult } from '../model/index.ts';

export const runtimeColumns = [
  'Node.js',
  'untraced CPU µs/req',
  'untraced vs the run\'s baseline',
  'floor (always_off)',
  'floor vs the baseline row\'s',
  'always_on',
  'always_on vs the baseline row\'s',
] as const;
export type RuntimeColumn = (typeof runtimeColumns)[number];

const runtimeOf = (v: VariantResult) => runtimeKey(v.runtime ?? harnessRuntime);
const sdkOf = (v: VariantResult) => v.sdk ?? defaultSdkSet;
/** A row's variants: one runtime (and flags) and one SDK set; its untraced baseline is the runtime's. */
const keyOf = (v: VariantResult) => JSON.stringify([runtimeOf(v), v.config.kind === 'untraced' ? defaultSdkSet : sdkOf(v)]);

/** A ratio as a change with its 95% half-width and whether its interval excludes no change. */
function ratioText(r: RatioEstimate): string {
  const half = halfWidthPts(r);
  const differs = r.low > 1 || r.high < 1;
  return `${signedPercent((r.ratio - 1) * 100)} ±${Number.isFinite(half) ? half.toFixed(1) : '∞'}${Number.isFinite(half) ? (differs ? ' differs' : ' no difference shown') : ''}`;
}

/** One row per runtime (and flags) and SDK set of this tree's variants; empty when they all ran on one. */
export function runtimeRows(run: RunDocument): { runtime: string; cells: Record<RuntimeColumn, string> }[] {
  const ours = run.variants.filter((v) => v.tree !== 'base');
  const keys = [...new Set(ours.map(keyOf))];
  if (keys.length < 2) return [];
  const reference = run.variants.find((v) => v.name === run.baseline)!;
  const groupOf = (key: string) => {
    const group = ours.filter((v) => keyOf(v) === key);
    const bySampler = (name: string) => group.find((v) => v.config.kind === 'sdk' && v.config.sampler.name === name && v.instrumentation !== 'auto');
    const untraced = ours.find((v) => v.config.kind === 'untraced' && runtimeOf(v) === runtimeOf(group[0]))!;
    return { untraced, sdk: sdkOf(group.find((v) => v.config.kind === 'sdk') ?? untraced), off: bySampler('always_off'), on: bySampler('always_on') };
  };
  const base = groupOf(keyOf(reference));
  /** This row's overhead of `pick` over the baseline row's, round by round. */
  const versusBase = (g: ReturnType<typeof groupOf>, pick: 'off' | 'on') => {
    if (g === base || (g.untraced === base.untraced && g.sdk === base.sdk)) return '(the baseline row)';
    const ours = g[pick];
    const theirs = base[pick];
    if (!ours || !theirs) return '–';
    return ratioText(overheadRatioByRound(ours.trials, g.untraced.trials, theirs.trials, base.untraced.trials));
  };
  return keys.map((key) => {
    const g = groupOf(key);
    const { untraced, off, on } = g;
    const against = untraced === reference ? null : cpuRatioByRound(untraced.trials, reference.trials);
    return {
      runtime: `${runtimeLabel(untraced.runtime ?? harnessRuntime) || "tracetax's own"}${g.sdk === defaultSdkSet ? '' : ` · ${g.sdk}`}`,
      cells: {
        'Node.js': [...new Set(untraced.trials.map((t) => t.node ?? '?'))].join(', '),
        'untraced CPU µs/req': formatEstimate(untraced.comparison.cpuUsPerRequest.estimate),
        'untraced vs the run\'s baseline': against ? ratioText(against) : '(the baseline)',
        'floor (always_off)': off ? `${changeCell(off.comparison.cpuUsPerRequest)} (${off.name})` : '–',
        'floor vs the baseline row\'s': versusBase(g, 'off'),
        always_on: on ? `${changeCell(on.comparison.cpuUsPerRequest)} (${on.name})` : '–',
        'always_on vs the baseline row\'s': versusBase(g, 'on'),
      },
    };
  });
}
