// A scenario's variants: each a name and the OTEL_* variables a user puts on a real service, with who
// makes the spans and which Node.js runs the service; matrices expand into one variant per combination,
// and every variant is compared with an untraced baseline on its own runtime.
import type { PlainObject } from '../common/input.ts';
import { instrumentationEnvKeys } from '../sut/instrumentation.ts';
import { TracingConfigError } from '../tracing/defaults.ts';
import { tracingConfigFromEnv, tracingEnvKeys } from '../tracing/env.ts';
import { ScenarioError } from './errors.ts';
import { envValue, expectObject, expectString } from './fields.ts';
import { checkRuntime, harnessRuntime, runtimeKey, splitMatrixRuntime, withRuntimeBaselines } from './runtime.ts';
import { defaultSdkSet, sdkRuntimeProblem, sdkSets } from '../sut/sdk-sets.ts';
import type { Instrumentation, SdkSet, Variant } from '../model/index.ts';

/** What a variant's env may set: the tracing settings, and the zero-code instrumentation's own. */
const variantEnvKeys: readonly string[] = [...tracingEnvKeys, ...instrumentationEnvKeys];

function checkEnv(raw: unknown, field: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(expectObject(raw, field))) {
    if (!variantEnvKeys.includes(key)) {
      throw new ScenarioError(`${field}.${key} is not a tracing setting tracetax knows: use one of ${variantEnvKeys.join(', ')}`);
    }
    env[key] = envValue(value, `${field}.${key}`);
  }
  return env;
}

/** Checks a variant's settings the way the service will read them, so a bad one fails before any run. */
function checkVariantSettings(variant: Variant, field: string): void {
  let untraced: boolean;
  try {
    untraced = tracingConfigFromEnv(variant.env).kind === 'untraced';
  } catch (error) {
    if (error instanceof TracingConfigError) throw new ScenarioError(`${field} (${variant.name}): ${error.message}`);
    throw error;
  }
  checkSdkSet(variant, untraced, field);
  if (variant.instrumentation !== 'auto') return;
  if (untraced) throw new ScenarioError(`${field} (${variant.name}): instrumentation 'auto' on an untraced variant: remove it, the untraced baseline gets no instrumentation`);
  // The SDK that the register hook starts reads only the standard variables.
  const own = Object.keys(variant.env).filter((key) => key.startsWith('TRACETAX_'));
  if (own.length > 0) throw new ScenarioError(`${field} (${variant.name}): ${own.join(', ')} applies to tracetax's own SDK setup, not to instrumentation 'auto': remove it`);
}

