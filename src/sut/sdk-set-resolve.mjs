// The resolve hook behind sdk-set-hook.mjs. The newest line renamed @opentelemetry/sdk-trace-base to
// @opentelemetry/sdk-trace; src/tracing/sdk-trace.ts bridges the one export that changed its name.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const renamed = { '@opentelemetry/sdk-trace-base': '@opentelemetry/sdk-trace' };
let setParent;

export function initialize({ dir }) {
  setParent = pathToFileURL(path.join(dir, 'package.json')).href;
}

export function resolve(specifier, context, nextResolve) {
  const ours = context.parentURL !== undefined && !context.parentURL.includes('/node_modules/');
  if (setParent && ours && specifier.startsWith('@opentelemetry/')) {
    return nextResolve(renamed[specifier] ?? specifier, { ...context, parentURL: setParent });
  }
  return nextResolve(specifier, context);
}
