import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../../shared/config/gateway-config.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { type ChainedEntry, entryFromRow } from '../chain/audit-chain.js';
import { journalPath, verifyStoredLogAndJournal } from '../checkpoints/audit-checkpoint-journal.js';
import { AuditCheckpointService } from '../checkpoints/audit-checkpoint.service.js';
import { exportChunks } from '../archive/audit-export.js';
import { ENTRY_COLUMNS, resolveRange } from '../archive/audit-log-reader.js';
import { type TrustedKeys, trustedKeys } from '../checkpoints/audit-signing-key.js';
import type { VerificationFailure, VerificationReport } from '../chain/audit-verifier.js';

export interface AuditSearch {
  /** The id a client or a person was given with the answer (X-Request-Id, an error body's requestId). */
  requestId?: string;
  connectionId?: string;
  /** An account id (as actor or as assistant) or a username (likewise; failed sign-ins too). */
  actor?: string;
  action?: string;
  plane?: string;
  outcome?: string;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit?: number;
}

export interface AuditPersonView {
  accountId: string | null;
  username: string | null;
  holderName: string | null;
  role?: string | null;
}

export interface AuditEntryView {
  seq: string;
  id: string;
  occurredAt: string;
  requestId: string;
  plane: string;
  environment: string | null;
  connectionId: string | null;
  certificateThumbprint: string | null;
  sourceAddress: string;
  method: string;
  path: string;
  statusCode: number;
  outcome: string;
  errorCode: string | null;
  durationMs: number;
  format: number;
  action: string | null;
  actor: AuditPersonView | null;
  assistant: AuditPersonView | null;
  target: { type: string; id: string | null } | null;
  payloadSha256: string | null;
  details: Record<string, unknown> | null;
  prevHash: string;
  entryHash: string;
}

export interface AuditVerificationView extends VerificationReport {
  requested: { from: string | null; to: string | null };
  /** Entries up to this seq were archived out of the database (audit:archive): verify them from their exports. */
  archivedThroughSeq: string | null;
  /** This instance's checkpoint journal: how many of its newest checkpoints were compared (0: no journal). */
  journal: { compared: number; unreadableLines: number };
  firstMismatch: VerificationFailure | null;
  trustedKeyIds: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A verification answers within one request: larger ranges go to `audit:verify` or an export. */
export const MAX_ENTRIES_PER_VERIFICATION = 1_000_000;
const MAX_FAILURES_REPORTED = 100;

/** What auditors (role AUDITOR) read of the log: searches, verification, exports. */
@Injectable()
export class AuditQueryService {
  private readonly logger = new Logger(AuditQueryService.name);

  constructor(
    private readonly db: DataSource,
    private readonly checkpoints: AuditCheckpointService,
    private readonly config: GatewayConfig,
  ) {}

