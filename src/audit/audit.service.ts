import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { withAdvisoryLock } from './advisory-lock.js';
import { asStoredText, type ChainedFields, entryHash, GENESIS_HASH } from './audit-chain.js';

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
  'seq', 'occurred_at', 'request_id', 'plane', 'environment', 'connection_id', 'certificate_thumbprint',
  'source_address', 'method', 'path', 'status_code', 'outcome', 'error_code', 'duration_ms', 'prev_hash', 'entry_hash',
];
const MAX_GROUP = 500;

/**
 * Advisory lock key ('auditlog' in ASCII) that serialises appends to the chain across every
 * gateway instance on the database: one chain, no forks (the unique index on seq backs it up).
 */
export const AUDIT_CHAIN_LOCK = '7022629598041763687';

/**
 * Writes audit entries with group commit: callers await `record()`, and every entry that
 * arrives while one INSERT is in flight goes into the next one. The gateway awaits this before a
 * response leaves, so nothing acknowledged to a client is missing from the log, while one INSERT
 * serves many concurrent calls (one per call would cost the data plane a round trip each).
 *
 * Each group is appended to the hash chain (audit-chain.ts) by one INSERT, made while holding the
 * chain lock after reading the last link: several instances still write one chain, and an entry
 * is committed (the INSERT's own transaction) before its `record()` resolves.
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
    const unchained = group.map(({ record }) => chainedFields(record));
    try {
      await withAdvisoryLock(this.db, AUDIT_CHAIN_LOCK, async (connection) => {
        const [last]: Array<{ seq: string; entry_hash: string }> = await connection.query(
          'SELECT seq, entry_hash FROM audit_entries ORDER BY seq DESC LIMIT 1',
        );
        let seq = last ? BigInt(last.seq) : 0n;
        let prevHash = last?.entry_hash ?? GENESIS_HASH;
        const params: unknown[] = [];
        const rows = unchained.map((u) => {
          const f: ChainedFields = { seq: String(++seq), ...u };
          const hash = entryHash(f, prevHash);
          const values = [f.seq, f.occurredAt, f.requestId, f.plane, f.environment, f.connectionId, f.certificateThumbprint,
            f.sourceAddress, f.method, f.path, f.statusCode, f.outcome, f.errorCode, f.durationMs, prevHash, hash];
          prevHash = hash;
          return `(${values.map((v) => `$${params.push(v)}`).join(',')})`;
        });
        await connection.query(`INSERT INTO audit_entries (${COLUMNS.join(',')}) VALUES ${rows.join(',')}`, params);
      });
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

/** A record as the columns will hold it, so that the hash computed now verifies when read back. */
function chainedFields(r: AuditRecord): Omit<ChainedFields, 'seq'> {
  return {
    occurredAt: r.occurredAt.toISOString(),
    requestId: r.requestId.toLowerCase(),
    plane: r.plane,
    environment: r.environment,
    connectionId: r.connectionId?.toLowerCase() ?? null,
    certificateThumbprint: r.certificateThumbprint,
    sourceAddress: asStoredText(r.sourceAddress),
    method: asStoredText(r.method),
    path: asStoredText(r.path),
    statusCode: r.statusCode,
    outcome: r.statusCode >= 500 ? 'failed' : r.statusCode >= 400 ? 'rejected' : 'success',
    errorCode: r.errorCode === null ? null : asStoredText(r.errorCode),
    durationMs: r.durationMs,
  };
}
