import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../calendar/clock.js';
import { WorkingCalendarService } from '../calendar/working-calendar.service.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { BackgroundLoop } from '../shared/runtime/background-loop.js';
import { NotificationsService } from './notifications.service.js';
import { renewedSql } from '../connections/certificate-issuance-states.js';
import { UNIT_REPORT_HOURS } from '../security/incidents/incident-deadlines.js';

export const EXPIRY_NOTICE_DAYS = 30;
/** IV.5.d: the unit is reminded of its official report this many hours before its 24 hours are up. */
export const UNIT_REPORT_REMINDER_HOURS = 6;

/**
 * Deadlines nobody should have to remember: certificates expiring within 30 days, yearly
 * re-evaluations coming due, and the deadline a failed re-evaluation gave to fix the conditions
 * (step 7) once its day has come, and a unit's own official report on an incident it reported
 * (IV.5.d) in its last hours. Each is announced once (the notification itself is the record).
 */
@Injectable()
export class RemindersService implements OnModuleInit, OnModuleDestroy {
  private readonly loop = new BackgroundLoop('Reminders', new Logger(RemindersService.name), () => this.scan());

  constructor(
    private readonly db: DataSource,
    private readonly notifications: NotificationsService,
    private readonly config: GatewayConfig,
    private readonly calendars: WorkingCalendarService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.loop.start(this.config.BACKGROUND_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  async scan(): Promise<number> {
    return (await this.expiringCertificates()) + (await this.reEvaluationsDue()) + (await this.remedyDeadlinesDue()) + (await this.unitReportsDue());
  }

  private async expiringCertificates(): Promise<number> {
    const due: Array<{ id: string; connection_id: string; environment: string; not_after: Date; unit: string }> = await this.db.query(
      `SELECT c.id, c.connection_id, c.environment, c.not_after, k.owner_unit AS unit
         FROM client_certificates c JOIN connections k ON k.id = c.connection_id
        WHERE c.revoked_at IS NULL AND c.not_after > $1::timestamptz AND c.not_after <= $1::timestamptz + interval '${EXPIRY_NOTICE_DAYS} days'
          AND k.state <> 'TERMINATED'
          AND NOT ${renewedSql('c', `$1::timestamptz + interval '${EXPIRY_NOTICE_DAYS} days'`)}
          AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.kind = 'CERTIFICATE_EXPIRING' AND n.data->>'certificateId' = c.id::text)`,
      // The gateway's Clock, as for every other deadline here (not the database's).
      [this.clock.now()],
    );
    for (const cert of due) {
      await this.db.transaction((m) =>
        this.notifications.notify(m, cert.unit, cert.connection_id, 'CERTIFICATE_EXPIRING',
          `The ${cert.environment} certificate expires on ${this.calendars.calendar().dateOf(new Date(cert.not_after))}: upload a new CSR to renew it`,
          // expiresOn: the calendar day in the gateway's time zone, as the notice says it (an instant's UTC date can be the day before).
          { certificateId: cert.id, environment: cert.environment, notAfter: cert.not_after, expiresOn: this.calendars.calendar().dateOf(new Date(cert.not_after)) }),
      );
    }
    return due.length;
  }

  private async reEvaluationsDue(): Promise<number> {
    const due: Array<{ id: string; owner_unit: string; re_evaluation_due: string }> = await this.db.query(
      `SELECT k.id, k.owner_unit, k.re_evaluation_due FROM connections k
        WHERE k.re_evaluation_due IS NOT NULL AND k.re_evaluation_due <= $1::date + ${EXPIRY_NOTICE_DAYS}
          AND k.state IN ('LIVE', 'SUSPENDED')
          AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.kind = 'RE_EVALUATION_DUE' AND n.connection_id = k.id
                            AND n.data->>'due' = k.re_evaluation_due::text)`,
      // "Today" of the working calendar, not of the database session's zone.
      [this.clock.today()],
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

  /**
   * IV.5.d: an incident the unit reported whose official report is not filed, due 24 hours after
   * detection, within its last UNIT_REPORT_REMINDER_HOURS (or past them): the unit is told once.
   */
  private async unitReportsDue(): Promise<number> {
    const due: Array<{ id: string; connection_id: string; unit: string; due: Date }> = await this.db.query(
      `SELECT i.id, i.connection_id, k.owner_unit AS unit, i.detected_at + interval '${UNIT_REPORT_HOURS} hours' AS due
         FROM incidents i JOIN connections k ON k.id = i.connection_id
        WHERE i.source = 'UNIT_REPORT' AND i.unit_report_at IS NULL AND i.detected_at IS NOT NULL
          AND i.detected_at + interval '${UNIT_REPORT_HOURS - UNIT_REPORT_REMINDER_HOURS} hours' <= $1::timestamptz
          AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.kind = 'UNIT_INCIDENT_REPORT_DUE' AND n.data->>'incidentId' = i.id::text)`,
      [this.clock.now()],
    );
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: this.config.TIMEZONE, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    for (const i of due) {
      // "07:57 09/12/2026", in the gateway's time zone: the notice says it as the unit reads a clock.
      const dueLocal = local.formatToParts(new Date(i.due)).reduce((p, x) => ({ ...p, [x.type]: x.value }), {} as Record<string, string>);
      const dueText = `${dueLocal.hour}:${dueLocal.minute} ${dueLocal.day}/${dueLocal.month}/${dueLocal.year}`;
      await this.db.transaction((m) =>
        this.notifications.notify(m, i.unit, i.connection_id, 'UNIT_INCIDENT_REPORT_DUE',
          `The official report on the incident the unit reported is due by ${new Date(i.due).toISOString()} (IV.5.d: 24 hours after detection)`,
          { incidentId: i.id, due: new Date(i.due).toISOString(), dueLocal: dueText }),
      );
    }
    return due.length;
  }

  /** Step 7: the deadline to meet the conditions has come (in TIMEZONE) and a re-evaluation has not lifted it. */
  private async remedyDeadlinesDue(): Promise<number> {
    const due: Array<{ id: string; owner_unit: string; due: string; findings: string }> = await this.db.query(
      `SELECT k.id, k.owner_unit, k.remedy_deadline->>'due' AS due, k.remedy_deadline->>'findings' AS findings FROM connections k
        WHERE k.remedy_deadline IS NOT NULL AND (k.remedy_deadline->>'due')::date <= $1::date AND k.state <> 'TERMINATED'
          AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.kind = 'REMEDY_DEADLINE_DUE' AND n.connection_id = k.id
                            AND n.data->>'due' = k.remedy_deadline->>'due')`,
      [this.clock.today()],
    );
    for (const c of due) {
      await this.db.transaction((m) =>
        this.notifications.notify(m, c.owner_unit, c.id, 'REMEDY_DEADLINE_DUE',
          `The deadline to meet the connection conditions the re-evaluation found not met is ${c.due}: report the measures taken to DTD (findings: ${c.findings})`,
          { due: c.due }),
      );
    }
    return due.length;
  }
}
