// The OpenTelemetry JS sets a service's tracing code can load. 'otel-0.223' is tracetax's own
// node_modules; 'otel-latest' is sdks/otel-latest/, with its own lockfile, installed by
// `npm run runtimes -- --install`. A service on another set gets a module hook (sdk-set-hook.mjs) that
// resolves tracetax's own @opentelemetry/* imports from that set's folder.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../common/input.ts';
import { installCommand } from './runtimes.ts';
import type { SdkSet } from '../model/index.ts';

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
export function sdkMinNode(set: SdkSet): string | undefined {
  return set === 'otel-0.223' ? undefined : sets[set].minNode;
}

/** The node flags and environment that make a service load `set`; a one-line error when it is not installed. */
export function sdkSetLaunch(set: SdkSet): { nodeFlags: string[]; env: Record<string, string> } {
  if (set === 'otel-0.223') return { nodeFlags: [], env: {} };
  const { dir } = sets[set];
  if (!existsSync(path.join(dir, 'node_modules', '@opentelemetry', 'sdk-trace'))) {
    throw new SdkSetMissingError(`SDK set ${set} is not installed in ${dir}: run '${installCommand}'`);
  }
  return { nodeFlags: ['--import', hook], env: { [sdkSetDirEnvKey]: dir } };
}

/** Folders of the sets to install with npm ci. */
export function sdkSetDirs(): string[] {
  return Object.values(sets).map((s) => s.dir);
}
