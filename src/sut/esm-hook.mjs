// Preloaded with --import for instrumentation 'auto' (src/sut/instrumentation.ts). The register hook patches
// modules as they are require()d; an ES module imports without require, so its http, express and the rest
// stay unpatched unless OpenTelemetry's loader hook (import-in-the-middle) sees the imports too. This is
// the setup OpenTelemetry documents for ESM applications, as a registration rather than --experimental-loader.
import { register } from 'node:module';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
