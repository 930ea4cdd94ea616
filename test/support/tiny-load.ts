// The shortest load a test's real run needs: an open loop, so every request sent is counted (exact span
// counts hold), at a rate the 2-core machine keeps up with beside the harness.
export const tinyOpenLoad = { mode: 'open', rate: 100, connections: 4, durationSec: 0.5, warmupSec: 0.5 } as const;
