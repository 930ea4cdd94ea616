// The built-in service under test: the topology of topology.ts in its own process (main.ts), which the
// harness drives over Node's IPC channel.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { environmentWithout, isRunning, nextMessage, spawnTsChild } from '../children.ts';
import { instrumentationEnv } from '../instrumentation.ts';
import { runtimeNode } from '../runtimes.ts';
import { defaultSdkSet, sdkSetLaunch } from '../sdk-sets.ts';
import { envPadding, ServiceStartError, type RunningService, type ServiceCapabilities, type ServiceStart, type ServiceUnderTest } from '../service-under-test.ts';
import { protocolVersion, serviceSettingsEnvKey, type HarnessMessage, type ServiceMessage, type ServiceSettings } from './protocol.ts';
import type { FinalStats, WindowStats } from '../../model/index.ts';

const serviceMain = fileURLToPath(new URL('./main.ts', import.meta.url));

/** How long a service may take to say it is ready. */
const startTimeoutMs = 30_000;

export interface SpawnServiceOptions extends ServiceStart {
  readonly settings: ServiceSettings;
  /** The service's entry file: this tree's, or a base checkout's. */
  readonly main?: string;
  /** 'ipc' for the harness; 'interactive' for `serve`, with the terminal attached. */
  readonly mode: 'ipc' | 'interactive';
}

/** The service's process. The user's own OTEL_* and TRACETAX_* variables are left out, so the variant alone decides the tracing settings. */
export function spawnService(options: SpawnServiceOptions): ChildProcess {
  const settings: ServiceSettings = { ...options.settings, ...(options.instrumentation === 'auto' ? { instrumentation: 'auto' } : {}) };
  const runtime = options.runtime;
  const sdk = sdkSetLaunch(options.sdk ?? defaultSdkSet);
  return spawnTsChild(options.main ?? serviceMain, [], {
    ...(runtime?.runtime ? { node: runtimeNode(runtime.runtime) } : {}),
    nodeFlags: [...sdk.nodeFlags, ...(runtime?.nodeFlags ?? [])],
    stdio: options.mode === 'ipc' ? ['ignore', 'inherit', 'inherit', 'ipc'] : 'inherit',
    env: {
      ...environmentWithout(['OTEL_', 'TRACETAX_']),
      ...instrumentationEnv(options.instrumentation, process.env.NODE_OPTIONS),
      ...(options.instrumentation === 'auto' ? { OTEL_SERVICE_NAME: settings.serviceName } : {}),
      ...options.tracingEnv,
      ...sdk.env,
      ...envPadding(options.envPaddingBytes),
      [serviceSettingsEnvKey]: JSON.stringify(settings),
    },
    cpus: options.cpus,
  });
}

export class BuiltinService implements ServiceUnderTest {
  /** The topology times itself, counts its spans, makes 8 per request, and a base checkout has one too. */
  static readonly capabilities: ServiceCapabilities = { serverTime: true, ownSpanCounts: true, knownSpansPerRequest: true, baseCheckout: true };
  readonly capabilities = BuiltinService.capabilities;
  constructor(
    readonly settings: ServiceSettings,
    /** The entry file of a base checkout's service; this tree's when absent. */
    private readonly main?: string,
  ) {}

  async start(options: ServiceStart): Promise<RunningService> {
    const child = spawnService({ ...options, settings: this.settings, mode: 'ipc', main: this.main });
    try {
      const ready = await reply(child, 'ready', startTimeoutMs);
      if (ready.protocol !== protocolVersion) {
        throw new ServiceStartError(
          `${this.main ?? serviceMain} speaks ${ready.protocol === undefined ? 'an older protocol' : `protocol ${ready.protocol}`}, this harness protocol ${protocolVersion}: ` +
            'the base cannot run beside this tree; save a baseline on the base branch (--save-baseline) and check against that file',
        );
      }
      return new BuiltinProcess(child, ready.frontendUrl, ready.node, ready.sdk);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }
}

/** A built-in service process under the harness's control. */
class BuiltinProcess implements RunningService {
  constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    /** process.version of the service, as it reported it. */
    readonly nodeVersion?: string,
    /** The SDK line its tracing code loaded, as it reported it. */
    readonly sdkLine?: string,
  ) {}

  /** taskset execs the service, so the child's pid is the service's own. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  beginWindow(): void {
    this.send({ type: 'begin-window' });
  }

  async endWindow(timeoutMs = 10_000): Promise<WindowStats> {
    const answer = reply(this.child, 'window', timeoutMs);
    this.send({ type: 'end-window' });
    return (await answer).stats;
  }

  async cpuTimeUs(): Promise<number> {
    const answer = reply(this.child, 'cpu', 10_000);
    this.send({ type: 'read-cpu' });
    return (await answer).cpuUs;
  }

  async shutdown(flushTimeoutMs: number): Promise<FinalStats> {
    const answer = reply(this.child, 'final', flushTimeoutMs + 10_000);
    this.send({ type: 'shutdown', flushTimeoutMs });
    try {
      return (await answer).stats;
    } finally {
      this.kill();
    }
  }

  kill(): void {
    if (isRunning(this.child)) this.child.kill('SIGKILL');
  }

  /**
   * A service that has gone is reported by the reply awaited for this message, or for the next one
   * (its exit): sending to it would raise the send's error as an unhandled 'error' event and end the
   * harness, and throwing here would leave that reply's rejection unhandled.
   */
  private send(message: HarnessMessage): void {
    if (this.child.connected) this.child.send(message, () => {});
  }
}

type MessageOf<T extends ServiceMessage['type']> = Extract<ServiceMessage, { type: T }>;

/** The service's next message of one type; a 'fatal' message, an exit or the timeout rejects with ServiceStartError. */
function reply<T extends ServiceMessage['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<MessageOf<T>> {
  return nextMessage(child, {
    timeoutMs,
    pick: (message) => {
      const m = message as ServiceMessage;
      if (m.type === type) return m as MessageOf<T>;
      if (m.type === 'fatal') return new ServiceStartError(m.message);
      return undefined;
    },
    onExit: (code, signal) => new ServiceStartError(`the service exited (${signal ?? `code ${code}`}) before sending '${type}'`),
    onTimeout: () => new ServiceStartError(`the service sent no '${type}' within ${timeoutMs} ms`),
  });
}
