// run.json: the whole run, machine-readable (see results/README.md).
import { json } from './format.ts';
import type { Output } from './output.ts';

export const runJson: Output = { target: { file: 'run.json' }, render: ({ run }) => json(run) };
