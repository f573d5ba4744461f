import { Inject, Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { incidentDeadlines } from '../security/incidents/incident-deadlines.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { type DatabaseSnapshot, readDatabaseSnapshot } from './database-snapshot.js';
import { poolOf, WATCHED_PLANES, type WatchedPlane } from './planes.js';
import { requestMetrics } from './request-metrics.js';

const CLOCKS = ['classification', 'reportToAuthority', 'officialReport', 'review'] as const;
const CLOCK_LABELS: Record<(typeof CLOCKS)[number], string> = { classification: 'classification', reportToAuthority: 'report_to_authority', officialReport: 'official_report', review: 'review' };
const STEP_DONE = { classification: 'classifiedAt', reportToAuthority: 'reportedAt', officialReport: 'officialReportAt', review: 'reviewAt' } as const;

/**
 * The series read at scrape time, never per request: this process's audit queues and database
 * pools, and the cluster-wide state kept in the database (incidents, suspensions, unsealed audit
 * entries, webhook backlog, certificate expiry). The database is read at most once per
 * OPS_METRICS_CACHE_MS however often (and by however many scrapers) /metrics is asked; while it
 * cannot be read, those series are left out and `gateway_metrics_database_up` is 0.
 *
 * Database-derived series are the same on every instance: aggregate them with max(), not sum().
 */
@Injectable()
export class OperationsMetrics {
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');
  private cached: { at: number; value: Promise<DatabaseSnapshot | null> } | null = null;

  constructor(
    @Inject(WATCHED_PLANES) private readonly planes: WatchedPlane[],
    private readonly config: GatewayConfig,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.processGauges();
    this.databaseGauges();
  }

  /** Every series, as Prometheus text. */
  async render(): Promise<string> {
    return `${await requestMetrics.registry.metrics()}\n${await this.registry.metrics()}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private processGauges(): void {
    const planes = this.planes;
    new Gauge({
      name: 'gateway_audit_queued_entries', help: 'Audit entries of this process waiting to be written, by plane', labelNames: ['plane'], registers: [this.registry],
      collect() {
        for (const p of planes) this.set({ plane: p.name }, p.audit.status().queued);
      },
    });
    new Gauge({
      name: 'gateway_audit_oldest_waiting_seconds', help: 'How long the oldest audit entry of this process has waited to be written (0: none waiting), by plane', labelNames: ['plane'], registers: [this.registry],
      collect() {
        for (const p of planes) this.set({ plane: p.name }, p.audit.status().oldestWaitingMs / 1000);
      },
    });
    new Gauge({
      name: 'gateway_db_pool_connections', help: 'Database pool connections of this process, by plane and state (total, idle, waiting = requests queued for a connection)', labelNames: ['plane', 'state'], registers: [this.registry],
      collect() {
        for (const p of planes) {
          const pool = poolOf(p.db);
          if (!pool) continue;
          this.set({ plane: p.name, state: 'total' }, pool.totalCount);
          this.set({ plane: p.name, state: 'idle' }, pool.idleCount);
          this.set({ plane: p.name, state: 'waiting' }, pool.waitingCount);
        }
      },
    });
    new Gauge({
      name: 'gateway_db_pool_max_connections', help: 'Size limit of the database pool, by plane', labelNames: ['plane'], registers: [this.registry],
      collect() {
        for (const p of planes) {
          const max = poolOf(p.db)?.options?.max;
          if (max !== undefined) this.set({ plane: p.name }, max);
        }
      },
    });
  }

  private databaseGauges(): void {
    const snapshot = () => this.snapshot();
    const calendar = () => this.planes[0].calendars.calendar();
    new Gauge({
      name: 'gateway_metrics_database_up', help: '1 when the database-derived series below could be read at the last scrape, else 0', registers: [this.registry],
      async collect() {
        this.set((await snapshot()) ? 1 : 0);
      },
    });
    new Counter({
      name: 'gateway_suspensions_total', help: 'Connection suspensions ever made, by trigger (automatic: the anomaly detector; manual: a security officer)', labelNames: ['trigger'], registers: [this.registry],
      async collect() {
        const s = await snapshot();
        this.reset();
        if (s) for (const trigger of ['automatic', 'manual'] as const) this.inc({ trigger }, s.suspensions[trigger].total);
      },
    });
    new Gauge({
      name: 'gateway_connections_suspended', help: 'Connections suspended now, by trigger of the suspension', labelNames: ['trigger'], registers: [this.registry],
      async collect() {
        const s = await snapshot();
        this.reset();
        if (s) for (const trigger of ['automatic', 'manual'] as const) this.set({ trigger }, s.suspensions[trigger].open);
      },
    });
    new Gauge({
      name: 'gateway_incidents_open', help: 'Open security incidents, by severity (UNCLASSIFIED until step 2)', labelNames: ['severity'], registers: [this.registry],
      async collect() {
        const s = await snapshot();
        this.reset();
        if (!s) return;
        for (const severity of ['UNCLASSIFIED', 'INFORMATION', 'WARNING', 'MEDIUM', 'SERIOUS']) this.set({ severity }, 0);
        for (const i of s.openIncidents) this.inc({ severity: i.severity ?? 'UNCLASSIFIED' });
      },
    });
    new Gauge({
      name: 'gateway_incidents_overdue', help: 'Open incidents whose response clock (Appendix III.III) has run out with the step not done, by clock', labelNames: ['clock'], registers: [this.registry],
      async collect() {
        const s = await snapshot();
        this.reset();
        if (!s) return;
        const now = Date.now();
        for (const clock of CLOCKS) this.set({ clock: CLOCK_LABELS[clock] }, 0);
        for (const i of s.openIncidents) {
          const due = incidentDeadlines(i.openedAt, calendar());
          for (const clock of CLOCKS) if (!i[STEP_DONE[clock]] && due[clock].getTime() < now) this.inc({ clock: CLOCK_LABELS[clock] });
        }
      },
    });
    new Gauge({
      name: 'gateway_audit_unsealed_entries', help: 'Audit entries not yet sealed into a signed checkpoint (all instances)', registers: [this.registry],
      async collect() {
        const s = await snapshot();
        this.reset();
        if (s) this.set(s.audit.unsealed);
      },
    });
    for (const [which, help] of [['newest', 'newest'], ['oldest', 'oldest']] as const) {
      new Gauge({
        name: `gateway_audit_${which}_unsealed_entry_age_seconds`, help: `Age of the ${help} audit entry not yet sealed (0: everything is sealed)`, registers: [this.registry],
        async collect() {
          const s = await snapshot();
          this.reset();
          if (s) this.set(ageSeconds(s.audit[which]));
        },
      });
    }
    new Gauge({
      name: 'gateway_webhook_deliveries_pending', help: 'Unit notifications waiting to be delivered to their webhook', registers: [this.registry],
      async collect() {
        const s = await snapshot();
        this.reset();
        if (s) this.set(s.webhooks.pending);
      },
    });
    new Gauge({
      name: 'gateway_webhook_oldest_pending_age_seconds', help: 'Age of the oldest webhook delivery not yet made (0: none pending)', registers: [this.registry],
      async collect() {
        const s = await snapshot();
        this.reset();
        if (s) this.set(ageSeconds(s.webhooks.oldest));
      },
    });
    new Gauge({
      name: 'gateway_client_certificate_expiry_days', help: 'Days until each unrevoked client certificate of a connection not terminated expires (negative: expired; listed up to 30 days after)', labelNames: ['connection', 'environment', 'certificate'], registers: [this.registry],
      async collect() {
        const s = await snapshot();
        this.reset();
        if (s) for (const c of s.certificates) this.set({ connection: c.connectionId, environment: c.environment, certificate: c.id }, Math.floor(((c.notAfter.getTime() - Date.now()) / 86_400_000) * 10) / 10);
      },
    });
  }

  /** The database-derived figures, read at most once per OPS_METRICS_CACHE_MS. */
  private snapshot(): Promise<DatabaseSnapshot | null> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < this.config.OPS_METRICS_CACHE_MS) return this.cached.value;
    const db = (this.planes.find((p) => p.name === 'control') ?? this.planes[0])?.db;
    const value = db
      ? readDatabaseSnapshot(db).catch((error: unknown) => {
          this.logger.warn(`Database metrics could not be read: ${(error as Error).message}`);
          return null;
        })
      : Promise.resolve(null);
    this.cached = { at: now, value };
    return value;
  }
}

function ageSeconds(at: Date | null): number {
  return at ? Math.max(0, (Date.now() - at.getTime()) / 1000) : 0;
}
