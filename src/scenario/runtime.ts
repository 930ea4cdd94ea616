// A variant's Node.js runtime and flags, as a scenario writes them; and the rule that every traced variant
// has an untraced baseline on the same runtime and flags (added when the file has none).
import { isObject, type PlainObject } from '../common/input.ts';
import { runtimeNames } from '../sut/runtimes.ts';
import { defaultSdkSet } from '../sut/sdk-sets.ts';
import { ScenarioError } from './errors.ts';
import type { RuntimeName, RuntimeSetting, SdkSet, Variant } from '../model/index.ts';

export const harnessRuntime: RuntimeSetting = { nodeFlags: [] };

export function checkRuntimeName(raw: unknown, field: string): RuntimeName {
  if (typeof raw !== 'string' || !(runtimeNames as readonly string[]).includes(raw)) {
    throw new ScenarioError(`${field} must be one of ${runtimeNames.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return raw as RuntimeName;
}

/** `runtime` and `nodeFlags` of a variant or matrix spec. */
export function checkRuntime(spec: PlainObject, field: string): RuntimeSetting {
  const flags = spec.nodeFlags ?? [];
  if (!Array.isArray(flags) || !flags.every((f) => typeof f === 'string' && f.startsWith('-'))) {
    throw new ScenarioError(`${field}.nodeFlags must be a list of Node.js flags, e.g. ['--experimental-async-context-frame']`);
  }
  return { ...(spec.runtime === undefined ? {} : { runtime: checkRuntimeName(spec.runtime, `${field}.runtime`) }), nodeFlags: flags };
}

/** Variants with the same key run on the same Node.js with the same flags. */
export function runtimeKey(setting: RuntimeSetting): string {
  return JSON.stringify([setting.runtime ?? null, setting.nodeFlags]);
}

/** How a runtime reads in names and tables: 'node24', 'node22 --experimental-async-context-frame'; '' for tracetax's own. */
export function runtimeLabel(setting: RuntimeSetting): string {
  return [setting.runtime ?? (setting.nodeFlags.length > 0 ? 'node' : ''), ...setting.nodeFlags].join(' ').trim();
}

/** A runtime and SDK set as one label: 'node24 --flag · otel-latest'; tracetax's own where absent. */
export function platformOf(runtime: RuntimeSetting | undefined, sdk: SdkSet | undefined): string {
  return `${runtimeLabel(runtime ?? harnessRuntime) || "tracetax's own Node.js"} · ${sdk ?? defaultSdkSet}`;
}

/**
 * The variants with an untraced baseline for every runtime a variant uses: `untraced <runtime>` is added
 * in front where the file has none. `isUntraced` decides which variants are baselines.
 */
export function withRuntimeBaselines(variants: readonly Variant[], isUntraced: (v: Variant) => boolean): Variant[] {
  const covered = new Set(variants.filter(isUntraced).map((v) => runtimeKey(v.runtime)));
  const added: Variant[] = [];
  for (const v of variants) {
    const key = runtimeKey(v.runtime);
    if (covered.has(key)) continue;
    covered.add(key);
    const label = runtimeLabel(v.runtime);
    const name = label ? `untraced ${label}` : 'untraced';
    if (variants.some((x) => x.name === name)) {
      throw new ScenarioError(`variants: '${name}' is taken by a traced variant: rename it, tracetax adds the untraced baseline${label ? ' of that runtime' : ''} under that name`);
    }
    added.push({ name, env: { OTEL_SDK_DISABLED: 'true' }, instrumentation: 'service', runtime: v.runtime, sdk: defaultSdkSet });
  }
  return [...added, ...variants];
}

/** A matrix's `runtime` key expands over runtimes; every other key is an OTEL_* variable. */
export function splitMatrixRuntime(matrix: PlainObject, field: string): { runtimes: RuntimeName[] | null; env: PlainObject } {
  if (!isObject(matrix) || matrix.runtime === undefined) return { runtimes: null, env: matrix };
  const { runtime, ...env } = matrix;
  if (!Array.isArray(runtime) || runtime.length === 0) throw new ScenarioError(`${field}.matrix.runtime must be a non-empty list of runtimes: ${runtimeNames.join(', ')}`);
  return { runtimes: runtime.map((r, i) => checkRuntimeName(r, `${field}.matrix.runtime[${i}]`)), env };
}
