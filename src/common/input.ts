// User input: the one error class for bad input (the CLI turns any of them into one line and exit
// code 2), and the checks several readers of input share.

/** Input that is wrong, with a message that says what is wrong and how to fix it. Subclasses name the source. */
export class InputError extends Error {}

export type PlainObject = Record<string, unknown>;

/** A JSON-style object: not null, not an array. */
export function isObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The one URL check: `raw` parsed when it is an http(s) URL with a host; 'not-a-url' when it does not
 * parse, 'not-http' when it parses to anything else. Callers word the error for their own input.
 */
export function parseHttpUrl(raw: string): URL | 'not-a-url' | 'not-http' {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not-a-url';
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? url : 'not-http';
}
