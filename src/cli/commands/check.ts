// The gate's workflow around a run: compare it with a saved baseline and, with --confirm, rerun the
// failing variants and fail only on what fails again.
import { baselineFromRun, checkAgainstBaseline, confirmVerdict, gateSamples } from '../../compare/gate.ts';
import { writeFileAtomic } from '../../report/write.ts';
import type { BaselineFile, RunDocument, Scenario, Verdict } from '../../model/index.ts';

export async function checkRun(
  run: RunDocument,
  scenario: Scenario,
  baseline: BaselineFile,
  options: { readonly confirm: boolean; readonly rerun: (scenario: Scenario) => Promise<RunDocument> },
): Promise<Verdict> {
  const check = (r: RunDocument) => checkAgainstBaseline(gateSamples(r), baseline, scenario.gate.thresholds, scenario.gate.alpha);
  const verdict = check(run);
  if (verdict.passed || !options.confirm) return verdict;
  const failing = new Set(verdict.failures.map((r) => r.variant));
  console.error(`confirming: rerunning ${[...failing].join(', ')} against ${run.baseline}`);
  const rerun = await options.rerun({ ...scenario, variants: scenario.variants.filter((v, i) => i === 0 || failing.has(v.name)) });
  return confirmVerdict(verdict, check(rerun));
}

/** --save-baseline: the run's overheads, for a later --check. */
export function saveBaseline(run: RunDocument, file: string): void {
  writeFileAtomic(file, `${JSON.stringify(baselineFromRun(run), null, 2)}\n`);
  console.log(`Saved the baseline to ${file}`);
}
