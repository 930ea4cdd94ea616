// A micro run's folder, written like a load run's (writeFolderAtomic): it appears whole or not at all.
import { InputError } from '../common/input.ts';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFolderAtomic } from '../report/write.ts';
import { microHtmlReport } from './html.ts';
import { markdownMicroReport } from './report.ts';
import type { MicroDocument } from '../model/index.ts';

export const microJsonName = 'micro.json';

export function writeMicroFolder(dir: string, doc: MicroDocument): { microJson: string; reportMd: string; reportHtml: string } {
  const final = writeFolderAtomic(dir, { [microJsonName]: `${JSON.stringify(doc, null, 2)}\n`, 'report.md': markdownMicroReport(doc), 'report.html': microHtmlReport(doc) });
  return { microJson: path.join(final, microJsonName), reportMd: path.join(final, 'report.md'), reportHtml: path.join(final, 'report.html') };
}

export class MicroResultsError extends InputError {}

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
