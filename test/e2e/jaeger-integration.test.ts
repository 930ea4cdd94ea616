// Against a real Jaeger v2 (the binary scripts/jaeger.sh --install builds), started here on free ports:
// a short tracetax run through the CLI with --otlp-endpoint and --jaeger-query, and the query client
// against Jaeger's real answers. Exact relations only. Skips, saying why, only where no Jaeger binary
// exists, and never under CI (then it fails). Also the part that needs no Jaeger but runs the CLI: the
// option's one-line errors (the reservoir of exported trace ids and the lookup quotas are in
// test/unit/jaeger-integration.test.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findJaegerBinary, startLocalJaeger, type LocalJaeger } from '../support/local-jaeger.ts';
import { JaegerQueryClient } from '../../src/jaeger/query-client.ts';
import type { FoundTrace } from '../../src/jaeger/query-parse.ts';
import { spansPerRequest } from '../../src/sut/builtin/shape.ts';
import { isCI } from '../support/ci-env.ts';
import type { RunDocument } from '../../src/model/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = path.join(root, 'src/cli/main.ts');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tracetax-jaeger-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function runCli(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('--jaeger-query: bad input ends with one line and exit 2 before any load', () => {
  const out = path.join(tmp, 'never');
  for (const [args, message] of [
    [['--jaeger-query', 'http://127.0.0.1:16686'], /--jaeger-query needs --otlp-endpoint/],
    [['--otlp-endpoint', 'http://127.0.0.1:4317', '--jaeger-query', 'jaeger:16686'], /--jaeger-query 'jaeger:16686' is not an http\(s\) URL/],
    [['--otlp-endpoint', 'http://127.0.0.1:4317', '--jaeger-query', 'http://127.0.0.1:1'], /Jaeger's query API did not answer .*npm run jaeger/],
  ] as const) {
    const result = runCli(['--scenario', 'quick', '--out', out, ...args]);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, message);
  }
});

