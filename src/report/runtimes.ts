// Runtimes side by side, for a run whose variants ran on more than one Node.js: each runtime's untraced
// CPU per request (what the runtime saves on plain requests), and on it the floor (always_off over that
// runtime's untraced) and always_on's overhead (what it saves on tracing), each with its interval.
import { cpuRatioByRound } from '../compare/across-runtimes.ts';
import { halfWidthPts } from '../compare/precision.ts';
import { formatEstimate, signedPercent } from '../compare/stats.ts';
import { harnessRuntime, runtimeKey, runtimeLabel } from '../scenario/runtime.ts';
import { changeCell } from './rows.ts';
import type { RunDocument, VariantResult } from '../model/index.ts';

export const runtimeColumns = ['Node.js', 'untraced CPU µs/req', 'untraced vs the run\'s baseline', 'floor (always_off)', 'always_on'] as const;
export type RuntimeColumn = (typeof runtimeColumns)[number];

const keyOf = (v: VariantResult) => runtimeKey(v.runtime ?? harnessRuntime);

/** One row per runtime (and flags) of this tree's variants; empty when they all ran on one. */
export function runtimeRows(run: RunDocument): { runtime: string; cells: Record<RuntimeColumn, string> }[] {
  const ours = run.variants.filter((v) => v.tree !== 'base');
  const keys = [...new Set(ours.map(keyOf))];
  if (keys.length < 2) return [];
  const reference = run.variants.find((v) => v.name === run.baseline)!;
  return keys.map((key) => {
    const group = ours.filter((v) => keyOf(v) === key);
    const untraced = group.find((v) => v.config.kind === 'untraced')!;
    const bySampler = (name: string) => group.find((v) => v.config.kind === 'sdk' && v.config.sampler.name === name && v.instrumentation !== 'auto');
    const against = untraced === reference ? null : cpuRatioByRound(untraced.trials, reference.trials);
    const off = bySampler('always_off');
    const on = bySampler('always_on');
    return {
      runtime: runtimeLabel(untraced.runtime ?? harnessRuntime) || 'tracetax\'s own',
      cells: {
        'Node.js': [...new Set(untraced.trials.map((t) => t.node ?? '?'))].join(', '),
        'untraced CPU µs/req': formatEstimate(untraced.comparison.cpuUsPerRequest.estimate),
        'untraced vs the run\'s baseline': against
          ? `${signedPercent((against.ratio - 1) * 100)} ±${Number.isFinite(halfWidthPts(against)) ? halfWidthPts(against).toFixed(1) : '∞'}`
          : '(the baseline)',
        'floor (always_off)': off ? `${changeCell(off.comparison.cpuUsPerRequest)} (${off.name})` : '–',
        always_on: on ? `${changeCell(on.comparison.cpuUsPerRequest)} (${on.name})` : '–',
      },
    };
  });
}
