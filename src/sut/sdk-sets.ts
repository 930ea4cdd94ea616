// The OpenTelemetry JS sets a service's tracing code can load. 'otel-0.223' is tracetax's own
// node_modules; 'otel-latest' is sdks/otel-latest/, with its own lockfile, installed by
// `npm run runtimes -- --install`. A service on another set gets a module hook (sdk-set-hook.mjs) that
// resolves tracetax's own @opentelemetry/* imports from that set's folder.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../common/input.ts';
import { nodeOptionsWith } from './children.ts';
import { installCommand, runtimeNames, runtimeVersions } from './runtimes.ts';
import type { RuntimeName, SdkSet } from '../model/index.ts';

export const defaultSdkSet: SdkSet = 'otel-0.223';
export const sdkSets: readonly SdkSet[] = ['otel-0.223', 'otel-latest'];

/** The folder of each set other than tracetax's own, and the oldest Node.js its packages run on. */
const sets: Readonly<Record<Exclude<SdkSet, 'otel-0.223'>, { readonly dir: string; readonly minNode: string }>> = {
  'otel-latest': { dir: fileURLToPath(new URL('../../sdks/otel-latest/', import.meta.url)), minNode: '22.15.0' },
};

export const sdkSetDirEnvKey = 'TRACETAX_SDK_DIR';
const hook = fileURLToPath(new URL('./sdk-set-hook.mjs', import.meta.url));

export class SdkSetMissingError extends InputError {}

/** The oldest Node.js a set runs on; undefined for tracetax's own (it runs wherever tracetax does). */
function sdkMinNode(set: SdkSet): string | undefined {
  return set === 'otel-0.223' ? undefined : sets[set].minNode;
}

/** The set's folder, checked: a one-line error when it is not installed. */
function installedDir(set: Exclude<SdkSet, 'otel-0.223'>): string {
  const { dir } = sets[set];
  if (!existsSync(path.join(dir, 'node_modules', '@opentelemetry', 'sdk-trace'))) {
    throw new SdkSetMissingError(`SDK set ${set} is not installed in ${dir}: run '${installCommand}'`);
  }
  return dir;
}

/** The node flags and environment that make a service load `set`; a one-line error when it is not installed. */
export function sdkSetLaunch(set: SdkSet): { nodeFlags: string[]; env: Record<string, string> } {
  if (set === 'otel-0.223') return { nodeFlags: [], env: {} };
  return { nodeFlags: ['--import', hook], env: { [sdkSetDirEnvKey]: installedDir(set) } };
}

/**
 * The same for a process and every process it starts (the micro-benchmarks' children): the hook goes into
 * NODE_OPTIONS after `inherited`, which children inherit.
 */
export function sdkSetTreeEnv(set: SdkSet, inherited: string | undefined): Record<string, string> {
  if (set === 'otel-0.223') return {};
  return { [sdkSetDirEnvKey]: installedDir(set), NODE_OPTIONS: nodeOptionsWith(inherited, [['--import', hook]]) };
}

/** Why `set` cannot run on `runtime` (a pinned one, or tracetax's own when undefined), or null when it can. */
export function sdkRuntimeProblem(set: SdkSet, runtime: RuntimeName | undefined): string | null {
  const min = sdkMinNode(set);
  if (min === undefined) return null;
  if (runtime && compareVersions(runtimeVersions[runtime], min) >= 0) return null;
  const fits = runtimeNames.filter((r) => compareVersions(runtimeVersions[r], min) >= 0);
  return `sdk '${set}' needs Node.js ≥ ${min}, and it would run on ${runtime ? `${runtime} (${runtimeVersions[runtime]})` : "tracetax's own"}: give it runtime ${fits.map((r) => `'${r}'`).join(' or ')}`;
}

/** Numeric comparison of two dotted versions. */
function compareVersions(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** Folders of the sets to install with npm ci. */
export function sdkSetDirs(): string[] {
  return Object.values(sets).map((s) => s.dir);
}
