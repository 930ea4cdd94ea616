// report.html from a real run, opened in a real Chromium over file://: no console error, no failed request,
// every chart drawn with the series and points its data holds; `report DIR` renders it again. A screenshot
// is kept under the test's output folder. Skips only where no Chromium can be had, never under CI.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { htmlCharts } from '../../src/report/html-data.ts';
import { writeRunFolder } from '../../src/report/write.ts';
import { runScenario } from '../../src/run/run.ts';
import { validateScenario } from '../../src/scenario/validate.ts';
import { isCI } from '../support/ci-env.ts';

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

test('report.html of a real sampling run renders every chart in Chromium, with no console error or failed request', { skip }, async () => {
  const scenario = validateScenario(
    {
      name: 'html',
      description: 'three ratios of one sampler, for the overhead curve and its fit',
      load: { mode: 'open', rate: 100, connections: 4, durationSec: 0.5, warmupSec: 0.5 },
      trials: 3,
      processes: 'pool',
      variants: [{ matrix: { OTEL_TRACES_SAMPLER_ARG: [1, 0.5, 0.1] }, env: { OTEL_TRACES_SAMPLER: 'traceidratio' }, name: 'ratio ${OTEL_TRACES_SAMPLER_ARG}' }],
    },
    'test',
  );
  const run = await runScenario(scenario, { pin: false, flushTimeoutSec: 10 });
  const dir = path.join(out, 'run');
  writeRunFolder(dir, { run });
  const expected = htmlCharts(run).map((c) => ({ id: c.id, series: c.series.length, points: c.x.length }));
  assert.deepEqual(expected.map((c) => c.id), ['curve-cpu', 'curve-server-p50', 'curve-throughput', 'latency-client', 'latency-server', 'rounds']);

  const browser = await chromium.launch({ executablePath: executablePath!, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
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
    await page.goto(`file://${path.join(dir, 'report.html')}`);
    const drawn = await page.evaluate(() => (window as unknown as { tracetaxCharts: unknown }).tracetaxCharts);
    assert.deepEqual(drawn, expected);
    // uPlot draws each chart into a canvas of its own.
    assert.equal(await page.locator('.chart canvas').count(), expected.length);
    // The comparison table holds the same rows as report.md.
    assert.equal(await page.locator('#comparison tbody tr').count(), run.variants.length);
    await page.screenshot({ path: path.join(out, 'report.png'), fullPage: true });
    assert.deepEqual(problems, []);
    assert.ok(existsSync(path.join(out, 'report.png')));
  } finally {
    await browser.close();
  }

  // `report DIR` renders both reports again from run.json.
  rmSync(path.join(dir, 'report.html'));
  writeFileSync(path.join(dir, 'report.md'), 'stale');
  const again = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'report', dir], { cwd: root, encoding: 'utf8' });
  assert.equal(again.status, 0, again.stderr);
  assert.match(readFileSync(path.join(dir, 'report.md'), 'utf8'), /^# tracetax: html/);
  assert.match(readFileSync(path.join(dir, 'report.html'), 'utf8'), /<h1>tracetax: html<\/h1>/);
});

test('report DIR: a folder without run.json, or a run.json of another schema version, is one line and exit 2', () => {
  const cli = (dir: string) => spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'report', dir], { cwd: root, encoding: 'utf8' });
  const empty = mkdtempSync(path.join(out, 'empty-'));
  const none = cli(empty);
  assert.equal(none.status, 2);
  assert.match(none.stderr.trim(), /^tracetax: \S+ holds no run\.json: give the folder of a load run/);
  writeFileSync(path.join(empty, 'run.json'), JSON.stringify({ schemaVersion: 2 }));
  const old = cli(empty);
  assert.equal(old.status, 2);
  assert.match(old.stderr.trim(), /^tracetax: \S+run\.json has schemaVersion 2; this tracetax renders version 3: rerun the scenario/);
  assert.equal(old.stderr.trim().split('\n').length, 1);
});
