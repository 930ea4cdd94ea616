// The pid of the built-in service this process started last, for benches that read its CPU from /proc
// (taskset execs, so the pid is the service's own).
import { execFileSync } from 'node:child_process';

export function newestServicePid(): number {
  const pids = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('sut/builtin/main.ts'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
  return Math.max(...pids);
}
