// What the scheduler saw of a service process over a window, from /proc without the process's help: the
// run time of its main (JavaScript) thread and of its helper threads (GC, compiler, libuv pool), the time
// its threads were ready but waited for a CPU, its context switches, and the machine's steal. These tell
// a slice that cost more because the service did more (a GC burst, an export) from one that cost more
// because something else ran on its core (waits, involuntary switches) or on its host (steal).
import { readdirSync, readFileSync } from 'node:fs';
import type { SliceSched } from '../model/index.ts';

interface ThreadCounts {
  readonly runNs: number;
  readonly waitNs: number;
  readonly voluntary: number;
  readonly involuntary: number;
}

export interface SchedSnapshot {
  readonly pid: number;
  readonly threads: ReadonlyMap<string, ThreadCounts>;
  /** Steal of the whole machine, USER_HZ ticks (/proc/stat's first line). */
  readonly stealTicks: number;
}

/** USER_HZ: /proc/stat counts in hundredths of a second on Linux. */
const tickUs = 10_000;

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null; // the thread or process ended between the listing and the read
  }
}

function switches(status: string, field: string): number {
  return Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
}

/** The machine's steal ticks so far (0 where /proc/stat does not say). */
function stealTicks(): number {
  const cpu = (read('/proc/stat') ?? '').split('\n')[0].trim().split(/\s+/);
  // cpu user nice system idle iowait irq softirq steal …
  return Number(cpu[8] ?? 0) || 0;
}

/** Every thread's counters now; null when the process is gone or /proc is not there. */
export function schedSnapshot(pid: number): SchedSnapshot | null {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  const threads = new Map<string, ThreadCounts>();
  for (const tid of tids) {
    const schedstat = read(`/proc/${pid}/task/${tid}/schedstat`);
    const status = read(`/proc/${pid}/task/${tid}/status`);
    if (schedstat === null || status === null) continue;
    const [runNs, waitNs] = schedstat.trim().split(' ').map(Number);
    threads.set(tid, { runNs, waitNs, voluntary: switches(status, 'voluntary_ctxt_switches'), involuntary: switches(status, 'nonvoluntary_ctxt_switches') });
  }
  return { pid, threads, stealTicks: stealTicks() };
}

/** What happened between two snapshots of one process: a thread born in between counts from zero, one that ended takes its counts with it. */
export function schedBetween(before: SchedSnapshot, after: SchedSnapshot): SliceSched {
  let mainNs = 0;
  let helperNs = 0;
  let waitNs = 0;
  let voluntary = 0;
  let involuntary = 0;
  for (const [tid, now] of after.threads) {
    const was = before.threads.get(tid) ?? { runNs: 0, waitNs: 0, voluntary: 0, involuntary: 0 };
    const run = now.runNs - was.runNs;
    if (tid === String(after.pid)) mainNs += run;
    else helperNs += run;
    waitNs += now.waitNs - was.waitNs;
    voluntary += now.voluntary - was.voluntary;
    involuntary += now.involuntary - was.involuntary;
  }
  return {
    mainThreadUs: mainNs / 1000,
    helperThreadsUs: helperNs / 1000,
    runQueueWaitUs: waitNs / 1000,
    voluntarySwitches: voluntary,
    involuntarySwitches: involuntary,
    machineStealUs: (after.stealTicks - before.stealTicks) * tickUs,
  };
}
