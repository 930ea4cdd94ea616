// `npm run bench -- report DIR`: renders report.md and report.html again from a run folder's run.json (or
// a micro run's micro.json), so an earlier run gets today's report. The verdict of a --check run is kept
// from its verdict.json.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { microHtmlReport } from '../../micro/html.ts';
import { markdownMicroReport } from '../../micro/report.ts';
import { microJsonName, readMicroDocument } from '../../micro/write.ts';
import { microSchemaVersion } from '../../micro/result.ts';
import { reportHtml } from '../../report/html.ts';
import { reportMd } from '../../report/markdown.ts';
import { writeFileAtomic } from '../../report/write.ts';
import { runSchemaVersion } from '../../run/run.ts';
import { UsageError } from '../common.ts';
import type { RunDocument, Verdict } from '../../model/index.ts';

export interface ReportArgs {
  dir: string;
}

/** The schema versions this renderer reads: the fields it uses are in every run.json since version 3. */
const renderableSchemaVersions = [runSchemaVersion];

function readJson<T>(file: string, what: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new UsageError(`${file} is not ${what} (${(error as Error).message.split('\n')[0]}): give the folder of a tracetax run`);
  }
}

function writeReports(dir: string, markdown: string, html: string): void {
  writeFileAtomic(path.join(dir, 'report.md'), markdown);
  writeFileAtomic(path.join(dir, 'report.html'), html);
  console.log(`Wrote ${path.join(dir, 'report.md')} and ${path.join(dir, 'report.html')}`);
}

export function report(args: ReportArgs): void {
  const runFile = path.join(args.dir, 'run.json');
  if (!existsSync(runFile) && existsSync(path.join(args.dir, microJsonName))) return reportMicro(args.dir);
  if (!existsSync(runFile)) throw new UsageError(`${args.dir} holds no run.json or ${microJsonName}: give the folder of a run (results/<time>-<scenario>)`);
  const run = readJson<RunDocument>(runFile, 'a run document');
  if (!renderableSchemaVersions.includes(run.schemaVersion)) {
    throw new UsageError(`${runFile} has schemaVersion ${String(run.schemaVersion)}; this tracetax renders version ${renderableSchemaVersions.join(', ')}: rerun the scenario, or use the tracetax that wrote it`);
  }
  const verdictFile = path.join(args.dir, 'verdict.json');
  const verdict = existsSync(verdictFile) ? readJson<Verdict>(verdictFile, 'a verdict') : undefined;
  // The same printers as a run's folder, the verdict included where the run had one.
  writeReports(args.dir, reportMd.render({ run, verdict })!, reportHtml.render({ run, verdict })!);
}

function reportMicro(dir: string): void {
  const doc = readMicroDocument(dir);
  if (doc.schemaVersion !== microSchemaVersion) {
    throw new UsageError(`${path.join(dir, microJsonName)} has schemaVersion ${String(doc.schemaVersion)}; this tracetax renders micro version ${microSchemaVersion}: rerun the micro scenario`);
  }
  writeReports(dir, markdownMicroReport(doc), microHtmlReport(doc));
}
