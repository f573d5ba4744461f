import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../shared/config/gateway-config.js';

export interface AuditRecord {
  occurredAt: Date;
  requestId: string;
  plane: 'data' | 'control';
  environment: string | null;
  connectionId: string | null;
  certificateThumbprint: string | null;
  sourceAddress: string;
  method: string;
  path: string;
  statusCode: number;
  errorCode: string | null;
  durationMs: number;
}

const COLUMNS = [
  'occurred_at', 'request_id', 'plane', 'environment', 'connection_id', 'certificate_thumbprint',
  'source_address', 'method', 'path', 'status_code', 'outcome', 'error_code', 'duration_ms',
];
const MAX_GROUP = 500;

/**
 * Writes audit entries with group commit: callers await `record()`, and every entry that
 * arrives while one INSERT is in flight goes into the next one. The gateway awaits this before a
 * response leaves, so nothing acknowledged to a client is missing from the log, while one INSERT
 * serves many concurrent calls (one per call would cost the data plane a round trip each).
 */
@Injectable()
export class AuditService implements OnApplicationShutdown {
  private readonly logger = new Logger(AuditService.name);
  private queue: Array<{ record: AuditRecord; done: (e?: unknown) => void }> = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;

  constructor(
    private readonly db: DataSource,
    private readonly config: GatewayConfig,
  ) {}

  record(record: AuditRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, done: (e) => (e ? reject(e) : resolve()) });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.flushing = this.flush().finally(() => {
        this.flushing = null;
        if (this.queue.length > 0) this.schedule();
      });
    }, this.config.AUDIT_FLUSH_DELAY_MS);
  }

  private async flush(): Promise<void> {
    const group = this.queue.splice(0, MAX_GROUP);
    if (group.length === 0) return;
    const params: unknown[] = [];
    const rows = group.map(({ record: r }) => {
      const outcome = r.statusCode >= 500 ? 'failed' : r.statusCode >= 400 ? 'rejected' : 'success';
      const values = [r.occurredAt, r.requestId, r.plane, r.environment, r.connectionId, r.certificateThumbprint,
        r.sourceAddress, r.method, r.path, r.statusCode, outcome, r.errorCode, r.durationMs];
      const placeholders = values.map((v) => `$${params.push(v)}`);
      return `(${placeholders.join(',')})`;
    });
    try {
      await this.db.query(`INSERT INTO audit_entries (${COLUMNS.join(',')}) VALUES ${rows.join(',')}`, params);
      group.forEach((g) => g.done());
    } catch (error) {
      this.logger.error(`Could not write ${group.length} audit entries: ${(error as Error).message}`);
      group.forEach((g) => g.done(error));
    }
  }

  /** Waits for entries still queued (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushing || this.scheduled) {
      await (this.flushing ?? new Promise((r) => setTimeout(r, this.config.AUDIT_FLUSH_DELAY_MS + 1)));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drain();
  }
}
