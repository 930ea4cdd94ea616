// The one place that starts child processes: the service under test, the micro-benchmarks' exporting
// and counting processes, a Jaeger for the tests. Every child is registered until it exits, so an
// interrupted run can end them all; a child may be pinned to cores with taskset.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { once } from 'node:events';

/** Every child still running, and whether it leads a process group of its own (whose members end with it). */
const liveChildren = new Map<ChildProcess, { group: boolean }>();

/** Ends every child still running (with its process group, where it has one). Synchronous, so it can run in an 'exit' handler. */
export function killAllChildren(): void {
  for (const [child, { group }] of liveChildren) killChild(child, group);
  liveChildren.clear();
}

/** SIGKILL to the child, or to its whole process group: a service's own children must not outlive it. */
export function killChild(child: ChildProcess, group: boolean, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (group && child.pid !== undefined) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  } else if (isRunning(child)) child.kill(signal);
}

export interface SpawnOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly stdio: StdioOptions;
  /** CPU list for taskset (e.g. "0"), or undefined for no pinning. */
  readonly cpus?: string;
  readonly cwd?: string;
  /** A process group of its own, led by the child, so that killChild(child, true) ends everything it started. */
  readonly ownGroup?: boolean;
}

export function spawnChild(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const [file, argv] = options.cpus ? ['taskset', ['-c', options.cpus, command, ...args]] : [command, [...args]];
  const group = options.ownGroup ?? false;
  const child = spawn(file, argv, { stdio: options.stdio, env: options.env, cwd: options.cwd, detached: group });
  liveChildren.set(child, { group });
  // A group's other members may outlive its leader (still flushing, say): its owner ends it with endGroup.
  if (!group) child.once('exit', () => liveChildren.delete(child));
  return child;
}

/** Ends the child's whole process group at once, and forgets it. */
export function endGroup(child: ChildProcess): void {
  killChild(child, true);
  liveChildren.delete(child);
}

const tsxLoader = import.meta.resolve('tsx');

export interface NodeRuntime {
  /** The node binary; the one running the harness when absent. */
  readonly node?: string;
  /** Node.js flags for this process only. */
  readonly nodeFlags?: readonly string[];
}

/** A TypeScript file of this project in its own Node.js process: on the runtime that runs the harness, or the one given. */
export function spawnTsChild(file: string, args: readonly string[], options: SpawnOptions & NodeRuntime): ChildProcess {
  return spawnChild(options.node ?? process.execPath, [...(options.nodeFlags ?? []), '--import', tsxLoader, file, ...args], options);
}

/**
 * NODE_OPTIONS with preloads (e.g. ['--require', file]) after the `inherited` value: each file in double
 * quotes, backslash-escaped, which NODE_OPTIONS takes for a path with a space.
 */
export function nodeOptionsWith(inherited: string | undefined, preloads: readonly (readonly [flag: string, file: string])[]): string {
  const added = preloads.map(([flag, file]) => `${flag} ${JSON.stringify(file)}`).join(' ');
  return inherited?.trim() ? `${inherited.trim()} ${added}` : added;
}

/** This process's environment without the variables whose names start with one of `prefixes`. */
export function environmentWithout(prefixes: readonly string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !prefixes.some((p) => key.startsWith(p))));
}

export interface NextMessageOptions<T> {
  /** The awaited message, an Error that ends the wait, or undefined to keep waiting. */
  readonly pick: (message: unknown) => T | Error | undefined;
  readonly timeoutMs: number;
  /** The errors for a child that exits first, and for one that stays silent past the timeout. */
  readonly onExit: (code: number | null, signal: NodeJS.Signals | null) => Error;
  readonly onTimeout: () => Error;
}

/** Waits for the child's next IPC message that `pick` accepts. */
export function nextMessage<T>(child: ChildProcess, options: NextMessageOptions<T>): Promise<T> {
  // A child already gone sends nothing more, and its 'exit' has fired: waiting would only run into the timeout.
  if (!isRunning(child)) return Promise.reject(options.onExit(child.exitCode, child.signalCode));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(options.onTimeout()), options.timeoutMs);
    const onMessage = (message: unknown) => {
      const picked = options.pick(message);
      if (picked !== undefined) done(picked);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => done(options.onExit(code, signal));
    function done(outcome: T | Error) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Resolves once the child has exited; SIGKILL after `graceMs` if it has not. */
export async function ended(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (!isRunning(child)) return;
  const exit = once(child, 'exit');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exit;
  clearTimeout(timer);
}
