// A short, config-bearing description of a variant's tracing, like the SDK samplers' toString().
import { describeSampler } from './samplers/registry.ts';
import type { TracingConfig } from '../model/index.ts';

export function describeTracing(config: TracingConfig): string {
  if (config.kind === 'untraced') return 'untraced (no SDK)';
  const p = config.processor;
  const processor =
    p.kind === 'simple'
      ? 'simple'
      : `batch(queue=${p.maxQueueSize}, batch=${p.maxExportBatchSize}, delay=${p.scheduledDelayMillis}ms, timeout=${p.exportTimeoutMillis}ms)`;
  const exporter = config.exporter.kind === 'none' ? 'none' : `otlp ${config.exporter.protocol} ${config.exporter.endpoint}`;
  const planted = config.plantedSpanIterations > 0 ? ` · planted ${config.plantedSpanIterations.toLocaleString('en-US')} iterations/span` : '';
  return `${describeSampler(config.sampler)} · ${processor} · ${exporter}${planted}`;
}
