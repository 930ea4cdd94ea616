// Jaeger's sampling strategies file → the responses Jaeger's /sampling endpoint gives, byte for byte.
// The rules follow Jaeger's file strategy provider (internal/sampling/samplingstrategy/file/provider.go):
// - no default_strategy: probabilistic 0.001 for every service not named;
// - a strategy with operation_strategies gets operationSampling, whose default probability is the
//   strategy's own when it is probabilistic and 0.001 otherwise; Jaeger skips a ratelimiting operation
//   strategy (a log warning, the operation falls back to the default probability), so tracetax refuses it;
// - a service without operation strategies inherits the default strategy's (with its own probability
//   when it is probabilistic); one with its own has the default's appended for operations it lacks;
// - ratelimiting's param is truncated to a whole number (Jaeger's int32, then Thrift's int16).
// The JSON is Jaeger v2's: its remote_sampling extension answers every path with the Thrift-era encoding
// (strategyType 0 = PROBABILISTIC, 1 = RATE_LIMITING, as numbers), compared with a real Jaeger v2.20 in
// test/unit/jaeger-sampling.test.ts (recorded answers) and test/e2e/jaeger-sampling.test.ts (a live one). Where Jaeger would silently fall back (an unknown type, a rate it cannot
// encode, a negative value, a ratelimiting operation strategy) this module refuses the file with a
// one-line error instead.
import { readFileSync } from 'node:fs';
import { isObject, type PlainObject } from '../common/input.ts';

/** A strategies file Jaeger would refuse or silently change; scenario loading turns it into a ScenarioError. */
export class StrategiesError extends Error {}

/** Jaeger's DefaultSamplingProbability. */
export const jaegerDefaultSamplingProbability = 0.001;
/** The largest maxTracesPerSecond Jaeger's Thrift encoding (int16) carries; above it Jaeger answers 500. */
export const maxRateLimit = 32767;

export interface ProbabilisticSampling {
  readonly samplingRate: number;
}
export interface OperationStrategy {
  readonly operation: string;
  readonly probabilisticSampling: ProbabilisticSampling;
}
export interface OperationSampling {
  readonly defaultSamplingProbability: number;
  readonly defaultLowerBoundTracesPerSecond: number;
  readonly perOperationStrategies: readonly OperationStrategy[];
  readonly defaultUpperBoundTracesPerSecond: number;
}
/** One /sampling answer; the field order is Jaeger's. */
export interface StrategyResponse {
  readonly strategyType: 0 | 1;
  readonly probabilisticSampling?: ProbabilisticSampling;
  readonly rateLimitingSampling?: { readonly maxTracesPerSecond: number };
  readonly operationSampling?: OperationSampling;
}

export interface SamplingStrategies {
  readonly defaultStrategy: StrategyResponse;
  readonly serviceStrategies: ReadonlyMap<string, StrategyResponse>;
}


function probabilistic(samplingRate: number): StrategyResponse {
  return { strategyType: 0, probabilisticSampling: { samplingRate } };
}

/** Jaeger's answer when it has no strategies file. */
export const jaegerDefaultStrategies: SamplingStrategies = {
  defaultStrategy: probabilistic(jaegerDefaultSamplingProbability),
  serviceStrategies: new Map(),
};

function checkKeys(obj: PlainObject, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new StrategiesError(`${where}.${key} is not a field of Jaeger's strategies file: use ${allowed.join(', ')}`);
  }
}

function parseStrategy(raw: PlainObject, where: string): StrategyResponse {
  const { type, param } = raw;
  if (typeof param !== 'number' || !Number.isFinite(param)) {
    throw new StrategiesError(`${where}.param must be a number (a probability, or traces per second), got ${JSON.stringify(param)}`);
  }
  if (type === 'probabilistic') {
    if (param < 0 || param > 1) throw new StrategiesError(`${where}.param ${param} is not a probability in [0, 1]: use e.g. 0.1`);
    return probabilistic(param);
  }
  if (type === 'ratelimiting') {
    if (param < 0 || param > maxRateLimit) {
      throw new StrategiesError(`${where}.param ${param} is not a rate Jaeger can send (0 to ${maxRateLimit} traces per second): use e.g. 50`);
    }
    return { strategyType: 1, rateLimitingSampling: { maxTracesPerSecond: Math.trunc(param) } };
  }
  throw new StrategiesError(`${where}.type must be "probabilistic" or "ratelimiting", got ${JSON.stringify(type)}`);
}

