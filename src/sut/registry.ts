// Every kind of service under test, and which one a scenario runs. Adding one: a folder with its
// ServiceUnderTest, and a branch here.
import path from 'node:path';
import { builtinServiceEntry } from './base-checkout.ts';
import { BuiltinService } from './builtin/builtin.ts';
import { ExternalService } from './external/external.ts';
import type { ServiceCapabilities, ServiceUnderTest } from './service-under-test.ts';
import type { Scenario } from '../model/index.ts';

/** What the run decides for every service it starts. */
export interface ServiceRunSettings {
  /** Work-loop iterations per µs, calibrated once per run. */
  readonly iterationsPerUs: number;
  readonly serviceName: string;
  /** Keep a uniform sample of up to this many exported trace ids (for --jaeger-query). */
  readonly exportedTraceSample?: number;
  /** The root of another tracetax checkout whose service runs (the base of a same-run check); this tree's when absent. */
  readonly checkoutRoot?: string;
}

/** What the scenario's kind of service can do, before any is started (for checks of the command line). */
export function serviceCapabilities(service: Scenario['service']): ServiceCapabilities {
  return service.kind === 'external' ? ExternalService.capabilities : BuiltinService.capabilities;
}

/** The scenario's service under test: the built-in four-hop topology (src/sut/builtin), shaped by the scenario, or the command it names (src/sut/external). */
export function serviceUnderTest(scenario: Pick<Scenario, 'shape' | 'service'>, { checkoutRoot, ...run }: ServiceRunSettings): ServiceUnderTest {
  if (scenario.service.kind === 'external') return new ExternalService(scenario.service, run.serviceName);
  return new BuiltinService({ shape: scenario.shape, host: '127.0.0.1', port: 0, ...run }, checkoutRoot && path.join(checkoutRoot, builtinServiceEntry));
}
