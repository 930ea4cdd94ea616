// Any HTTP service started by a command: tracetax gives it the variant's OTEL_* variables (pointed at the
// embedded collector), its own process group and a port, waits until it is ready, and measures it from
// outside: its process group's CPU and memory from /proc, latency from the load driver, spans at the
// collector. What only the service could say (server time, its SDK's own span counts) stays unknown.
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InputError } from '../../common/input.ts';
import { groupCost, groupMembers, type GroupCost } from '../../measure/process-tree.ts';
import { portPlaceholder } from '../../scenario/external-service.ts';
import { endGroup, environmentWithout, isRunning, killChild, spawnChild } from '../children.ts';
import { instrumentationEnv } from '../instrumentation.ts';
import { runtimeNode, runtimeVersions } from '../runtimes.ts';
import { envPadding, ServiceStartError, type RunningService, type ServiceCapabilities, type ServiceStart, type ServiceUnderTest } from '../service-under-test.ts';
import { OutputTail } from './output-tail.ts';
import type { ExternalServiceSettings, FinalStats, RuntimeSetting, WindowStats } from '../../model/index.ts';

/** A service command that cannot start as given: bad input, said before any load (exit 2). */
export class ExternalServiceError extends InputError {}

const readyPollMs = 100;
const probeTimeoutMs = 2000;

/** The program as the shell would find it: a path (relative to cwd), or a name on PATH; null when there is none. */
export function findProgram(program: string, cwd: string, searchPath = process.env.PATH ?? ''): string | null {
  const executable = (file: string) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (program.includes('/')) {
    const file = path.resolve(cwd, program);
    return executable(file) ? file : null;
  }
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir && executable(path.join(dir, program))) return path.join(dir, program);
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A variant's runtime applies to a service started with `node`: the pinned binary takes its place, with
 * the variant's flags before the arguments. Any other program is refused, since its runtime is its own.
 */
function onRuntime(program: string, args: string[], runtime: RuntimeSetting | undefined, shown: string): { program: string; args: string[]; nodeVersion?: string } {
  if (!runtime?.runtime && (runtime?.nodeFlags.length ?? 0) === 0) return { program, args };
  if (path.basename(program) !== 'node') {
    throw new ExternalServiceError(`service command '${shown}' does not start with node, so a variant's runtime or nodeFlags cannot apply to it: start it with node, or leave them out`);
  }
  return {
    program: runtime!.runtime ? runtimeNode(runtime!.runtime) : program,
    args: [...runtime!.nodeFlags, ...args],
    ...(runtime!.runtime ? { nodeVersion: `v${runtimeVersions[runtime!.runtime]}` } : {}),
  };
}

/** Only the OTEL_* variables of a variant reach a foreign service: TRACETAX_* ones are for tracetax's own SDK setup. */
function otelOnly(env: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([key]) => key.startsWith('OTEL_')));
}

export class ExternalService implements ServiceUnderTest {
  /** Measured from outside: no server time, no span counts of its own, spans per request unknown. */
  static readonly capabilities: ServiceCapabilities = { serverTime: false, ownSpanCounts: false, knownSpansPerRequest: false, baseCheckout: false };
  readonly capabilities = ExternalService.capabilities;
  constructor(
    private readonly settings: ExternalServiceSettings,
    private readonly serviceName: string,
  ) {}

  /** The command as the user wrote it, for messages. */
  private get shown(): string {
    return this.settings.command.join(' ');
  }

  async start({ tracingEnv, cpus, instrumentation, runtime, envPaddingBytes }: ServiceStart): Promise<RunningService> {
    const { settings } = this;
    const port = settings.portPerProcess ? await freePort() : undefined;
    const fill = (value: string) => (port === undefined ? value : value.replaceAll(portPlaceholder, String(port)));
    const [given, ...givenArgs] = settings.command.map(fill);
    const { program, args, nodeVersion } = onRuntime(given, givenArgs, runtime, this.shown);
    if (findProgram(program, settings.cwd) === null) {
      throw new ExternalServiceError(`service command '${this.shown}': ${program} was not found (${program.includes('/') ? `no executable file at ${path.resolve(settings.cwd, program)}` : 'not on PATH'}): check service.command or --service-cmd`);
    }
    const env: NodeJS.ProcessEnv = {
      ...environmentWithout(['OTEL_', 'TRACETAX_']),
      ...Object.fromEntries(Object.entries(settings.env).map(([key, value]) => [key, fill(value)])),
      ...(port === undefined ? {} : { PORT: String(port) }),
      ...instrumentationEnv(instrumentation, process.env.NODE_OPTIONS),
      OTEL_SERVICE_NAME: this.serviceName,
      ...otelOnly(tracingEnv),
      ...envPadding(envPaddingBytes),
    };
    const child = spawnChild(program, args, { env, stdio: ['ignore', 'pipe', 'pipe'], cpus, cwd: settings.cwd, ownGroup: true });
    const output = new OutputTail(child);
    try {
      const answered = await this.waitUntilReady(child, output, fill(settings.url));
      return new ExternalProcess(child, fill(settings.url), output, this.shown, settings.allowRemoteTarget, answered, nodeVersion);
    } catch (error) {
      endGroup(child);
      throw error;
    }
  }