test('a real Jaeger: every exported trace is found, whole, and counted', async (t) => {
  const binary = findJaegerBinary();
  if (!binary) {
    const how = "no Jaeger binary ($JAEGER_BIN, jaeger on PATH, ~/go/bin/jaeger, or the one 'bash scripts/jaeger.sh --install' builds)";
    if (isCI()) assert.fail(`CI is set, so this test may not skip: ${how}`);
    t.skip(how);
    return;
  }
  const jaeger: LocalJaeger = await startLocalJaeger({ binary });
  t.after(() => jaeger.stop());

  // A queue that keeps up, so every sampled span is exported and "found == looked up" must hold exactly.
  const keepUp = { OTEL_BSP_MAX_QUEUE_SIZE: 65536, OTEL_BSP_MAX_EXPORT_BATCH_SIZE: 512, OTEL_BSP_SCHEDULE_DELAY: 100 };
  const scenarioFile = path.join(tmp, 'jaeger-it.json');
  writeFileSync(
    scenarioFile,
    JSON.stringify({
      name: 'jaeger-it',
      description: 'a short run against a real Jaeger',
      load: { connections: 4, durationSec: 1, warmupSec: 0.5 },
      trials: 1,
      // One variant's process after another, so Jaeger's search by time window can count each apart.
      processes: 'fresh',
      variants: [
        { name: 'untraced', env: { OTEL_SDK_DISABLED: 'true' } },
        { name: 'always_on', env: { OTEL_TRACES_SAMPLER: 'always_on', ...keepUp } },
        { name: 'ratio 0.25', env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 0.25, ...keepUp } },
      ],
    }),
  );
  const out = path.join(tmp, 'run');
  const result = runCli(['--scenario', scenarioFile, '--otlp-endpoint', jaeger.otlpEndpoint, '--jaeger-query', jaeger.queryUrl, '--out', out, '--no-pin']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /^jaeger: waiting until /m);
  const run = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8')) as RunDocument;
  const check = run.jaeger!;

  await t.test('run.json: settled, a service name of its own, every traced variant checked exactly', () => {
    assert.ok(check.settled, check.settleError);
    assert.match(check.serviceName, /^tracetax-\d{8}T\d{6}Z-[0-9a-f]{4}$/);
    assert.equal(check.api, 'v1');
    assert.equal(check.windowsOverlap, false, 'sequential trials: each variant has windows of its own');
    assert.equal(check.expectedSpansPerTrace, spansPerRequest);
    assert.equal(check.variants.length, run.variants.length);
    for (const v of run.variants.slice(1)) {
      const s = v.summary;
      const c = check.variants.find((x) => x.variant === v.name)!;
      assert.ok(s.allFlushed, v.name);
      assert.equal(s.spans.dropped, 0, v.name);
      assert.equal(s.spans.exportFailed, 0, v.name);
      assert.ok(s.sampledTraces! > 0, v.name);
      assert.equal(c.exportedTraces, s.sampledTraces, `${v.name}: one exported root per sampled trace`);
      assert.equal(c.lookedUp, Math.min(200, c.exportedTraces), v.name);
      assert.equal(c.lookupErrors, 0, v.name);
      assert.equal(c.found, c.lookedUp, `${v.name}: every exported trace looked up is in Jaeger`);
      assert.equal(c.foundRatio!.ratio, 1, v.name);
      assert.equal(c.foundRatio!.high, 1, v.name);
      assert.equal(c.spansPerFoundTrace, spansPerRequest, v.name);
      assert.equal(c.completeFoundTraces, c.found, v.name);
      assert.equal(c.searchTotal, c.exportedTraces, `${v.name}: Jaeger's search finds exactly the exported traces`);
      assert.equal(c.searchCapped, false, v.name);
    }
    const untraced = check.variants[0];
    assert.deepEqual(
      [untraced.exportedTraces, untraced.lookedUp, untraced.found, untraced.foundRatio, untraced.searchTotal],
      [0, 0, 0, null, 0],
    );
    assert.equal(check.exportedTraces, check.variants.reduce((sum, v) => sum + v.exportedTraces, 0));
  });

  await t.test('the reports show the check', () => {
    const markdown = readFileSync(path.join(out, 'report.md'), 'utf8');
    assert.match(markdown, /## Delivery checked in Jaeger/);
    assert.match(markdown, /## Export throughput/);
    const c = check.variants[1];
    assert.match(markdown, new RegExp(`\\| always_on \\| ${c.exportedTraces.toLocaleString('en-US')} \\| ${c.found} / ${c.lookedUp} \\| 100% \\(`));
    assert.match(result.stdout, new RegExp(`In Jaeger \\(${jaeger.queryUrl}, service ${check.serviceName}\\)`));
    // report.html holds the same section, with the same row.
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    assert.match(html, /<section id="jaeger"><h2>Delivery checked in Jaeger<\/h2>/);
    assert.match(html, new RegExp(`<tr><td>always_on</td><td class="num">${c.exportedTraces.toLocaleString('en-US')}</td><td class="num">${c.found} / ${c.lookedUp}</td><td class="num">100% \\(`));
  });

  await t.test('the query client against the real Jaeger: found, not found, bad ids, services', async () => {
    const client = new JaegerQueryClient({ baseUrl: jaeger.queryUrl });
    const start = Date.parse(run.startedAt);
    const end = Date.parse(run.finishedAt);
    const search = await client.searchTraces(check.serviceName, start, end, 100_000);
    assert.equal(search.api, 'v1');
    assert.equal(search.traces.length, check.exportedTraces);
    assert.ok(search.traces.every((tr) => tr.spanCount === spansPerRequest && tr.services.join() === check.serviceName));
    const one = await client.getTrace(search.traces[0].traceId);
    assert.equal(one.state, 'found');
    // The same spans; Jaeger's order of them differs between its two answers.
    const sorted = (tr: FoundTrace) => ({ ...tr, spanIds: [...tr.spanIds].sort() });
    if (one.state === 'found') assert.deepEqual(sorted(one.trace), sorted(search.traces[0]));
    assert.deepEqual(await client.getTrace('0123456789abcdef0123456789abcdef'), { state: 'not-found', api: 'v1' });
    assert.equal((await client.getTrace('not-hex')).state, 'error');
    assert.deepEqual((await client.searchTraces('tracetax-no-such-service', start, end, 10)).traces, []);
    assert.ok((await client.services()).includes(check.serviceName));
  });
});
