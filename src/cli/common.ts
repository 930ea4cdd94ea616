// What every command shares: the tool's version, the results folder, the bad-input error of the command
// line itself, and the checks of flags more than one command takes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../common/input.ts';
import type { Verdict } from '../model/index.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const version = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
export const resultsDir = path.join(projectRoot, 'results');

/** A flag that is wrong or missing. */
export class UsageError extends InputError {}

export function checkPort(port: number, flag: string, hint: string): void {
  if (!(Number.isInteger(port) && port >= 0 && port < 65536)) throw new UsageError(`${flag} ${port} is not a port: use 0 to 65535${hint}`);
}

/** The gate's exit code: 0 pass, 1 a regression, 4 undecided (2 is bad input and 3 a failed run, elsewhere). */
export function gateExitCode(verdict: Pick<Verdict, 'passed' | 'outcome'>): 0 | 1 | 4 {
  if (verdict.passed) return 0;
  return verdict.outcome === 'undecided' ? 4 : 1;
}
