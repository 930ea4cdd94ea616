// One way to stop a receiver, whatever its transport: a graceful close that open calls may finish, forced
// after a grace period so a client holding a call open cannot hold the run.

/** Starts `close` (which calls back when done); after `graceMs` without that, `force`s it. Resolves either way. */
export function closeWithin(graceMs: number, close: (done: () => void) => void, force: () => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      force();
      resolve();
    }, graceMs);
    close(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
