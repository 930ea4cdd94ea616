// An external service in a scenario (`service: { command, url, … }`) or on the command line
// (--service-cmd, --service-url): checked before any process starts, so a bad one fails with one line.
import path from 'node:path';
import { isObject, parseHttpUrl, type PlainObject } from '../common/input.ts';
import { isLoopbackHost } from '../load/target.ts';
import { ScenarioError } from './errors.ts';
import type { ExternalServiceSettings, ProcessDesign } from '../model/index.ts';

/** The placeholder replaced by the port tracetax chose for a process. */
export const portPlaceholder = '{port}';
const defaultReadyTimeoutSec = 30;

const externalKeys = ['command', 'url', 'ready', 'readyTimeoutSec', 'env', 'cwd'];

/** The same service given on the command line, for a quick look without a scenario file. */
export interface ServiceCommandLine {
  readonly command: readonly string[];
  readonly url: string;
  readonly ready?: string;
}

/** True when a scenario's `service` names a command rather than the built-in topology's hops. */
export function isExternalServiceSpec(raw: unknown): raw is PlainObject {
  return isObject(raw) && raw.command !== undefined;
}

/** Resolves `service: { command, … }` of a scenario read from `source` (a file, or a shipped name). */
export function checkExternalService(raw: PlainObject, scenarioDir: string, allowRemoteTarget: boolean, field = 'service'): ExternalServiceSettings {
  for (const key of Object.keys(raw)) {
    if (!externalKeys.includes(key)) throw new ScenarioError(`${field}.${key} is not a setting of an external service: use ${externalKeys.join(', ')}`);
  }
  const command = raw.command;
  if (!Array.isArray(command) || command.length === 0 || !command.every((a) => typeof a === 'string') || command[0].trim() === '') {
    throw new ScenarioError(`${field}.command must be a non-empty list of strings, the program first: e.g. ['node', 'server.js']`);
  }
  const env: Record<string, string> = {};
  if (raw.env !== undefined) {
    if (!isObject(raw.env)) throw new ScenarioError(`${field}.env must be an object of variables`);
    for (const [key, value] of Object.entries(raw.env)) {
      // The variants own every tracing setting; a fixed one here would hide what they compare.
      if (key.startsWith('OTEL_')) throw new ScenarioError(`${field}.env.${key}: OTEL_* variables belong to the variants, not to the service: move it into each variant's env`);
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new ScenarioError(`${field}.env.${key} must be a string or a number`);
      env[key] = String(value);
    }
  }
  if (raw.cwd !== undefined && (typeof raw.cwd !== 'string' || raw.cwd.trim() === '')) throw new ScenarioError(`${field}.cwd must be a folder path`);
  const timeout = raw.readyTimeoutSec ?? defaultReadyTimeoutSec;
  if (typeof timeout !== 'number' || !(timeout > 0)) throw new ScenarioError(`${field}.readyTimeoutSec must be a positive number of seconds`);
  return resolve({
    command: command as string[],
    url: raw.url,
    ready: raw.ready,
    readyTimeoutSec: timeout,
    env,
    cwd: raw.cwd === undefined ? process.cwd() : path.resolve(scenarioDir, raw.cwd as string),
    allowRemoteTarget,
    field,
  });
}

/** The service of --service-cmd and --service-url, run in the current folder. */
export function externalServiceFromCommandLine(given: ServiceCommandLine, allowRemoteTarget: boolean): ExternalServiceSettings {
  if (given.command.length === 0 || given.command[0].trim() === '') {
    throw new ScenarioError('--service-cmd needs the program and its arguments, e.g. --service-cmd node server.js');
  }
  return resolve({ ...given, readyTimeoutSec: defaultReadyTimeoutSec, env: {}, cwd: process.cwd(), allowRemoteTarget, field: '--service' });
}

function resolve(input: {
  command: readonly string[];
  url: unknown;
  ready?: unknown;
  readyTimeoutSec: number;
  env: Record<string, string>;
  cwd: string;
  allowRemoteTarget: boolean;
  field: string;
}): ExternalServiceSettings {
  const { field } = input;
  const urlField = field === '--service' ? '--service-url' : `${field}.url`;
  if (typeof input.url !== 'string') throw new ScenarioError(`${urlField} must be the URL the load goes to, e.g. http://127.0.0.1:{port}/`);
  const parsed = parseHttpUrl(input.url.replaceAll(portPlaceholder, '1'));
  if (typeof parsed === 'string') throw new ScenarioError(`${urlField} '${input.url}' is not an http(s) URL with a host: use e.g. http://127.0.0.1:{port}/`);
  const remote = !isLoopbackHost(parsed.hostname);
  if (remote && !input.allowRemoteTarget) {
    throw new ScenarioError(`${urlField} '${input.url}' is not on this machine: tracetax sends load only to loopback addresses unless you pass --allow-remote-target`);
  }
  let ready: ExternalServiceSettings['ready'] = { kind: 'path', path: `${parsed.pathname}${parsed.search}` };
  if (input.ready !== undefined) {
    const readyField = field === '--service' ? '--service-ready' : `${field}.ready`;
    if (typeof input.ready !== 'string' || input.ready.trim() === '') throw new ScenarioError(`${readyField} must be a path that answers 2xx ('/health') or a text its stdout prints`);
    ready = input.ready.startsWith('/') ? { kind: 'path', path: input.ready } : { kind: 'line', text: input.ready };
  }
  return {
    kind: 'external',
    command: [...input.command],
    url: input.url,
    ready,
    readyTimeoutSec: input.readyTimeoutSec,
    env: input.env,
    cwd: input.cwd,
    portPerProcess: input.url.includes(portPlaceholder),
    allowRemoteTarget: remote,
  };
}

/** Only `{port}` lets several processes of one service run at once: a fixed port allows one at a time. */
export function checkDesignFitsService(service: ExternalServiceSettings, processes: ProcessDesign, concurrent: boolean): void {
  if (service.portPerProcess || (processes === 'fresh' && !concurrent)) return;
  throw new ScenarioError(
    `the service's url ${service.url} has a fixed port, but processes '${concurrent ? 'side by side' : processes}' runs several at once: ` +
      `put ${portPlaceholder} in the url (and let the service listen on $PORT), or use processes: 'fresh' (--processes fresh)`,
  );
}
