// What the CLI calls for micro scenarios and --explain; argv stays in src/cli/main.ts.
import path from 'node:path';
import type { RunDocument } from '../run/run.ts';
import { loadAnyScenario } from '../scenario/load.ts';
import type { MicroScenario } from '../scenario/types.ts';
import { explainRun, microCosts, type Explanation } from './explain.ts';
import { terminalMicroReport } from './report.ts';
import type { MicroDocument } from './result.ts';
import { runMicro } from './run.ts';
import { readMicroDocument, writeMicroFolder } from './write.ts';

/** The shipped micro scenario that --explain runs when not given a results folder. */
export const explainMicroScenario = 'micro';

const progress = (line: string) => process.stderr.write(`${line}\n`);

/** Runs a micro scenario, writes its folder, prints its table; returns the document. */
export async function runMicroCommand(scenario: MicroScenario, outDir: string, options: { pin: boolean; version: string }): Promise<MicroDocument> {
  const doc = await runMicro(scenario, options, progress);
  const files = writeMicroFolder(outDir, doc);
  console.log(terminalMicroReport(doc));
  console.log(`\nWrote ${path.relative(process.cwd(), files.reportMd)} and ${path.relative(process.cwd(), files.microJson)}`);
  return doc;
}

/**
 * --explain's micro results: read from a folder and checked for everything the model needs before the
 * load run, so a bad path or an incomplete micro run fails early instead of after minutes of load.
 */
export function readExplainSource(arg: string): MicroDocument | undefined {
  if (arg === '') return undefined;
  const doc = readMicroDocument(arg);
  microCosts(doc); // throws ExplainInputError naming the first missing result
  return doc;
}

/** The explanation of a load run: from the given micro results, or from running the micro scenario now. */
export async function explainLoadRun(run: RunDocument, micro: MicroDocument | undefined, options: { pin: boolean; version: string }): Promise<Explanation> {
  let doc = micro;
  if (!doc) {
    const loaded = await loadAnyScenario(explainMicroScenario);
    if (loaded.kind !== 'micro') throw new Error(`scenario ${explainMicroScenario} is not a micro scenario`);
    progress(`explain: running the ${explainMicroScenario} micro-benchmarks for the prediction`);
    doc = await runMicro(loaded.scenario, options, progress);
  }
  return explainRun(run, doc);
}
