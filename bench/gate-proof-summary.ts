// What scripts/gate-proof.sh measured, per metric: from the folders it kept (GATE_PROOF_DIR), how often an
// unchanged check's interval held no change and how often a metric failed it (a false alarm), how often a
// planted regression failed it (a detection), the median half-width, and each check's wall time. For
// same-run checks also the process effect: in an unchanged check each of this tree's processes runs the
// same code as its base twin, so their CPU/request should differ only by the rounds' noise.
//   npx tsx bench/gate-proof-summary.ts GATE_PROOF_DIR
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { logRatios } from '../src/compare/stats.ts';
import { median } from '../src/compare/summary.ts';
import type { RunDocument, Verdict } from '../src/model/index.ts';

const dir = process.argv[2];
if (!dir || !existsSync(dir)) {
  console.error('usage: npx tsx bench/gate-proof-summary.ts GATE_PROOF_DIR (the folder scripts/gate-proof.sh kept)');
  process.exit(2);
}

interface Check {
  readonly kind: 'unchanged' | 'planted';
  readonly verdict: Verdict;
  readonly run: RunDocument;
  readonly wallSec: number;
}

const checks: Check[] = readdirSync(dir)
  .filter((name) => /^(unchanged|planted)-\d+$/.test(name) && existsSync(path.join(dir, name, 'verdict.json')))
  .map((name) => {
    const run = JSON.parse(readFileSync(path.join(dir, name, 'run.json'), 'utf8')) as RunDocument;
    return {
      kind: name.startsWith('unchanged') ? ('unchanged' as const) : ('planted' as const),
      verdict: JSON.parse(readFileSync(path.join(dir, name, 'verdict.json'), 'utf8')) as Verdict,
      run,
      wallSec: (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000,
    };
  });
const count = (kind: Check['kind']) => checks.filter((c) => c.kind === kind).length;
const mode = checks[0]?.verdict.mode ?? 'none';
console.log(`${dir}: ${mode}, ${count('unchanged')} unchanged and ${count('planted')} planted checks\n`);
console.log('| metric | unchanged: interval holds 0 | unchanged: failed | planted: failed | median change, planted | median half-width |');
console.log('|---|---|---|---|---|---|');
const metrics = [...new Set(checks.flatMap((c) => c.verdict.rows.map((r) => r.metric)))];
for (const metric of metrics) {
  const rows = (kind: Check['kind']) => checks.filter((c) => c.kind === kind).flatMap((c) => c.verdict.rows.filter((r) => r.metric === metric));
  const [aa, planted] = [rows('unchanged'), rows('planted')];
  const holds = aa.filter((r) => r.low <= 0 && r.high >= 0).length;
  console.log(
    `| ${metric} | ${holds}/${aa.length} | ${aa.filter((r) => r.failed).length}/${aa.length} | ${planted.filter((r) => r.failed).length}/${planted.length} | ` +
      `${median(planted.map((r) => r.change)).toFixed(1)} | ±${median([...aa, ...planted].map((r) => (r.high - r.low) / 2)).toFixed(2)} |`,
  );
}
const failed = (kind: Check['kind']) => checks.filter((c) => c.kind === kind && !c.verdict.passed).length;
console.log(`\nfalse alarms ${failed('unchanged')} of ${count('unchanged')}; detections ${failed('planted')} of ${count('planted')}`);
console.log(`wall time per check: median ${median(checks.map((c) => c.wallSec)).toFixed(0)} s, longest ${Math.max(...checks.map((c) => c.wallSec)).toFixed(0)} s`);

/** This tree's process ÷ its base twin, CPU/request per round: the geometric mean and the standard error of its log. */
function twinOffset(run: RunDocument, variant: string): { offsetPct: number; sePct: number } | null {
  const cpu = (name: string) => new Map(run.variants.find((v) => v.name === name)?.trials.map((t) => [t.trial, t.cpuUsPerRequest]) ?? []);
  const [ours, theirs] = [cpu(variant), cpu(`base:${variant}`)];
  const { n, mean, sd } = logRatios([...ours].flatMap(([round, x]) => (theirs.has(round) ? [[x, theirs.get(round)!] as const] : [])));
  if (n < 2) return null;
  return { offsetPct: mean * 100, sePct: (sd / Math.sqrt(n)) * 100 };
}

if (mode === 'same-run') {
  console.log('\nProcess effect in the unchanged checks: this tree\'s process ÷ its base twin (same code), CPU/request, % (log scale)\n');
  console.log('| variant | offsets per check | sd between checks | expected from the rounds alone (rms standard error) |');
  console.log('|---|---|---|---|');
  for (const variant of [...new Set(checks.flatMap((c) => c.run.variants.filter((v) => v.tree !== 'base').map((v) => v.name)))]) {
    const offsets = checks.filter((c) => c.kind === 'unchanged').flatMap((c) => twinOffset(c.run, variant) ?? []);
    const mean = offsets.reduce((a, o) => a + o.offsetPct, 0) / offsets.length;
    const sd = Math.sqrt(offsets.reduce((a, o) => a + (o.offsetPct - mean) ** 2, 0) / (offsets.length - 1));
    const expected = Math.sqrt(offsets.reduce((a, o) => a + o.sePct ** 2, 0) / offsets.length);
    console.log(`| ${variant} | ${offsets.map((o) => o.offsetPct.toFixed(1)).join(', ')} | ${sd.toFixed(2)} | ${expected.toFixed(2)} |`);
  }
}
