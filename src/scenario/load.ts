// Finds and reads a scenario: a shipped name (scenarios/NAME.ts) or a path to the user's own file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Scenario } from './types.ts';
import { ScenarioError, validateScenario, type ScenarioOverrides } from './validate.ts';

export const shippedScenariosDir = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const scenarioExtensions = ['.ts', '.mts', '.js', '.mjs', '.json'];

export function listShippedScenarios(): string[] {
  return readdirSync(shippedScenariosDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
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
  try {
    return validateScenario(raw, looksLikePath(nameOrPath) ? file : nameOrPath, overrides);
  } catch (error) {
    if (error instanceof ScenarioError) throw new ScenarioError(`scenario ${nameOrPath}: ${error.message}`);
    throw error;
  }
}
