// Every load driver, by the load mode a scenario names. Adding one: a file with its driver, its result
// in src/model/trial.ts, and a line here.
import { closedLoopDriver } from './closed-loop.ts';
import type { LoadDriver } from './driver.ts';
import { openLoopDriver } from './open-loop.ts';
import type { LoadMode } from '../model/index.ts';

export const loadDrivers: Readonly<Record<LoadMode, LoadDriver>> = {
  closed: closedLoopDriver,
  open: openLoopDriver,
};

export const loadModes = Object.keys(loadDrivers) as LoadMode[];

export function isLoadMode(value: unknown): value is LoadMode {
  return typeof value === 'string' && (loadModes as string[]).includes(value);
}