function parseServiceStrategy(raw: unknown, where: string, allowed: readonly string[]): StrategyResponse {
  if (!isObject(raw)) throw new StrategiesError(`${where} must be an object with type and param`);
  checkKeys(raw, allowed, where);
  const response = parseStrategy(raw, where);
  const ops = raw.operation_strategies;
  if (ops === undefined || ops === null) return response;
  if (!Array.isArray(ops)) throw new StrategiesError(`${where}.operation_strategies must be a list`);
  if (ops.length === 0) return response;
  const perOperationStrategies = ops.map((op: unknown, i): OperationStrategy => {
    const at = `${where}.operation_strategies[${i}]`;
    if (!isObject(op)) throw new StrategiesError(`${at} must be an object with operation, type and param`);
    checkKeys(op, ['operation', 'type', 'param'], at);
    if (typeof op.operation !== 'string') throw new StrategiesError(`${at}.operation must be the operation (span) name, a string`);
    const strategy = parseStrategy(op, at);
    if (!strategy.probabilisticSampling) {
      // Jaeger only logs this and samples the operation at the default probability instead.
      throw new StrategiesError(
        `${at} (${op.operation}) is ratelimiting, but Jaeger supports only probabilistic operation strategies: use type "probabilistic", or move the rate limit to the service's own type and param`,
      );
    }
    return { operation: op.operation, probabilisticSampling: strategy.probabilisticSampling };
  });
  return {
    ...response,
    operationSampling: {
      defaultSamplingProbability: response.probabilisticSampling?.samplingRate ?? jaegerDefaultSamplingProbability,
      defaultLowerBoundTracesPerSecond: 0,
      perOperationStrategies,
      defaultUpperBoundTracesPerSecond: 0,
    },
  };
}

/** Parses the content of a strategies file (`source` names it in errors). */
export function parseStrategies(text: string, source: string): SamplingStrategies {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new StrategiesError(`${source} is not JSON (${(error as Error).message.split('\n')[0]}): write it in Jaeger's strategies file format`);
  }
  try {
    if (!isObject(raw)) throw new StrategiesError('it must be an object with default_strategy and/or service_strategies');
    checkKeys(raw, ['default_strategy', 'service_strategies'], 'strategies');
    const defaultStrategy =
      raw.default_strategy === undefined || raw.default_strategy === null
        ? probabilistic(jaegerDefaultSamplingProbability)
        : parseServiceStrategy(raw.default_strategy, 'default_strategy', ['type', 'param', 'operation_strategies', 'service']);
    const services = raw.service_strategies ?? [];
    if (!Array.isArray(services)) throw new StrategiesError('service_strategies must be a list');
    const serviceStrategies = new Map<string, StrategyResponse>();
    services.forEach((entry: unknown, i) => {
      const at = `service_strategies[${i}]`;
      if (!isObject(entry) || typeof entry.service !== 'string') throw new StrategiesError(`${at}.service must be the service name, a string`);
      let strategy = parseServiceStrategy(entry, at, ['service', 'type', 'param', 'operation_strategies']);
      const inherited = defaultStrategy.operationSampling;
      if (inherited) {
        strategy = {
          ...strategy,
          operationSampling: strategy.operationSampling
            ? {
                ...strategy.operationSampling,
                perOperationStrategies: [
                  ...strategy.operationSampling.perOperationStrategies,
                  ...inherited.perOperationStrategies.filter(
                    (d) => !strategy.operationSampling!.perOperationStrategies.some((own) => own.operation === d.operation),
                  ),
                ],
              }
            : { ...inherited, defaultSamplingProbability: strategy.probabilisticSampling?.samplingRate ?? inherited.defaultSamplingProbability },
        };
      }
      // As in Jaeger, a service named twice takes its last entry.
      serviceStrategies.set(entry.service, strategy);
    });
    return { defaultStrategy, serviceStrategies };
  } catch (error) {
    if (error instanceof StrategiesError) throw new StrategiesError(`${source}: ${error.message}`);
    throw error;
  }
}

export function readStrategiesFile(file: string): SamplingStrategies {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new StrategiesError(`cannot read the strategies file ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check the path`);
  }
  return parseStrategies(text, file);
}

export function strategyFor(strategies: SamplingStrategies, service: string): StrategyResponse {
  return strategies.serviceStrategies.get(service) ?? strategies.defaultStrategy;
}

/**
 * The response body as Jaeger writes it: Go's encoding/json, which formats float64 like JSON.stringify
 * but escapes <, >, & and U+2028/U+2029.
 */
export function encodeStrategy(response: StrategyResponse): string {
  return JSON.stringify(response).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
