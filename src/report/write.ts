// A run's folder appears whole or not at all: written into a temporary sibling, then renamed.
import { accessSync, constants, existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunDocument } from '../run/run.ts';
import type { Verdict } from '../compare/gate.ts';
import { bencherMetricFormat, benchmarkActionJson } from './ci-formats.ts';
import { markdownReport } from './markdown.ts';
import { markdownVerdict } from './verdict.ts';

export class OutputDirError extends Error {}

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

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Writes run.json, report.md (with the gate's verdict when there is one), and the run in formats CI
 * tools read: github-action-benchmark's two custom tools and Bencher Metric Format.
 */
export function writeRunFolder(dir: string, run: RunDocument, verdict?: Verdict): { runJson: string; reportMd: string } {
  const final = writeFolderAtomic(dir, {
    'run.json': json(run),
    'report.md': markdownReport(run) + (verdict ? `\n${markdownVerdict(verdict)}` : ''),
    'benchmark-action-smaller.json': json(benchmarkActionJson(run).smallerIsBetter),
    'benchmark-action-bigger.json': json(benchmarkActionJson(run).biggerIsBetter),
    'bmf.json': json(bencherMetricFormat(run)),
    ...(verdict ? { 'verdict.json': json(verdict) } : {}),
  });
  return { runJson: path.join(final, 'run.json'), reportMd: path.join(final, 'report.md') };
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
