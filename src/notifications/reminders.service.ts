import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { NotificationsService } from './notifications.service.js';

export const EXPIRY_NOTICE_DAYS = 30;

/**
 * Deadlines nobody should have to remember: certificates expiring within 30 days and yearly
 * re-evaluations coming due. Each is announced once (the notification itself is the record).
 */
@Injectable()
export class RemindersService implements OnModuleInit, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    private readonly notifications: NotificationsService,
    private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.scan().catch(() => undefined), this.config.BACKGROUND_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async scan(): Promise<number> {
    return (await this.expiringCertificates()) + (await this.reEvaluationsDue());
  }

  private async expiringCertificates(): Promise<number> {
    const due: Array<{ id: string; connection_id: string; environment: string; not_after: Date; unit: string }> = await this.db.query(
      `SELECT c.id, c.connection_id, c.environment, c.not_after, k.owner_unit AS unit
         FROM client_certificates c JOIN connections k ON k.id = c.connection_id
        WHERE c.revoked_at IS NULL AND c.not_after > now() AND c.not_after <= now() + interval '${EXPIRY_NOTICE_DAYS} days'
          AND k.state <> 'TERMINATED'
          AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.kind = 'CERTIFICATE_EXPIRING' AND n.data->>'certificateId' = c.id::text)`,
    );
    for (const cert of due) {
      await this.db.transaction((m) =>
        this.notifications.notify(m, cert.unit, cert.connection_id, 'CERTIFICATE_EXPIRING',
          `The ${cert.environment} certificate expires on ${new Date(cert.not_after).toISOString().slice(0, 10)}: upload a new CSR to renew it`,
          { certificateId: cert.id, environment: cert.environment, notAfter: cert.not_after }),
      );
    }
    return due.length;
  }

  private async reEvaluationsDue(): Promise<number> {
    const due: Array<{ id: string; owner_unit: string; re_evaluation_due: string }> = await this.db.query(
      `SELECT k.id, k.owner_unit, k.re_evaluation_due FROM connections k
        WHERE k.re_evaluation_due IS NOT NULL AND k.re_evaluation_due <= current_date + ${EXPIRY_NOTICE_DAYS}
          AND k.state IN ('LIVE', 'SUSPENDED')
          AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.kind = 'RE_EVALUATION_DUE' AND n.connection_id = k.id
                            AND n.data->>'due' = k.re_evaluation_due::text)`,
    );
    for (const c of due) {
      await this.db.transaction((m) =>
        this.notifications.notify(m, c.owner_unit, c.id, 'RE_EVALUATION_DUE',
          `The yearly re-evaluation of the connection is due on ${c.re_evaluation_due}: prepare the security assessment dossier`,
          { due: c.re_evaluation_due }),
      );
    }
    return due.length;
  }
}
