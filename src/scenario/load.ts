// Finds and reads a scenario: a shipped name (scenarios/NAME.ts) or a path to the user's own file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMicroSpec, ScenarioError, validateMicroScenario, validateScenario, type MicroOverrides, type ScenarioOverrides } from './validate.ts';
import type { AnyScenario, MicroScenario, Scenario } from '../model/index.ts';

export const shippedScenariosDir = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const scenarioExtensions = ['.ts', '.mts', '.js', '.mjs', '.json'];

/** The shipped load scenarios (micro scenarios are listed by listShippedMicroScenarios). */
export function listShippedScenarios(): string[] {
  return shippedFiles().filter((name) => !isShippedMicro(name));
}

/** The shipped micro-benchmark scenarios (kind: 'micro'). */
export function listShippedMicroScenarios(): string[] {
  return shippedFiles().filter(isShippedMicro);
}

function shippedFiles(): string[] {
  return readdirSync(shippedScenariosDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** Shipped files are ours, so their kind can be read from the source without importing each one. */
function isShippedMicro(name: string): boolean {
  return /\bkind:\s*['"]micro['"]/.test(readFileSync(path.join(shippedScenariosDir, `${name}.ts`), 'utf8'));
}

function looksLikePath(arg: string): boolean {
  return arg.includes('/') || arg.includes(path.sep) || scenarioExtensions.includes(path.extname(arg));
}

async function readScenarioFile(file: string): Promise<unknown> {
  const shown = path.relative(process.cwd(), file) || file;
  if (!existsSync(file)) throw new ScenarioError(`no scenario file at ${shown}: check the path`);
  const ext = path.extname(file);
  if (!scenarioExtensions.includes(ext)) throw new ScenarioError(`${shown}: a scenario file ends in ${scenarioExtensions.join(', ')}`);
  try {
    if (ext === '.json') return JSON.parse(readFileSync(file, 'utf8'));
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    if (module.default === undefined) throw new Error('it has no default export: end it with `export default defineScenario({...})`');
    return module.default;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    throw new ScenarioError(`${shown} could not be read: ${message}`);
  }
}

/** Like loadScenario, but also takes micro scenarios (kind: 'micro'), which run micro-benchmarks instead of load. */
export async function loadAnyScenario(nameOrPath: string, overrides: ScenarioOverrides = {}, microOverrides: MicroOverrides = {}): Promise<AnyScenario> {
  const micro = listShippedMicroScenarios();
  if (!looksLikePath(nameOrPath) && micro.includes(nameOrPath)) {
    const raw = await readScenarioFile(path.join(shippedScenariosDir, `${nameOrPath}.ts`));
    return { kind: 'micro', scenario: validateMicro(raw, nameOrPath, nameOrPath, microOverrides) };
  }
  if (looksLikePath(nameOrPath)) {
    const file = path.resolve(nameOrPath);
    const raw = await readScenarioFile(file);
    if (isMicroSpec(raw)) return { kind: 'micro', scenario: validateMicro(raw, file, nameOrPath, microOverrides) };
  } else if (!listShippedScenarios().includes(nameOrPath)) {
    throw new ScenarioError(`unknown scenario '${nameOrPath}': use one of ${[...listShippedScenarios(), ...micro].sort().join(', ')}, or a path to your own scenario file`);
  }
  return { kind: 'load', scenario: await loadScenario(nameOrPath, overrides) };
}

function validateMicro(raw: unknown, source: string, shown: string, overrides: MicroOverrides): MicroScenario {
  try {
    return validateMicroScenario(raw, source, overrides);
  } catch (error) {
    if (error instanceof ScenarioError) throw new ScenarioError(`scenario ${shown}: ${error.message}`);
    throw error;
  }
}

export async function loadScenario(nameOrPath: string, overrides: ScenarioOverrides = {}): Promise<Scenario> {
  let file: string;
  if (looksLikePath(nameOrPath)) {
    file = path.resolve(nameOrPath);
  } else {
    const known = listShippedScenarios();
    if (!known.includes(nameOrPath)) {
      throw new ScenarioError(`unknown scenario '${nameOrPath}': use one of ${known.join(', ')}, or a path to your own scenario file`);
    }
    file = path.join(shippedScenariosDir, `${nameOrPath}.ts`);
  }
  const raw = await readScenarioFile(file);
  if (isMicroSpec(raw)) throw new ScenarioError(`scenario ${nameOrPath} runs micro-benchmarks, not load: run it on its own with --scenario ${nameOrPath}`);
  try {
    return validateScenario(raw, looksLikePath(nameOrPath) ? file : nameOrPath, overrides);
  } catch (error) {
    if (error instanceof ScenarioError) throw new ScenarioError(`scenario ${nameOrPath}: ${error.message}`);
    throw error;
  }
}