  /** Resolves with the number of probe requests the service answered (each may have made spans). */
  private async waitUntilReady(child: ChildProcess, output: OutputTail, url: string): Promise<number> {
    const { ready, readyTimeoutSec } = this.settings;
    const spawned = await output.spawned;
    if (spawned instanceof Error) throw new ExternalServiceError(`service command '${this.shown}' could not start: ${spawned.message}`);
    const deadline = performance.now() + readyTimeoutSec * 1000;
    const readyUrl = ready.kind === 'path' ? new URL(ready.path, url).href : null;
    let lastAnswer = 'no answer yet';
    let answered = 0;
    const ask = async (target: string) => {
      const answer = await probe(target);
      if (answer.status !== undefined) answered++;
      return answer.text;
    };
    for (;;) {
      if (!isRunning(child)) {
        throw new ExternalServiceError(`service command '${this.shown}' exited (${child.signalCode ?? `code ${child.exitCode}`}) before it was ready${output.lastLines()}`);
      }
      if (readyUrl === null ? output.sawLine((ready as { text: string }).text) : (lastAnswer = await ask(readyUrl)) === 'ok') break;
      if (performance.now() > deadline) {
        const waitedFor = readyUrl === null ? `a stdout line with '${(ready as { text: string }).text}'` : `GET ${readyUrl} to answer 2xx (${lastAnswer})`;
        throw new ExternalServiceError(`service command '${this.shown}' was not ready within ${readyTimeoutSec} s: waited for ${waitedFor}${output.lastLines()}`);
      }
      await sleep(readyPollMs);
    }
    // Ready is not enough: the load's own URL must answer 2xx, or every measured request would be an error.
    const answer = await ask(url);
    if (answer !== 'ok') throw new ExternalServiceError(`service command '${this.shown}' is ready, but GET ${url} ${answer}: check the url${output.lastLines()}`);
    return answered;
  }
}

/** text: 'ok' for a 2xx answer, else what happened, worded to follow "GET url"; status when there was an answer. */
async function probe(url: string): Promise<{ text: string; status?: number }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(probeTimeoutMs) });
    await response.arrayBuffer();
    return { text: response.ok ? 'ok' : `answered ${response.status}`, status: response.status };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { text: cause === 'ECONNREFUSED' ? 'connection refused' : `failed (${cause ?? (error as Error).message})` };
  }
}

/** A running external service: its process group is what is measured, and what is ended. */
class ExternalProcess implements RunningService {
  private window: { t0: number; cost: GroupCost } | undefined;
  private readonly pgid: number;

  constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly output: OutputTail,
    private readonly shown: string,
    readonly allowRemote: boolean,
    readonly startupRequests: number,
    readonly nodeVersion: string | undefined,
  ) {
    this.pgid = child.pid!;
  }

  /** A service that died mid-run fails the run (exit 3), saying how it ended and what it printed last. */
  private assertAlive(): void {
    if (!isRunning(this.child)) {
      throw new ServiceStartError(`service command '${this.shown}' exited (${this.child.signalCode ?? `code ${this.child.exitCode}`}) during the run${this.output.lastLines()}`);
    }
  }

  beginWindow(): void {
    this.window = { t0: performance.now(), cost: groupCost(this.pgid) };
  }

  async endWindow(): Promise<WindowStats> {
    this.assertAlive();
    const start = this.window ?? { t0: performance.now(), cost: groupCost(this.pgid) };
    const end = groupCost(this.pgid);
    const cpuUs = Math.max(0, end.cpuUs - start.cost.cpuUs);
    // The scheduler's run time has no user/system split: it is split as the kernel's tick counts are.
    const user = end.userTicks - start.cost.userTicks;
    const system = end.systemTicks - start.cost.systemTicks;
    const userShare = user + system > 0 ? user / (user + system) : 1;
    return {
      requests: null,
      failedRequests: null,
      cost: {
        wallMs: performance.now() - start.t0,
        cpuUserUs: cpuUs * userShare,
        cpuSystemUs: cpuUs * (1 - userShare),
        eventLoopUtilization: Number.NaN,
        peakRssBytes: end.peakRssBytes,
        peakHeapUsedBytes: Number.NaN,
      },
    };
  }

  async cpuTimeUs(): Promise<number> {
    this.assertAlive();
    return groupCost(this.pgid).cpuUs;
  }

  /**
   * SIGTERM to the whole group, as an orchestrator stops a service: its own handler, and the SDK's,
   * flush and end it. Flushed means every process of the group ended by itself within the timeout.
   */
  async shutdown(flushTimeoutMs: number): Promise<FinalStats> {
    killChild(this.child, true, 'SIGTERM');
    const deadline = performance.now() + flushTimeoutMs;
    let flushed = false;
    while (performance.now() < deadline) {
      if (groupMembers(this.pgid).length === 0) {
        flushed = true;
        break;
      }
      await sleep(20);
    }
    this.kill();
    return { flushed };
  }

  kill(): void {
    endGroup(this.child);
  }
}
