import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { newRequestId } from '../../shared/http/request-id.js';
import { readExport, verifyExport } from './audit-export.js';
import { ARCHIVE_ACTION, archivedThroughSeq, resolveRange, verifyStoredLog } from './audit-log-reader.js';
import { attachedPeriods, type AuditPeriod, periodOf } from './audit-partitions.js';
import type { TrustedKeys } from '../checkpoints/audit-signing-key.js';
import type { AuditRecord } from '../chain/audit.service.js';

/** Why a period was not archived; nothing was changed. */
export class AuditArchiveRefused extends Error {
  constructor(readonly code: string, message: string) {
    super(`audit:archive refused (${code}): ${message}`);
  }
}

export interface ArchiveRequest {
  period: string;
  /** An export of the period (`audit:export --period`), already written and stored. */
  exportFile: string;
  /** Delete the detached table too. */
  drop: boolean;
  retentionYears: number;
  /** The gateway's signing keys: the file must verify with these, not with keys it brings. */
  keys: TrustedKeys;
  now?: Date;
}

export interface ArchiveResult {
  period: AuditPeriod;
  entries: number;
  archivedThroughSeq: string;
  exportSha256: string;
  dropped: boolean;
}

/**
 * Takes a month out of the live log, in this order, each step refusing on failure:
 * 1. the month is older than the retention period (counted from its end);
 * 2. it is the oldest month still holding entries (months leave in order, so that everything
 *    up to `archivedThroughSeq` has left);
 * 3. its entries verify in the database (chain and checkpoints) and are all sealed;
 * 4. the export file verifies offline with the gateway's keys and holds every entry of the month
 *    (same `entry_hash`), sealed, from just after the previous archive on;
 * 5. an entry recording the archival is written to the chain (`record`), then the partition is
 *    detached (and stays append-only), and dropped only when asked.
 */
