// A run's folder appears whole or not at all: written into a temporary sibling, then renamed.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunDocument } from '../run/run.ts';
import { markdownReport } from './markdown.ts';

export class OutputDirError extends Error {}

/** results/<timestamp>-<scenario>, with a timestamp that sorts and is safe in file names. */
export function defaultRunDir(resultsDir: string, scenario: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:]/g, '').replace(/\..*$/, '');
  return path.join(resultsDir, `${stamp}-${scenario.replace(/[^\w.-]+/g, '_')}`);
}

/** Checks before the run that the folder can be created, so a bad --out fails before minutes of load. */
export function checkOutputDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new OutputDirError(`${dir} already exists and is not empty: choose a new --out folder or remove it`);
  }
  mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
}

export function writeRunFolder(dir: string, run: RunDocument): { runJson: string; reportMd: string } {
  const final = path.resolve(dir);
  const temp = path.join(path.dirname(final), `.${path.basename(final)}.tmp-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  try {
    writeFileSync(path.join(temp, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
    writeFileSync(path.join(temp, 'report.md'), markdownReport(run));
    if (existsSync(final)) rmSync(final, { recursive: true }); // empty, as checkOutputDir saw it
    renameSync(temp, final);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  return { runJson: path.join(final, 'run.json'), reportMd: path.join(final, 'report.md') };
}
