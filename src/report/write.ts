// A run's folder appears whole or not at all: written into a temporary sibling, then renamed. The files
// are the outputs of outputs.ts that name one.
import { accessSync, constants, existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../common/input.ts';
import type { OutputInput } from './output.ts';
import { outputs } from './outputs.ts';

export class OutputDirError extends InputError {}

/** results/<timestamp>-<scenario>, with a timestamp that sorts and is safe in file names. */
export function defaultRunDir(resultsDir: string, scenario: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:]/g, '').replace(/\..*$/, '');
  return path.join(resultsDir, `${stamp}-${scenario.replace(/[^\w.-]+/g, '_')}`);
}

/** Checks before the run that the folder can be created, so a bad --out fails before minutes of load. */
export function checkOutputDir(dir: string): void {
  try {
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      throw new OutputDirError(`${dir} already exists and is not empty: choose a new --out folder or remove it`);
    }
    mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
  } catch (error) {
    if (error instanceof OutputDirError) throw error;
    throw new OutputDirError(`--out ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}: choose another folder`);
  }
}

/** Checks before the run that --save-baseline can write its file. */
export function checkBaselineTarget(file: string): void {
  try {
    if (existsSync(file) && statSync(file).isDirectory()) throw new OutputDirError(`--save-baseline ${file} is a folder: name a file`);
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    accessSync(path.dirname(path.resolve(file)), constants.W_OK);
  } catch (error) {
    if (error instanceof OutputDirError) throw error;
    throw new OutputDirError(`--save-baseline ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}: choose another path`);
  }
}

/** Writes every output that names a file into the folder `dir`, whole or not at all; returns the files' paths by name. */
export function writeRunFolder(dir: string, input: OutputInput): Record<string, string> {
  const files: Record<string, string> = {};
  for (const output of outputs) {
    if (output.target === 'terminal') continue;
    const text = output.render(input);
    if (text !== undefined) files[output.target.file] = text;
  }
  const final = writeFolderAtomic(dir, files);
  return Object.fromEntries(Object.keys(files).map((name) => [name, path.join(final, name)]));
}

/** What the outputs for the terminal print, in the table's order: the comparison table, then the verdict (with --check). */
export function terminalTexts(input: OutputInput): string[] {
  return outputs.flatMap((output) => {
    const text = output.target === 'terminal' ? output.render(input) : undefined;
    return text === undefined ? [] : [text];
  });
}

/**
 * Writes `files` (name → content) as the folder `dir`, whole or not at all: into a temporary sibling,
 * then renamed. Returns the folder's absolute path. An existing `dir` is removed only if it is empty
 * (rmdir): checkOutputDir saw it empty minutes earlier, and anything put there since is not ours to delete.
 */
export function writeFolderAtomic(dir: string, files: Readonly<Record<string, string>>): string {
  const final = path.resolve(dir);
  const temp = path.join(path.dirname(final), `.${path.basename(final)}.tmp-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(temp, name), content);
    if (existsSync(final)) rmdirSync(final);
    renameSync(temp, final);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'ENOTDIR') throw new OutputDirError(`${dir} is no longer an empty folder (something was put there during the run): left it alone; rerun with a new --out folder`);
    throw error;
  }
  return final;
}

/** Writes one file so that readers see the old content or the new, never half of it. */
export function writeFileAtomic(file: string, content: string): void {
  const temp = `${file}.tmp-${process.pid}`;
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(temp, content);
  renameSync(temp, file);
}