export function checkSdk(raw: unknown, field: string): SdkSet {
  if (raw === undefined) return defaultSdkSet;
  if (!(sdkSets as readonly unknown[]).includes(raw)) throw new ScenarioError(`${field}.sdk must be one of ${sdkSets.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw as SdkSet;
}

/** A set other than tracetax's own is for its own SDK setup, on a runtime new enough for it. */
function checkSdkSet(variant: Variant, untraced: boolean, field: string): void {
  if (variant.sdk === defaultSdkSet) return;
  const where = `${field} (${variant.name}): sdk '${variant.sdk}'`;
  if (untraced) throw new ScenarioError(`${where} on an untraced variant: remove it, the untraced baseline runs no SDK`);
  if (variant.instrumentation === 'auto') throw new ScenarioError(`${where} with instrumentation 'auto': the register hook brings its own SDK; use one or the other`);
  const problem = sdkRuntimeProblem(variant.sdk, variant.runtime.runtime);
  if (problem) throw new ScenarioError(`${field} (${variant.name}): ${problem}`);
}

export function checkInstrumentationFlag(raw: string): Instrumentation {
  if (raw !== 'service' && raw !== 'auto') throw new ScenarioError(`--instrumentation must be 'auto' (zero-code instrumentation) or 'service' (the service's own spans), got ${JSON.stringify(raw)}`);
  return raw;
}

function checkInstrumentation(raw: unknown, field: string): Instrumentation {
  if (raw === undefined) return 'service';
  if (raw !== 'service' && raw !== 'auto') throw new ScenarioError(`${field}.instrumentation must be 'service' (the service's own spans) or 'auto' (zero-code instrumentation), got ${JSON.stringify(raw)}`);
  return raw;
}

function expandMatrix(spec: PlainObject, field: string): Variant[] {
  const { runtimes, env: matrix } = splitMatrixRuntime(expectObject(spec.matrix, `${field}.matrix`), field);
  const shared = spec.env === undefined ? {} : checkEnv(spec.env, `${field}.env`);
  const template = spec.name === undefined ? undefined : expectString(spec.name, `${field}.name`);
  let combinations: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(matrix)) {
    if (!Array.isArray(values) || values.length === 0) throw new ScenarioError(`${field}.matrix.${key} must be a non-empty list of values`);
    checkEnv({ [key]: values[0] }, `${field}.matrix`);
    const strings = values.map((v, i) => envValue(v, `${field}.matrix.${key}[${i}]`));
    combinations = combinations.flatMap((combo) => strings.map((v) => ({ ...combo, [key]: v })));
  }
  const instrumentation = checkInstrumentation(spec.instrumentation, field);
  const runtime = checkRuntime(spec, field);
  if (runtimes && spec.runtime !== undefined) throw new ScenarioError(`${field}: give the runtime either as runtime or in the matrix, not both`);
  // The runtime is one more dimension of the matrix, named `${runtime}` in the template.
  const withRuntimes = runtimes ? combinations.flatMap((env) => runtimes.map((r) => ({ env, r }))) : combinations.map((env) => ({ env, r: runtime.runtime }));
  return withRuntimes.map(({ env: combo, r }) => ({
    name: template
      ? template.replace(/\$\{(\w+)\}/g, (_, key: string) => (key === 'runtime' ? (r ?? '') : (combo[key] ?? shared[key] ?? '')))
      : [...Object.values(combo), ...(runtimes && r ? [r] : [])].join(' '),
    env: { ...shared, ...combo },
    instrumentation,
    runtime: { ...runtime, ...(r ? { runtime: r } : {}) },
    sdk: checkSdk(spec.sdk, field),
  }));
}

/** `instrumentation`, when given, is every traced variant's (--instrumentation); the untraced baseline keeps none. */
export function checkVariants(raw: unknown, instrumentation?: Instrumentation): Variant[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new ScenarioError('variants must be a non-empty list');
  const written: Variant[] = raw.flatMap((entry, i) => {
    const field = `variants[${i}]`;
    const spec = expectObject(entry, field);
    if (spec.matrix !== undefined) return expandMatrix(spec, field);
    return [
      {
        name: expectString(spec.name, `${field}.name`),
        env: checkEnv(spec.env ?? {}, `${field}.env`),
        instrumentation: checkInstrumentation(spec.instrumentation, field),
        runtime: checkRuntime(spec, field),
        sdk: checkSdk(spec.sdk, field),
      },
    ];
  });
  const variants = instrumentation === undefined ? written : written.map((v) => (tracingConfigFromEnv(v.env).kind === 'untraced' ? v : { ...v, instrumentation }));
  const seen = new Set<string>();
  variants.forEach((variant, i) => {
    if (seen.has(variant.name)) throw new ScenarioError(`variants: the name '${variant.name}' is used twice: give each variant its own name`);
    seen.add(variant.name);
    checkVariantSettings(variant, `variants[${i}]`);
  });
  // Every overhead is relative to an untraced baseline on the same runtime, added where the file has none.
  // The run's own baseline comes first: the untraced one on tracetax's runtime, or else the first untraced.
  const isUntraced = (v: Variant) => tracingConfigFromEnv(v.env).kind === 'untraced';
  const onHarness = (v: Variant) => runtimeKey(v.runtime) === runtimeKey(harnessRuntime);
  const all = withRuntimeBaselines(variants, isUntraced);
  const baseline = all.find((v) => isUntraced(v) && onHarness(v)) ?? all.find(isUntraced)!;
  return [baseline, ...all.filter((v) => v !== baseline)];
}
