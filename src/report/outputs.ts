// Every output of a load run. Adding one: a file with its Output, and a line here.
import { bencherJson, benchmarkActionBigger, benchmarkActionSmaller } from './ci-formats.ts';
import { reportHtml } from './html.ts';
import { reportMd } from './markdown.ts';
import type { Output } from './output.ts';
import { runJson } from './run-json.ts';
import { terminalOutput } from './terminal.ts';
import { terminalVerdictOutput, verdictJson } from './verdict.ts';

export const outputs: readonly Output[] = [
  terminalOutput,
  runJson,
  reportMd,
  reportHtml,
  // github-action-benchmark's customSmallerIsBetter / customBiggerIsBetter, and Bencher Metric Format.
  benchmarkActionSmaller,
  benchmarkActionBigger,
  bencherJson,
  verdictJson,
  terminalVerdictOutput,
];
