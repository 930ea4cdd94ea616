// The micro-benchmarks from the command line: a micro scenario's run, and --explain's prediction for a load run.
import path from 'node:path';
import { explainRun, microCosts } from '../../micro/explain.ts';
import { harnessRuntime, platformOf } from '../../scenario/runtime.ts';
import { defaultSdkSet } from '../../sut/sdk-sets.ts';
import { terminalMicroReport } from '../../micro/report.ts';
import { runMicro } from '../../micro/run.ts';
import { readMicroDocument, writeMicroFolder } from '../../micro/write.ts';
import { checkOutputDir, defaultRunDir } from '../../report/write.ts';
import { loadAnyScenario } from '../../scenario/load.ts';
import { resultsDir, UsageError, version } from '../common.ts';
import type { Explanation, MicroDocument, MicroScenario, RunDocument } from '../../model/index.ts';

/** The shipped micro scenario that --explain runs when not given a results folder. */
export const explainMicroScenario = 'micro';

const progress = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Runs a micro scenario, writes its folder, prints its table. `loadOnlyFlags` are the flags given that
 * mean something for a load run only: refused rather than ignored.
 */
export async function micro(scenario: MicroScenario, options: { readonly out?: string; readonly pin: boolean; readonly loadOnlyFlags: readonly string[] }): Promise<MicroDocument> {
  if (options.loadOnlyFlags.length > 0) {
    throw new UsageError(`${options.loadOnlyFlags.join(', ')} apply to load scenarios, not to the micro-benchmarks of '${scenario.name}': leave them out`);
  }
  const outDir = options.out ?? defaultRunDir(resultsDir, scenario.name);
  checkOutputDir(outDir);
  const doc = await runMicro(scenario, { pin: options.pin, version }, progress);
  const files = writeMicroFolder(outDir, doc);
  console.log(terminalMicroReport(doc));
  console.log(`\nWrote ${path.relative(process.cwd(), files.reportMd)}, ${path.relative(process.cwd(), files.reportHtml)} and ${path.relative(process.cwd(), files.microJson)}`);
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
export async function explainLoadRun(run: RunDocument, fromFolder: MicroDocument | undefined, options: { readonly pin: boolean }): Promise<Explanation> {
  let doc = fromFolder;
  if (!doc) {
    const loaded = await loadAnyScenario(explainMicroScenario);
    if (loaded.kind !== 'micro') throw new Error(`scenario ${explainMicroScenario} is not a micro scenario`);
    // On the runtime and SDK set most of the run's traced variants ran on: like is compared with like.
    const traced = run.variants.filter((v) => v.config.kind === 'sdk' && v.tree !== 'base');
    const platforms = traced.map((v) => ({ runtime: v.runtime ?? harnessRuntime, sdk: v.sdk ?? defaultSdkSet }));
    const count = (p: (typeof platforms)[number]) => platforms.filter((q) => platformOf(q.runtime, q.sdk) === platformOf(p.runtime, p.sdk)).length;
    const on = [...platforms].sort((a, b) => count(b) - count(a))[0] ?? { runtime: harnessRuntime, sdk: defaultSdkSet };
    progress(`explain: running the ${explainMicroScenario} micro-benchmarks on ${platformOf(on.runtime, on.sdk)} for the prediction`);
    doc = await runMicro({ ...loaded.scenario, ...on }, { pin: options.pin, version }, progress);
  }
  return explainRun(run, doc);
}