  /** Newest first (by time, then chain position); `nextCursor` continues after the last one. */
  async search(query: AuditSearch): Promise<{ entries: AuditEntryView[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (query.requestId) where.push(`request_id = ${param(query.requestId.toLowerCase())}`);
    if (query.connectionId) where.push(`connection_id = ${param(query.connectionId.toLowerCase())}`);
    if (query.actor) {
      where.push(UUID.test(query.actor)
        ? `(actor_account_id = ${param(query.actor.toLowerCase())} OR assistant_account_id = $${params.length})`
        : `(actor_username = ${param(query.actor)} OR assistant_username = $${params.length})`);
    }
    if (query.action) where.push(`action = ${param(query.action)}`);
    if (query.plane) where.push(`plane = ${param(query.plane)}`);
    if (query.outcome) where.push(`outcome = ${param(query.outcome)}`);
    if (query.from) where.push(`occurred_at >= ${param(query.from)}`);
    if (query.to) where.push(`occurred_at <= ${param(query.to)}`);
    if (query.cursor !== undefined) {
      const after = decodeCursor(query.cursor);
      where.push(`(occurred_at, seq) < ((SELECT occurred_at FROM audit_entries WHERE seq = ${param(after)}), $${params.length}::bigint)`);
    }
    const limit = query.limit ?? 100;
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT ${ENTRY_COLUMNS} FROM audit_entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY occurred_at DESC, seq DESC LIMIT ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit).map((row) => entryView(entryFromRow(row)));
    return { entries: page, nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].seq) : null };
  }

  /** Runs the verifier over the range (widened to whole checkpoints) with the gateway's key. */
  async verify(bounds: { from?: Date; to?: Date }): Promise<AuditVerificationView> {
    const range = await resolveRange(this.db, bounds);
    if (range.endSeq !== null && BigInt(range.endSeq) - BigInt(range.startSeq) + 1n > BigInt(MAX_ENTRIES_PER_VERIFICATION)) {
      throw ApiError.badRequest(
        `The range holds more than ${MAX_ENTRIES_PER_VERIFICATION} entries (seq ${range.startSeq}..${range.endSeq}): narrow from/to, or run npm run cli -- audit:verify`,
        [{ field: 'from', problem: 'range too large for one request' }],
        'RANGE_TOO_LARGE',
      );
    }
    const keys = this.keys();
    const { report, journal } = await verifyStoredLogAndJournal(this.db, range, keys, journalPath(this.config));
    return {
      requested: { from: bounds.from?.toISOString() ?? null, to: bounds.to?.toISOString() ?? null },
      ...report,
      archivedThroughSeq: range.archivedThroughSeq ?? null,
      journal: { compared: journal.compared, unreadableLines: journal.unreadable },
      failures: report.failures.slice(0, MAX_FAILURES_REPORTED),
      firstMismatch: report.failures[0] ?? null,
      trustedKeyIds: [...keys.keys()],
    };
  }

  /** The same file `npm run cli -- audit:export` writes, as a stream of text. */
  async export(bounds: { from?: Date; to?: Date }): Promise<{ chunks: AsyncGenerator<string>; startSeq: string; endSeq: string | null }> {
    const range = await resolveRange(this.db, bounds);
    return { chunks: exportChunks(this.db, range, this.keys(), bounds), startSeq: range.startSeq, endSeq: range.endSeq };
  }

  /** The gateway's own key; without it (not provisioned in production) nothing can be vouched for. */
  private keys(): TrustedKeys {
    try {
      return trustedKeys([this.checkpoints.signingKey().publicKey]);
    } catch (error) {
      this.logger.error(`Audit signing key unavailable: ${(error as Error).message}`);
      throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'AUDIT_SIGNING_KEY_MISSING', 'The audit signing key is not available; see src/audit/README.md');
    }
  }
}

function entryView(e: ChainedEntry): AuditEntryView {
  const person = (accountId?: string | null, username?: string | null, holderName?: string | null, role?: string | null) =>
    accountId || username ? { accountId: accountId ?? null, username: username ?? null, holderName: holderName ?? null, ...(role !== undefined ? { role } : {}) } : null;
  let details: Record<string, unknown> | null = null;
  try {
    details = e.details ? (JSON.parse(e.details) as Record<string, unknown>) : null;
  } catch {
    details = { unparsable: e.details };
  }
  return {
    seq: e.seq,
    id: e.id,
    occurredAt: e.occurredAt,
    requestId: e.requestId,
    plane: e.plane,
    environment: e.environment,
    connectionId: e.connectionId,
    certificateThumbprint: e.certificateThumbprint,
    sourceAddress: e.sourceAddress,
    method: e.method,
    path: e.path,
    statusCode: e.statusCode,
    outcome: e.outcome,
    errorCode: e.errorCode,
    durationMs: e.durationMs,
    format: e.format ?? 1,
    action: e.action ?? null,
    actor: person(e.actorAccountId, e.actorUsername, e.actorHolderName, e.actorRole ?? null),
    assistant: person(e.assistantAccountId, e.assistantUsername, e.assistantHolderName),
    target: e.targetType ? { type: e.targetType, id: e.targetId ?? null } : null,
    payloadSha256: e.payloadSha256 ?? null,
    details,
    prevHash: e.prevHash,
    entryHash: e.entryHash,
  };
}

function encodeCursor(seq: string): string {
  return Buffer.from(`audit-seq:${seq}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const match = /^audit-seq:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw ApiError.badRequest('Invalid cursor', [{ field: 'cursor', problem: 'is not a nextCursor of this search' }]);
  return match[1];
}
