// A process group's cost, read from /proc without the processes' help: what an external service (and
// every process it started) spends. CPU is the scheduler's run time of every thread (ns), so short
// windows at low rates keep their precision; a thread or process that ends takes its time with it.
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // gone between the listing and the read
  }
}

/** Live (not zombie) processes of the group `pgid`. */
export function groupMembers(pgid: number): string[] {
  const out: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    // fields[0] is the state, fields[2] the process group.
    if (fields && fields[2] === String(pgid) && fields[0] !== 'Z') out.push(entry);
  }
  return out;
}

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

export interface GroupCost {
  /** Run time of every live thread of the group, µs. */
  readonly cpuUs: number;
  /** User and system clock ticks of the group's processes (their split of cpuUs). */
  readonly userTicks: number;
  readonly systemTicks: number;
  /** Sum of each process's peak resident set size (VmHWM), bytes. */
  readonly peakRssBytes: number;
  readonly processes: number;
}

/** One process's cost (all zero once it is gone). */
export function processCost(pid: string | number): GroupCost {
  let ns = 0;
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return { cpuUs: 0, userTicks: 0, systemTicks: 0, peakRssBytes: 0, processes: 0 };
  }
  for (const tid of tasks) ns += Number(readOr(`/proc/${pid}/task/${tid}/schedstat`, '0').split(' ')[0]) || 0;
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
  const fields = statFields(String(pid));
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readOr(`/proc/${pid}/status`, ''));
  return {
    cpuUs: ns / 1000,
    userTicks: Number(fields?.[11]) || 0,
    systemTicks: Number(fields?.[12]) || 0,
    peakRssBytes: hwm ? Number(hwm[1]) * 1024 : 0,
    processes: 1,
  };
}

export function groupCost(pgid: number): GroupCost {
  const costs = groupMembers(pgid).map(processCost);
  const total = (pick: (c: GroupCost) => number) => costs.reduce((sum, c) => sum + pick(c), 0);
  return {
    cpuUs: total((c) => c.cpuUs),
    userTicks: total((c) => c.userTicks),
    systemTicks: total((c) => c.systemTicks),
    peakRssBytes: total((c) => c.peakRssBytes),
    processes: total((c) => c.processes),
  };
}
