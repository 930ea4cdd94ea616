// The tree reads one way: no import circle anywhere in src/ (type-only imports count too), and src/model
// imports nothing outside itself, so every other folder can take its types from there.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../../src/', import.meta.url));
const importPattern = /^\s*(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]|^\s*import\s+['"](\.[^'"]+)['"]/gm;

/** Each .ts file under src/ (relative path) → the files under src/ it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const entry of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.ts')) continue;
    const file = path.join(src, entry);
    const targets = [...readFileSync(file, 'utf8').matchAll(importPattern)].map((m) => path.relative(src, path.resolve(path.dirname(file), m[1] ?? m[2])));
    graph.set(path.relative(src, file), targets);
  }
  return graph;
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1 || graph.get(v)!.includes(v)) out.push(component.sort());
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

test('no import circle in src/', () => {
  const graph = importGraph();
  assert.ok(graph.size > 50, `read ${graph.size} files under src/`);
  assert.deepEqual(circles(graph), []);
});

test('the circle check finds a circle', () => {
  const graph = new Map([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts']],
    ['c.ts', ['a.ts']],
    ['d.ts', ['a.ts']],
  ]);
  assert.deepEqual(circles(graph), [['a.ts', 'b.ts', 'c.ts']]);
});

test('src/model imports nothing outside src/model', () => {
  const outside = [...importGraph()].filter(([file]) => file.startsWith(`model${path.sep}`)).flatMap(([file, targets]) =>
    targets.filter((t) => !t.startsWith(`model${path.sep}`)).map((t) => `${file} → ${t}`),
  );
  assert.deepEqual(outside, []);
  // Types only, and no package either: nothing in model/ exists at run time.
  for (const file of readdirSync(path.join(src, 'model'))) {
    const text = readFileSync(path.join(src, 'model', file), 'utf8');
    for (const [, specifier] of text.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)) assert.match(specifier, /^\.\/[\w-]+\.ts$/, `${file} imports ${specifier}`);
    assert.doesNotMatch(text, /^export (const|function|class|let|enum)\b/m, `${file} declares a value`);
    assert.doesNotMatch(text, /^import (?!type )/m, `${file} imports a value`);
  }
});
