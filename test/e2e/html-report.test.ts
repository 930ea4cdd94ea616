// report.html from real runs, opened in a real Chromium over file://: no console error, no failed request,
// every chart drawn with the series and points its data holds, every section of report.md there too;
// `report DIR` renders them again. A load run (with --explain from a real micro run) and the micro run
// itself. Screenshots are kept under the test's output folder. Skips only where no Chromium can be had,
// never under CI.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { explainRun } from '../../src/micro/explain.ts';
import { microCharts } from '../../src/micro/html.ts';
import { microSections } from '../../src/micro/report.ts';
import { runMicro } from '../../src/micro/run.ts';
import { writeMicroFolder } from '../../src/micro/write.ts';
import { htmlCharts } from '../../src/report/html-data.ts';
import { loadRunSections } from '../../src/report/sections.ts';
import { writeRunFolder } from '../../src/report/write.ts';
import { runScenario } from '../../src/run/run.ts';
import { validateScenario } from '../../src/scenario/validate.ts';
import type { ChartSpec, ReportSection } from '../../src/model/index.ts';
import { isCI } from '../support/ci-env.ts';
import { tinyMicroScenario } from '../support/micro-doc.ts';
import { tinyOpenLoad } from '../support/tiny-load.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = mkdtempSync(path.join(os.tmpdir(), 'tracetax-html-'));

