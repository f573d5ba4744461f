import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { canonicalJson } from '../incidents/evidence.js';
import { SecurityAlert } from './security-alert.entity.js';

/**
 * Queues an alert in the same transaction as the incident it announces: either both exist or
 * neither does. AlertDeliveryService sends it afterwards. The body carries `alertId`, which the
 * receiver uses to drop duplicates (delivery is at least once).
 */
export async function enqueueAlert(
  manager: EntityManager,
  alert: { kind: string; incidentId: string | null; body: Record<string, unknown> },
): Promise<string> {
  const id = crypto.randomUUID();
  await manager.insert(SecurityAlert, {
    id,
    incidentId: alert.incidentId,
    kind: alert.kind,
    payload: canonicalJson({ alertId: id, kind: alert.kind, ...alert.body }),
    attempts: 0,
    nextAttemptAt: new Date(),
    deliveredAt: null,
    lastError: null,
  });
  return id;
}
