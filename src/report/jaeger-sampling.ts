// What the report says of Jaeger remote sampling: which sampler did what, and what each sampling server answered.
import type { RunDocument, SamplerName } from '../model/index.ts';

/** The report's notes on Jaeger sampling, one item each; none when no variant used it. */
export function jaegerSamplingItems(run: Pick<RunDocument, 'variants' | 'jaegerSampling'>): string[] {
  const uses = (name: SamplerName) => run.variants.filter((v) => v.config.kind === 'sdk' && v.config.sampler.name === name).map((v) => `\`${v.name}\``);
  const remote = uses('jaeger_remote');
  const rateLimited = uses('tracetax_ratelimiting');
  if (remote.length === 0 && rateLimited.length === 0) return [];
  const lines: string[] = [];
  for (const s of run.jaegerSampling?.servers ?? []) {
    const polls = Object.entries(s.polls).map(([service, n]) => `${n} for ${service}`);
    lines.push(
      `Embedded sampling server ${s.endpoint}, strategies from ${s.strategiesFile ?? "Jaeger's defaults (probabilistic 0.001)"}: answered ${polls.length > 0 ? polls.join(', ') : 'no poll'}.`,
    );
  }
  lines.push(
    'The JS remote sampler (@opentelemetry/sampler-jaeger-remote 0.222.0) ignores RATE_LIMITING strategies. ' +
      (rateLimited.length > 0
        ? `${rateLimited.join(', ')} use${rateLimited.length === 1 ? 's' : ''} tracetax's own rate-limiting sampler (tracetax_ratelimiting: Jaeger's semantics, at most N new traces per second decided at the root, children follow), not a remote strategy.`
        : "tracetax's own tracetax_ratelimiting sampler has Jaeger's rate-limiting semantics."),
  );
  if (remote.length > 0) {
    lines.push(
      `${remote.join(', ')}: the JS remote sampler applies an answer only when it carries per-operation strategies, or strategyType "PROBABILISTIC" as a string. ` +
        'Jaeger v2 (and the embedded server, which answers as Jaeger v2 does) sends strategyType as a number, so a plain probabilistic strategy is ignored as well and the sampler keeps its initialSamplingRate. ' +
        'Before its first poll, one pollingIntervalMs after the service starts, it samples at initialSamplingRate; the span counts include that time.',
    );
  }
  return lines;
}
