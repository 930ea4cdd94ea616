// Zero-code instrumentation as services use it: the register hook of @opentelemetry/auto-instrumentations-node,
// preloaded with --require through NODE_OPTIONS (which the service's child processes inherit too), with
// OpenTelemetry's ESM loader hook for services written as ES modules. Both come from tracetax's own
// node_modules, so the user's service needs no OpenTelemetry packages.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { nodeOptionsWith } from './children.ts';
import type { Instrumentation } from '../model/index.ts';

const require = createRequire(import.meta.url);
const registerHook = require.resolve('@opentelemetry/auto-instrumentations-node/register');
const exitAfterFlush = fileURLToPath(new URL('./exit-after-flush.cjs', import.meta.url));
const esmHook = fileURLToPath(new URL('./esm-hook.mjs', import.meta.url));

/** The variables of the zero-code instrumentation a variant may set (besides the tracing settings). */
export const instrumentationEnvKeys = [
  'OTEL_NODE_ENABLED_INSTRUMENTATIONS',
  'OTEL_NODE_DISABLED_INSTRUMENTATIONS',
  'OTEL_NODE_RESOURCE_DETECTORS',
  'OTEL_METRICS_EXPORTER',
  'OTEL_LOGS_EXPORTER',
] as const;

/**
 * tracetax measures tracing: the SDK's metrics and logs pipelines stay off unless a variant turns them on.
 * The cloud resource detectors (on by default) ask metadata services off this machine: only the local ones run.
 */
const tracingOnly = { OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process,serviceinstance' };

/**
 * What a service process's environment gains for `instrumentation`: for 'auto', NODE_OPTIONS with the
 * register hook (after any NODE_OPTIONS of `inherited`), and the exit-after-flush preload; nothing for 'service'.
 */
export function instrumentationEnv(instrumentation: Instrumentation, inherited: string | undefined): Record<string, string> {
  if (instrumentation !== 'auto') return {};
  const preloads = [['--import', esmHook], ['--require', registerHook], ['--require', exitAfterFlush]] as const;
  return { ...tracingOnly, NODE_OPTIONS: nodeOptionsWith(inherited, preloads) };
}
