// Preloaded after the register hook of @opentelemetry/auto-instrumentations-node (src/sut/instrumentation.ts).
// That hook answers SIGTERM by shutting its SDK down, and by listening takes away Node's default answer,
// exit: a service with no SIGTERM handler of its own would keep running, and tracetax could only kill it
// after the flush timeout. This ends such a process once the SDK's flush is done, as Node would have
// ended it without the hook. A service with a handler of its own ends itself, as it would anyway.
'use strict';
const { trace } = require('@opentelemetry/api');

const hookListeners = process.listenerCount('SIGTERM');

process.on('SIGTERM', () => {
  const global = trace.getTracerProvider();
  const provider = typeof global.getDelegate === 'function' ? global.getDelegate() : global;
  // The SDK's shutdown is idempotent: this waits for the flush the hook has started.
  const flushed = typeof provider.shutdown === 'function' ? provider.shutdown() : undefined;
  const serviceHandles = process.listenerCount('SIGTERM') > hookListeners + 1;
  Promise.resolve(flushed)
    .catch(() => {})
    .finally(() => {
      if (!serviceHandles) process.exit(0);
    });
});
