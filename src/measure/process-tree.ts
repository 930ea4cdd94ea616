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

export function groupCost(pgid: number): GroupCost {
  let ns = 0;
  let userTicks = 0;
  let systemTicks = 0;
  let peakRssKb = 0;
  const members = groupMembers(pgid);
  for (const pid of members) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) ns += Number(readOr(`/proc/${pid}/task/${tid}/schedstat`, '0').split(' ')[0]) || 0;
    const fields = statFields(pid);
    if (fields) {
      // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
      userTicks += Number(fields[11]) || 0;
      systemTicks += Number(fields[12]) || 0;
    }
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readOr(`/proc/${pid}/status`, ''));
    if (hwm) peakRssKb += Number(hwm[1]);
  }
  return { cpuUs: ns / 1000, userTicks, systemTicks, peakRssBytes: peakRssKb * 1024, processes: members.length };
}
