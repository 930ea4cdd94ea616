// `serve`: the built-in service alone, with a variant's settings or the user's OTEL_* variables, until Ctrl-C.
import { defaultServiceName } from '../../run/run.ts';
import { listShippedScenarios, loadScenario } from '../../scenario/load.ts';
import { spawnService } from '../../sut/builtin/builtin.ts';
import { resolveShape } from '../../sut/builtin/shape.ts';
import { calibrateIterationsPerUs } from '../../sut/builtin/work.ts';
import { describeTracing } from '../../tracing/describe.ts';
import { parseOtlpEndpoint, pickTracingEnv, tracingConfigFromEnv } from '../../tracing/env.ts';
import { checkPort, UsageError } from '../common.ts';
import type { Variant } from '../../model/index.ts';

export interface ServeArgs {
  variant?: string;
  scenario?: string;
  port: number;
  host: string;
  otlpEndpoint?: string;
}

/** The variant's settings: from the named scenario, or the first shipped scenario that has it. */
async function findVariant(name: string, scenarioName?: string) {
  const candidates = scenarioName ? [scenarioName] : listShippedScenarios();
  const known = new Set<string>();
  for (const candidate of candidates) {
    const scenario = await loadScenario(candidate);
    const variant: Variant | undefined = scenario.variants.find((v) => v.name === name);
    if (variant) return { variant, scenario };
    scenario.variants.forEach((v) => known.add(v.name));
  }
  throw new UsageError(`unknown variant '${name}': use one of ${[...known].map((n) => `'${n}'`).join(', ')}`);
}

export async function serve(args: ServeArgs): Promise<void> {
  checkPort(args.port, '--port', '');
  const found = args.variant ? await findVariant(args.variant, args.scenario) : undefined;
  // The user's own OTEL_* settings win over the variant's, as they would on a real service.
  const env: Record<string, string> = { ...found?.variant.env, ...(pickTracingEnv(process.env) as Record<string, string>) };
  if (args.otlpEndpoint !== undefined) env.OTEL_EXPORTER_OTLP_ENDPOINT = parseOtlpEndpoint(args.otlpEndpoint, '--otlp-endpoint');
  const config = tracingConfigFromEnv(env);
  console.error(`tracetax serve: ${found ? `variant '${found.variant.name}'` : 'OTEL_* settings from the environment'}: ${describeTracing(config)}`);
  const child = spawnService({
    instrumentation: 'service',
    mode: 'interactive',
    tracingEnv: env,
    settings: {
      shape: found?.scenario.shape ?? resolveShape(undefined),
      iterationsPerUs: calibrateIterationsPerUs(),
      host: args.host,
      port: args.port,
      serviceName: defaultServiceName,
    },
  });
  // The terminal's Ctrl-C reaches the whole process group; a signal sent to us alone is passed on.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => child.kill('SIGINT'));
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  const code = await new Promise<number>((resolve) => child.once('exit', (c, signal) => resolve(c ?? (signal ? 130 : 1))));
  process.exitCode = code;
}
