import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from './audit-log-reader.js';

/**
 * `audit_entries` is partitioned by UTC month of `occurred_at` (migration
 * 1796000000000-audit-partitions): one table `audit_entries_YYYY_MM` per period. There is no
 * DEFAULT partition, so a month must exist before its first entry: the gateway creates the
 * coming months at start-up and daily, and the writer sees to the partition of any month it has
 * not written into yet before its INSERT (audit.service.ts).
 */

/** A period: one UTC month, `YYYY-MM`. */
export interface AuditPeriod {
  label: string;
  partition: string;
  /** Inclusive. */
  start: Date;
  /** Exclusive: the first instant of the next month. */
  end: Date;
}

export const MONTHS_AHEAD = 2;
const DAY_MS = 86_400_000;

export function periodOf(label: string): AuditPeriod {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(label);
  if (!match) throw new RangeError(`a period is a month, YYYY-MM (got "${label}")`);
  const [year, month] = [Number(match[1]), Number(match[2])];
  return {
    label,
    partition: `audit_entries_${match[1]}_${match[2]}`,
    start: new Date(Date.UTC(year, month - 1, 1)),
    end: new Date(Date.UTC(year, month, 1)),
  };
}

export function periodContaining(instant: Date): AuditPeriod {
  return periodOf(instant.toISOString().slice(0, 7));
}

/** Creates the monthly partitions covering `from`..`to` that are missing; returns how many. */
export async function ensurePartitions(db: Queryable, from: Date, to: Date): Promise<number> {
  const [row] = await db.query(`SELECT audit_entries_ensure_partitions($1, $2) AS created`, [from, to]);
  return Number(row.created);
}

/** The months attached to `audit_entries`, oldest first. */
export async function attachedPeriods(db: Queryable): Promise<string[]> {
  const rows: Array<{ name: string }> = await db.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'audit_entries'::regclass ORDER BY c.relname`,
  );
  return rows.map((r) => r.name.replace(/^audit_entries_(\d{4})_(\d{2})$/, '$1-$2'));
}

/** Keeps this month and the next {@link MONTHS_AHEAD} ready: at start-up and once a day. */
@Injectable()
export class AuditPartitionsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AuditPartitionsService.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.prepare();
    this.timer = setInterval(() => void this.prepare().catch((e: Error) => this.logger.error(`Could not prepare audit partitions: ${e.message}`)), DAY_MS).unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async prepare(now = new Date()): Promise<void> {
    const ahead = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + MONTHS_AHEAD, 1));
    const created = await ensurePartitions(this.db, now, ahead);
    if (created > 0) this.logger.log(`Created ${created} audit log partition(s) up to ${periodContaining(ahead).label}`);
  }
}