function findChromium(): string | null {
  try {
    return execFileSync('bash', [path.join(root, 'scripts/chromium.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

const executablePath = findChromium();
const skip = executablePath ? false : isCI() ? false : 'no Chromium on PATH: scripts/chromium.sh --install';
const reportCli = (dir: string) => spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'report', dir], { cwd: root, encoding: 'utf8' });

let browser: Browser | undefined;
before(async () => {
  if (executablePath) browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
});

/**
 * Opens `file` in Chromium and checks it: no console error, page error or request off the file; uPlot drew
 * exactly the charts of `charts` (series and points read back from uPlot); every section of `sections` is
 * there with as many table rows. Saves a screenshot as `png`.
 */
async function checkInBrowser(file: string, charts: readonly ChartSpec[], sections: readonly ReportSection[], png: string): Promise<void> {
  const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()}`));
  // Anything but the file itself would be a request off the page: it must be self-contained.
  page.on('request', (r) => {
    if (!r.url().startsWith('file://')) problems.push(`network request: ${r.url()}`);
  });
  await page.goto(`file://${file}`);
  const drawn = await page.evaluate(() => (window as unknown as { tracetaxCharts: unknown }).tracetaxCharts);
  assert.deepEqual(drawn, charts.map((c) => ({ id: c.id, series: c.series.length, points: c.x.length })));
  // uPlot draws each chart into a canvas of its own, inside the box made for it.
  for (const c of charts) assert.equal(await page.locator(`#chart-${c.id} canvas`).count(), 1, c.id);
  for (const s of sections) {
    const rows = s.blocks.flatMap((b) => (b.kind === 'table' ? [b.rows.length] : []));
    assert.deepEqual(await page.locator(`section#${s.id} .scroll > table`).evaluateAll((tables) => tables.map((t) => t.querySelectorAll('tbody tr').length)), rows, s.id);
  }
  await page.screenshot({ path: png, fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
  assert.ok(existsSync(png));
}

test('report.html of a real sampling run with --explain, and of the micro run behind it, render every chart in Chromium', { skip }, async () => {
  const scenario = validateScenario(
    {
      name: 'html',
      description: 'three ratios of one sampler, for the overhead curve and its fit',
      load: tinyOpenLoad,
      trials: 3,
      processes: 'pool',
      variants: [{ matrix: { OTEL_TRACES_SAMPLER_ARG: [1, 0.5, 0.1] }, env: { OTEL_TRACES_SAMPLER: 'traceidratio' }, name: 'ratio ${OTEL_TRACES_SAMPLER_ARG}' }],
    },
    'test',
  );
  const micro = await runMicro(
    { ...tinyMicroScenario, name: 'micro-html' },
    { pin: false, version: 'test', asyncCountRequests: 20 },
  );
  const measured = await runScenario(scenario, { pin: false, flushTimeoutSec: 10 });
  const run = { ...measured, explain: explainRun(measured, micro) };
  const dir = path.join(out, 'run');
  writeRunFolder(dir, { run });
  const charts = htmlCharts(run);
  assert.deepEqual(charts.map((c) => c.id), ['curve-cpu', 'curve-server-p50', 'curve-throughput', 'latency-client', 'latency-server', 'rounds', 'funnel', 'explain']);

  // The funnel holds the span accounting: per request, nothing gains spans from one stage to the next,
  // and the collector received exactly what was exported (the open loop counts every request).
  const funnel = charts.find((c) => c.id === 'funnel')!;
  assert.equal(funnel.series.length, 3);
  for (const s of funnel.series) {
    const [started, sampled, ended, kept, exported, received] = s.values as number[];
    assert.ok(started >= sampled && sampled >= ended && ended >= kept && kept >= exported, s.label);
    assert.equal(received, exported, s.label);
  }
  assert.equal(funnel.series.find((s) => s.label === 'ratio 1')!.values[5], 8);
  // The explain chart: one row per traced variant, each measured value inside its whisker.
  const explain = charts.find((c) => c.id === 'explain')!;
  assert.deepEqual(explain.xCategories, ['ratio 1', 'ratio 0.5', 'ratio 0.1']);
  const [measuredDelta] = explain.series;
  measuredDelta.values.forEach((v, i) => assert.ok(v === null || (measuredDelta.low![i]! <= v && v <= measuredDelta.high![i]!)));

  await checkInBrowser(path.join(dir, 'report.html'), charts, loadRunSections(run), path.join(out, 'load-report.png'));

  const microDir = path.join(out, 'micro');
  writeMicroFolder(microDir, micro);
  const bars = microCharts(micro);
  // A chart per suite, a bar per operation: every result drawn once.
  assert.equal(bars.reduce((n, c) => n + c.x.length, 0), micro.results.length);
  await checkInBrowser(path.join(microDir, 'report.html'), bars, microSections(micro), path.join(out, 'micro-report.png'));

  // `report DIR` renders both reports again, of a load run and of a micro run.
  for (const [folder, heading] of [[dir, 'html'], [microDir, 'micro-html']]) {
    rmSync(path.join(folder, 'report.html'));
    writeFileSync(path.join(folder, 'report.md'), 'stale');
    const again = reportCli(folder);
    assert.equal(again.status, 0, again.stderr);
    assert.match(readFileSync(path.join(folder, 'report.md'), 'utf8'), new RegExp(`^# tracetax: ${heading}\\n`));
    assert.match(readFileSync(path.join(folder, 'report.html'), 'utf8'), new RegExp(`<h1>tracetax: ${heading}</h1>`));
  }
});

test('report DIR: a folder without run.json or micro.json, or a run.json of another schema version, is one line and exit 2', () => {
  const empty = mkdtempSync(path.join(out, 'empty-'));
  const none = reportCli(empty);
  assert.equal(none.status, 2);
  assert.match(none.stderr.trim(), /^tracetax: \S+ holds no run\.json or micro\.json: give the folder of a run/);
  writeFileSync(path.join(empty, 'run.json'), JSON.stringify({ schemaVersion: 2 }));
  const old = reportCli(empty);
  assert.equal(old.status, 2);
  assert.match(old.stderr.trim(), /^tracetax: \S+run\.json has schemaVersion 2; this tracetax renders version 3: rerun the scenario/);
  assert.equal(old.stderr.trim().split('\n').length, 1);
  assert.ok(!existsSync(path.join(empty, 'report.html')), 'no report written');
});
