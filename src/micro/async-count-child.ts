// Child process that counts the async resources one request of the service creates: the untraced
// topology (no SDK, no context manager) with an async_hooks init counter, driven by the parent over HTTP.
// Under the AsyncLocalStorage context manager each of these resources pays for carrying the context.
//   node --import tsx src/micro/async-count-child.ts
import { createHook } from 'node:async_hooks';
import { trace } from '@opentelemetry/api';
import { startTopology } from '../sut/builtin/topology.ts';
import { resolveShape } from '../sut/builtin/shape.ts';
import { createSpanCounters } from '../tracing/counting.ts';

const noWork = { cpuUs: 0, sleepMs: 0 };
const topology = await startTopology({
  shape: resolveShape({ frontend: noWork, users: noWork, db: noWork, auth: noWork }),
  iterationsPerUs: 1,
  host: '127.0.0.1',
  frontendPort: 0,
  tracer: trace.getTracer('tracetax-micro'), // no provider registered: the API's no-op, as untraced
  counters: createSpanCounters(),
  onFrontendArrival() {},
  onFrontendResponse() {},
});

let counts: Record<string, number> = {};
const hook = createHook({
  init(_id, type) {
    counts[type] = (counts[type] ?? 0) + 1;
  },
});

process.on('message', (message: string) => {
  if (message === 'start') {
    counts = {};
    hook.enable();
    process.send!('started');
  } else if (message === 'stop') {
    hook.disable();
    process.send!(counts);
  } else if (message === 'exit') {
    void topology.close().then(() => process.disconnect());
  }
});
process.send!({ url: topology.frontendUrl });
