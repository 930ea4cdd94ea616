// Load goes only to this machine unless the user names another target; and no request waits forever.
import net from 'node:net';
import { InputError } from '../common/input.ts';

export class LoadTargetError extends InputError {}

/** Seconds a request may take before it counts as a timeout. */
export const defaultRequestTimeoutSec = 10;

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}

export function assertLoadTarget(url: string, allowRemote: boolean): void {
  const { hostname } = new URL(url);
  if (!allowRemote && !isLoopbackHost(hostname)) {
    throw new LoadTargetError(`refusing to send load to ${hostname}: tracetax loads only loopback targets unless you name another one`);
  }
}
