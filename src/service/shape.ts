// What the service under test does per request: its hops and the work each one does.

export const hops = ['frontend', 'users', 'db', 'auth'] as const;
export type Hop = (typeof hops)[number];

export interface HopWork {
  /** Microseconds of real CPU work per request (a calibrated loop, not a clock spin). */
  readonly cpuUs: number;
  /** Milliseconds of sleep per request (I/O wait), 0 for none. */
  readonly sleepMs: number;
}

export type ServiceShape = Readonly<Record<Hop, HopWork>>;

/** A light service: a little CPU at each hop, no I/O wait. */
export const defaultHopWork: HopWork = { cpuUs: 20, sleepMs: 0 };

/**
 * Spans one request makes: a SERVER span per hop (4), a CLIENT span per call (frontend→users,
 * users→db, frontend→auth: 3) and the frontend's INTERNAL simulateWork span.
 */
export const spansPerRequest = 8;

export function resolveShape(partial: Partial<Record<Hop, Partial<HopWork>>> | undefined): ServiceShape {
  const shape = {} as Record<Hop, HopWork>;
  for (const hop of hops) shape[hop] = { ...defaultHopWork, ...partial?.[hop] };
  return shape;
}
