// A micro run on another runtime or SDK set: runMicro starts this file on that Node.js, with the set's
// module hook in NODE_OPTIONS (so the benchmarks' own child processes load the same set), and it runs the
// micro scenario here and sends the document back over IPC.
import { runMicro, type MicroRunOptions } from './run.ts';
import type { MicroScenario } from '../model/index.ts';

const { scenario, options } = JSON.parse(process.argv[2] ?? 'null') as { scenario: MicroScenario; options: MicroRunOptions };
const doc = await runMicro(scenario, { ...options, inChild: true }, (line) => process.send?.({ type: 'progress', line }));
process.send?.({ type: 'done', doc }, () => process.exit(0));
