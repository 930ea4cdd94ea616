// The base branch's checkout for a same-run check (`--check DIR`): its built-in service and tracing code
// run as extra variants beside this tree's, each against its own untraced. Checked before any load.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../common/input.ts';
import type { BaseCheckout } from '../model/index.ts';

export class BaseCheckoutError extends InputError {}

/** Where a checkout keeps the built-in service's entry, relative to its root. */
export const builtinServiceEntry = 'src/sut/builtin/main.ts';

/** The name a base checkout's variant runs under. */
export function baseVariantName(variant: string): string {
  return `base:${variant}`;
}

export function isDirectory(file: string): boolean {
  return existsSync(file) && statSync(file).isDirectory();
}

/** The checkout at `dir`, or a one-line error saying what it lacks. */
export function readBaseCheckout(dir: string): BaseCheckout {
  const root = path.resolve(dir);
  if (!existsSync(path.join(root, builtinServiceEntry))) {
    throw new BaseCheckoutError(
      `${dir} is a folder but not a tracetax checkout (no ${builtinServiceEntry}): give --check a checkout of the base branch, or a baseline file saved with --save-baseline`,
    );
  }
  if (!existsSync(path.join(root, 'node_modules', '@opentelemetry', 'sdk-trace-base'))) {
    throw new BaseCheckoutError(`${dir} has no installed dependencies: run 'npm ci' in ${dir} first`);
  }
  return { path: root, commit: gitCommit(root) };
}

function gitCommit(root: string): string | null {
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}
