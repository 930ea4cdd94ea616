// What the service under test does per request: its hops and the work each one does.
import type { Hop, HopWork, ServiceShape } from '../../model/index.ts';

/** A record, so that a hop added to the model's Hop and missing here fails the typecheck. */
const everyHop: Record<Hop, true> = { frontend: true, users: true, db: true, auth: true };
export const hops = Object.keys(everyHop) as Hop[];

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
