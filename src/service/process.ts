// The harness's handle on one service process: spawn (optionally pinned to a core), talk over IPC,
// and make sure it ends, also when the harness is interrupted.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TracingEnv } from '../tracing/env.ts';
import {
  serviceSettingsEnvKey,
  type FinalStats,
  type HarnessMessage,
  type ServiceMessage,
  type ServiceSettings,
  type WindowStats,
} from './protocol.ts';
import type { Hop } from './shape.ts';

const serviceMain = fileURLToPath(new URL('./main.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');

/** Every child still running, so that an interrupted run can end them all. */
const liveChildren = new Set<ChildProcess>();

/** Ends every child process this module started. Synchronous, so it can run in an 'exit' handler. */
export function killAllServices(): void {
  for (const child of liveChildren) child.kill('SIGKILL');
  liveChildren.clear();
}

export interface SpawnServiceOptions {
  readonly settings: ServiceSettings;
  /** The variant's OTEL_* variables; nothing else of the harness's environment reaches the service's SDK. */
  readonly tracingEnv: TracingEnv;
  /** CPU list for taskset (e.g. "0"), or undefined for no pinning. */
  readonly cpus?: string;
  /** 'ipc' for the harness; 'interactive' for `serve`, with the terminal attached. */
  readonly mode: 'ipc' | 'interactive';
}

/** Environment without the user's OTEL_* and TRACETAX_* variables, so the variant alone decides the tracing settings. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('OTEL_') && !key.startsWith('TRACETAX_')) env[key] = value;
  return env;
}

export function spawnService(options: SpawnServiceOptions): ChildProcess {
  const nodeArgs = ['--import', tsxLoader, serviceMain];
  const [command, args] = options.cpus ? ['taskset', ['-c', options.cpus, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const child = spawn(command, args, {
    stdio: options.mode === 'ipc' ? ['ignore', 'inherit', 'inherit', 'ipc'] : 'inherit',
    env: { ...baseEnv(), ...options.tracingEnv, [serviceSettingsEnvKey]: JSON.stringify(options.settings) },
  });
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  return child;
}

export class ServiceStartError extends Error {}

/** A service process under the harness's control. */
export class ServiceProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly frontendUrl: string,
    readonly ports: Readonly<Record<Hop, number>>,
    readonly tracing: string,
  ) {}

  static async start(options: Omit<SpawnServiceOptions, 'mode'>, startTimeoutMs = 30_000): Promise<ServiceProcess> {
    const child = spawnService({ ...options, mode: 'ipc' });
    try {
      const ready = await nextMessage(child, 'ready', startTimeoutMs);
      return new ServiceProcess(child, ready.frontendUrl, ready.ports, ready.tracing);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  /** Starts the measured window: the service zeroes its per-window counters and clocks. */
  beginWindow(): void {
    this.send({ type: 'begin-window' });
  }

  async endWindow(timeoutMs = 10_000): Promise<WindowStats> {
    const reply = nextMessage(this.child, 'window', timeoutMs);
    this.send({ type: 'end-window' });
    return (await reply).stats;
  }

  /** Stops the servers, flushes the SDK (bounded by flushTimeoutMs) and returns the lifetime counts. */
  async shutdown(flushTimeoutMs: number): Promise<FinalStats> {
    const reply = nextMessage(this.child, 'final', flushTimeoutMs + 10_000);
    this.send({ type: 'shutdown', flushTimeoutMs });
    try {
      return (await reply).stats;
    } finally {
      this.kill();
    }
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private send(message: HarnessMessage): void {
    this.child.send(message);
  }
}

type MessageOf<T extends ServiceMessage['type']> = Extract<ServiceMessage, { type: T }>;

/** Waits for the child's next message of one type; a 'fatal' message, an exit or the timeout rejects. */
function nextMessage<T extends ServiceMessage['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<MessageOf<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new ServiceStartError(`the service sent no '${type}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: ServiceMessage) => {
      if (message.type === type) {
        cleanup();
        resolve(message as MessageOf<T>);
      } else if (message.type === 'fatal') {
        cleanup();
        reject(new ServiceStartError(message.message));
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      reject(new ServiceStartError(`the service exited (${signal ?? `code ${code}`}) before sending '${type}'`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
