// A micro run's folder, written like a load run's: into a temporary sibling, then renamed, so it
// appears whole or not at all.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { markdownMicroReport } from './report.ts';
import type { MicroDocument } from './result.ts';

export const microJsonName = 'micro.json';

export function writeMicroFolder(dir: string, doc: MicroDocument): { microJson: string; reportMd: string } {
  const final = path.resolve(dir);
  const temp = path.join(path.dirname(final), `.${path.basename(final)}.tmp-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  try {
    writeFileSync(path.join(temp, microJsonName), `${JSON.stringify(doc, null, 2)}\n`);
    writeFileSync(path.join(temp, 'report.md'), markdownMicroReport(doc));
    if (existsSync(final)) rmSync(final, { recursive: true }); // empty, as checkOutputDir saw it
    renameSync(temp, final);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  return { microJson: path.join(final, microJsonName), reportMd: path.join(final, 'report.md') };
}

export class MicroResultsError extends Error {}

/** Reads a micro run back: its folder or its micro.json. */
export function readMicroDocument(fileOrDir: string): MicroDocument {
  const file = existsSync(fileOrDir) && statSync(fileOrDir).isDirectory() ? path.join(fileOrDir, microJsonName) : fileOrDir;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new MicroResultsError(`${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}: give a micro results folder (npm run bench:micro writes one) or its ${microJsonName}`);
  }
  const d = doc as Partial<MicroDocument>;
  if (d.kind !== 'micro' || !Array.isArray(d.results) || !d.collectorDecode) {
    throw new MicroResultsError(`${file} is not a micro run's ${microJsonName}: give the folder npm run bench:micro wrote`);
  }
  return d as MicroDocument;
}
