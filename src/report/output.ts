// The output seam: each output of a load run is a printer that returns a string and names where it goes.
// The table of them is outputs.ts; write.ts and the CLI walk it.
import type { RunDocument, Verdict } from '../model/index.ts';

export interface OutputInput {
  readonly run: RunDocument;
  /** The gate's verdict, with --check. */
  readonly verdict?: Verdict;
}

/** Where an output goes: a file in the run folder, or the terminal. */
export type OutputTarget = { readonly file: string } | 'terminal';

export interface Output {
  readonly target: OutputTarget;
  /** The output's text; undefined when it has nothing to say for this run (verdict.json without --check). */
  render(input: OutputInput): string | undefined;
}
