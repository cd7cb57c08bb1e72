import type { PropagationResult } from './propagation.js';

/**
 * (e) Propagation across two replicas through PostgreSQL: a write on one replica, streams on
 * both. Needs the replica listener (LISTEN/NOTIFY), built separately; until the server has
 * it this returns a note instead of a measurement.
 */
export async function measureReplicas(_options: {
  cli: string;
  subscribers: number;
  writes: number;
}): Promise<{ result: PropagationResult | undefined; note: string | undefined }> {
  return { result: undefined, note: '(e) not measured yet: the replica listener is not in the server yet' };
}
