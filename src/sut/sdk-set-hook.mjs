// Preloaded with --import into a service whose variant names another SDK set (src/sut/sdk-sets.ts): every
// @opentelemetry/* import of tracetax's own code resolves from that set's folder instead of tracetax's
// node_modules. Imports inside the set's packages resolve among their own dependencies as usual.
import { register } from 'node:module';

register('./sdk-set-resolve.mjs', import.meta.url, { data: { dir: process.env.TRACETAX_SDK_DIR } });
