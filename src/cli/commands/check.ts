// The gate's workflow around a run: compare it with its reference (a saved baseline, or the base
// checkout that ran in the same rounds) and, with --confirm, rerun the failing variants and fail only on
// what fails again.
import { baselineFromRun, checkAgainstBaseline, checkSameRun, confirmVerdict, gateSamples } from '../../compare/gate.ts';
import { writeFileAtomic } from '../../report/write.ts';
import type { BaseCheckout, BaselineFile, RunDocument, Scenario, Verdict } from '../../model/index.ts';

/** What --check compares with: a file saved by an earlier run, or the base branch's checkout run beside this tree. */
export type GateReference = { readonly kind: 'file'; readonly baseline: BaselineFile } | { readonly kind: 'checkout'; readonly base: BaseCheckout };

export async function checkRun(
  run: RunDocument,
  scenario: Scenario,
  reference: GateReference,
  options: { readonly confirm: boolean; readonly rerun: (scenario: Scenario) => Promise<RunDocument> },
): Promise<Verdict> {
  const { thresholds, alpha } = scenario.gate;
  const check = (r: RunDocument) =>
    reference.kind === 'file' ? checkAgainstBaseline(gateSamples(r), reference.baseline, thresholds, alpha) : checkSameRun(r, thresholds, alpha);
  const verdict = check(run);
  if (verdict.passed || !options.confirm) return verdict;
  const failing = new Set(verdict.failures.map((r) => r.variant));
  const against = reference.kind === 'file' ? run.baseline : `${run.baseline} and the base checkout`;
  console.error(`confirming: rerunning ${[...failing].join(', ')} against ${against}`);
  const rerun = await options.rerun({ ...scenario, variants: scenario.variants.filter((v, i) => i === 0 || failing.has(v.name)) });
  return confirmVerdict(verdict, check(rerun));
}

/** --save-baseline: the run's overheads, for a later --check. */
export function saveBaseline(run: RunDocument, file: string): void {
  writeFileAtomic(file, `${JSON.stringify(baselineFromRun(run), null, 2)}\n`);
  console.log(`Saved the baseline to ${file}`);
}