export async function archivePeriod(db: DataSource, record: (r: AuditRecord) => Promise<void>, request: ArchiveRequest): Promise<ArchiveResult> {
  const started = Date.now();
  const now = request.now ?? new Date();
  let period: AuditPeriod;
  try {
    period = periodOf(request.period);
  } catch (error) {
    throw new AuditArchiveRefused('INVALID_PERIOD', (error as Error).message);
  }
  const keptUntil = new Date(Date.UTC(period.end.getUTCFullYear() + request.retentionYears, period.end.getUTCMonth(), 1));
  if (now < keptUntil) {
    throw new AuditArchiveRefused('RETENTION_NOT_REACHED', `period ${period.label} is younger than the retention period (${request.retentionYears} years): its entries stay in the database until ${keptUntil.toISOString()}`);
  }

  const attached = await attachedPeriods(db);
  if (!attached.includes(period.label)) throw new AuditArchiveRefused('NOT_A_PARTITION', `no attached partition ${period.partition} (archived already, or never written)`);
  for (const older of attached.filter((p) => p < period.label)) {
    const [{ any }] = await db.query(`SELECT EXISTS (SELECT 1 FROM "${periodOf(older).partition}") AS any`);
    if (any) throw new AuditArchiveRefused('OLDER_PERIOD_FIRST', `period ${older} still holds entries: archive it first (months leave in order)`);
  }

  const previous = (await archivedThroughSeq(db)) ?? 0n;
  const [{ max }] = await db.query(`SELECT max(seq) AS max FROM "${period.partition}" WHERE seq > $1`, [String(previous)]);
  const range = await resolveRange(db, { from: period.start, to: new Date(period.end.getTime() - 1) });
  const stored = await verifyStoredLog(db, range, request.keys);
  if (!stored.ok) throw new AuditArchiveRefused('PERIOD_DOES_NOT_VERIFY', `the stored entries of ${period.label} do not verify: ${stored.failures[0].message}`);
  if (stored.unsealedEntries > 0) throw new AuditArchiveRefused('NOT_SEALED', `${stored.unsealedEntries} entries of the range are not sealed yet (npm run cli -- audit:seal)`);
  // Archives end on a checkpoint, which then anchors the rest of the log.
  const through = max === null ? previous : BigInt(range.endSeq!);

  const exportCommand = `npm run cli -- audit:export --period ${period.label} --out ${request.exportFile}`;
  if (!fs.existsSync(request.exportFile)) throw new AuditArchiveRefused('EXPORT_MISSING', `no export file ${request.exportFile}: write it first (${exportCommand}) and keep a copy offline`);
  const bytes = fs.readFileSync(request.exportFile);
  let hashes: Map<string, string>;
  try {
    const data = readExport(request.exportFile);
    const { report } = verifyExport(data, request.keys);
    if (!report.ok) throw new Error(`it does not verify: ${report.failures[0].message}`);
    if (through > previous) {
      if (BigInt(data.startSeq) > previous + 1n) throw new Error(`it starts at seq ${data.startSeq}, after seq ${previous + 1n}`);
      if (report.sealedThroughSeq === null || BigInt(report.sealedThroughSeq) < through) throw new Error(`it is not sealed through seq ${through}`);
    }
    hashes = new Map(data.entries.map((e) => [e.seq, e.entryHash]));
  } catch (error) {
    throw new AuditArchiveRefused('EXPORT_INVALID', `${request.exportFile}: ${(error as Error).message} (${exportCommand})`);
  }
  const entries = await checkEveryEntryIsIn(db, period, previous, hashes, request.exportFile);

  const exportSha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  await record({
    occurredAt: now,
    requestId: newRequestId(),
    plane: 'control',
    environment: null,
    connectionId: null,
    certificateThumbprint: null,
    sourceAddress: 'cli',
    method: 'CLI',
    path: `audit:archive --period ${period.label}${request.drop ? ' --drop' : ''}`,
    statusCode: 200,
    errorCode: null,
    durationMs: Date.now() - started,
    action: ARCHIVE_ACTION,
    actor: { accountId: null, username: operatorName(), holderName: null },
    target: { type: 'audit-period', id: period.label },
    details: { period: period.label, partition: period.partition, entries, archivedThroughSeq: String(through), exportFile: path.basename(request.exportFile), exportSha256, drop: request.drop },
  });
  await db.transaction(async (m) => {
    await m.query(`ALTER TABLE audit_entries DETACH PARTITION "${period.partition}"`);
    // Detaching removes the row trigger cloned from the parent: the archived table stays append-only.
    await m.query(`CREATE TRIGGER "${period.partition}_append_only" BEFORE UPDATE OR DELETE ON "${period.partition}" FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    if (request.drop) await m.query(`DROP TABLE "${period.partition}"`);
  });
  return { period, entries, archivedThroughSeq: String(through), exportSha256, dropped: request.drop };
}

/** Every entry of the month not archived before must be in the file with the same hash. */
async function checkEveryEntryIsIn(db: DataSource, period: AuditPeriod, after: bigint, hashes: Map<string, string>, file: string): Promise<number> {
  let count = 0;
  let cursor = after;
  for (;;) {
    const rows: Array<{ seq: string; entry_hash: string }> = await db.query(
      `SELECT seq, entry_hash FROM "${period.partition}" WHERE seq > $1 ORDER BY seq LIMIT 10000`, [String(cursor)]);
    for (const row of rows) {
      const inFile = hashes.get(String(row.seq));
      if (inFile !== row.entry_hash) {
        throw new AuditArchiveRefused('EXPORT_INCOMPLETE', `${file} ${inFile ? 'holds a different' : 'lacks the'} entry seq ${row.seq} of ${period.label}`);
      }
    }
    count += rows.length;
    if (rows.length < 10000) return count;
    cursor = BigInt(rows[rows.length - 1].seq);
  }
}

/** Who ran the command, as the operating system knows them (the CLI has no control-plane session). */
function operatorName(): string {
  try {
    return `os:${os.userInfo().username}`;
  } catch {
    return 'os:unknown';
  }
}
