// Where there are at least two cores, the service gets one to itself and the harness (load generator and
// embedded collector) the others, so the load generator does not steal the measured process's CPU.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { MachineDescription, Pinning } from '../model/index.ts';

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Cores this process may use, read when this module loads, before pinning narrows its own affinity. */
export const coresAtStart = os.availableParallelism();

let pinning: Pinning | undefined;

/**
 * Pins this process (all its threads) away from the service's core and says where each side runs.
 * Done once per process: a second run (a --confirm rerun) reuses it rather than seeing one core left.
 */
export function pinHarnessAndService(): Pinning {
  pinning ??= pin();
  return pinning;
}

function pin(): Pinning {
  const cores = coresAtStart;
  if (cores < 2) return { pinned: false, reason: `only ${cores} core available` };
  if (process.platform !== 'linux' || !hasTaskset()) return { pinned: false, reason: 'taskset is not available' };
  const harnessCpus = cores === 2 ? '1' : `1-${cores - 1}`;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', harnessCpus, String(process.pid)], { stdio: 'ignore' });
  } catch (error) {
    return { pinned: false, reason: `taskset failed: ${(error as Error).message.split('\n')[0]}` };
  }
  return { pinned: true, serviceCpus: '0', harnessCpus };
}

export function describeMachine(pinning: Pinning): MachineDescription {
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cpuCount: coresAtStart,
    pinning,
  };
}
