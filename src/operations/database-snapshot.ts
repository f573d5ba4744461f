import type { DataSource } from 'typeorm';
import type { Severity } from '../security/incidents/incident.entity.js';

export interface DatabaseSnapshot {
  suspensions: Record<'automatic' | 'manual', { total: number; open: number }>;
  openIncidents: Array<{ severity: Severity | null; openedAt: Date; classifiedAt: Date | null; reportedAt: Date | null; officialReportAt: Date | null; reviewAt: Date | null }>;
  audit: { unsealed: number; oldest: Date | null; newest: Date | null };
  webhooks: { pending: number; oldest: Date | null };
  certificates: Array<{ id: string; connectionId: string; environment: string; notAfter: Date }>;
}

/**
 * The cluster-wide figures behind the database-derived metrics, in one round of small queries.
 * Suspensions made by the anomaly detector are recorded with `suspended_by = 'detector'`
 * (IncidentsService); every other suspension was made by a person.
 */
export async function readDatabaseSnapshot(db: DataSource): Promise<DatabaseSnapshot> {
  const [suspensions, incidents, audit, webhooks, certificates] = await Promise.all([
    db.query(`SELECT suspended_by = 'detector' AS automatic, count(*)::int AS total, count(*) FILTER (WHERE restored_at IS NULL)::int AS open
                FROM connection_suspensions GROUP BY 1`) as Promise<Array<{ automatic: boolean; total: number; open: number }>>,
    db.query(`SELECT severity, opened_at, classified_at, reported_at, official_report_at, review_at FROM incidents WHERE closed_at IS NULL`) as Promise<
      Array<{ severity: Severity | null; opened_at: Date; classified_at: Date | null; reported_at: Date | null; official_report_at: Date | null; review_at: Date | null }>
    >,
    db.query(`SELECT count(*)::int AS unsealed, min(occurred_at) AS oldest, max(occurred_at) AS newest FROM audit_entries
               WHERE seq > COALESCE((SELECT max(last_seq) FROM audit_checkpoints), 0)`) as Promise<Array<{ unsealed: number; oldest: Date | null; newest: Date | null }>>,
    db.query(`SELECT count(*)::int AS pending, min(created_at) AS oldest FROM webhook_deliveries WHERE delivered_at IS NULL`) as Promise<Array<{ pending: number; oldest: Date | null }>>,
    db.query(`SELECT c.id, c.connection_id, c.environment, c.not_after FROM client_certificates c JOIN connections k ON k.id = c.connection_id
               WHERE c.revoked_at IS NULL AND k.state <> 'TERMINATED' AND c.not_after > now() - interval '30 days'`) as Promise<
      Array<{ id: string; connection_id: string; environment: string; not_after: Date }>
    >,
  ]);
  const byTrigger = (automatic: boolean) => suspensions.find((s) => s.automatic === automatic) ?? { total: 0, open: 0 };
  return {
    suspensions: { automatic: pick(byTrigger(true)), manual: pick(byTrigger(false)) },
    openIncidents: incidents.map((i) => ({
      severity: i.severity, openedAt: new Date(i.opened_at), classifiedAt: i.classified_at, reportedAt: i.reported_at, officialReportAt: i.official_report_at, reviewAt: i.review_at,
    })),
    audit: { unsealed: audit[0].unsealed, oldest: audit[0].oldest && new Date(audit[0].oldest), newest: audit[0].newest && new Date(audit[0].newest) },
    webhooks: { pending: webhooks[0].pending, oldest: webhooks[0].oldest && new Date(webhooks[0].oldest) },
    certificates: certificates.map((c) => ({ id: c.id, connectionId: c.connection_id, environment: c.environment, notAfter: new Date(c.not_after) })),
  };
}

function pick(s: { total: number; open: number }) {
  return { total: s.total, open: s.open };
}
