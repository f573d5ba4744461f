import fs from 'node:fs';
import path from 'node:path';
import type { GatewayConfig } from '../../shared/config/gateway-config.js';
import { type CheckpointRecord, checkpointFromRow, checkpointSignatureProblem } from './audit-checkpoint.js';
import { type AuditRange, type Queryable, verifyStoredLog } from '../archive/audit-log-reader.js';
import type { TrustedKeys } from './audit-signing-key.js';
import type { VerificationFailure, VerificationReport } from '../chain/audit-verifier.js';

/**
 * A copy of the checkpoints, outside the database: one JSON line each, appended to a file
 * (AUDIT_CHECKPOINT_JOURNAL, by default `DATA_DIR/audit-checkpoints.jsonl`).
 *
 * The chain and the checkpoints live in one database, so someone able to delete its newest
 * checkpoints together with their entries leaves a shorter log that still verifies. The journal
 * remembers what was sealed: verification finds the journal's newest checkpoints in the
 * database, unchanged, or says where the log was cut back. After each sealing round an instance
 * journals every checkpoint sealed since its journal's last line, by any instance (a new journal
 * starts at the newest), so each instance's journal follows the whole chain from its start.
 * Keep it where the database's administrators cannot rewrite it (a WORM volume, a file shipped
 * to syslog or a SIEM), one file per gateway process: appends from several hosts to one shared
 * file could interleave.
 */
export const JOURNAL_FILE = 'audit-checkpoints.jsonl';
/** Verification compares at most this many journal lines newer than the database's newest checkpoint. */
const MAX_LINES_COMPARED = 10_000;
const CHUNK_BYTES = 64 * 1024;

export function journalPath(config: Pick<GatewayConfig, 'AUDIT_CHECKPOINT_JOURNAL' | 'DATA_DIR'>): string {
  return config.AUDIT_CHECKPOINT_JOURNAL ?? path.join(config.DATA_DIR, JOURNAL_FILE);
}

/**
 * Appends checkpoints, oldest first, and waits for the disk. They start on a line of their own:
 * a crash mid-append may have left the last line cut short. Synchronous on purpose: once a
 * minute, a few hundred bytes, and nothing may interleave with the lines.
 */
export function appendToJournal(file: string, checkpoints: CheckpointRecord[]): void {
  if (checkpoints.length === 0) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'a+', 0o640);
  try {
    const { size } = fs.fstatSync(fd);
    const last = Buffer.alloc(1);
    const fresh = size === 0 || (fs.readSync(fd, last, 0, 1, size - 1) === 1 && last[0] === 0x0a);
    fs.writeSync(fd, `${fresh ? '' : '\n'}${checkpoints.map((c) => `${JSON.stringify(c)}\n`).join('')}`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export interface JournalTail {
  /** In journal order: every checkpoint after `through`, then back to the first at or before it. */
  checkpoints: CheckpointRecord[];
  /** Lines that are no checkpoint (a line cut short by a crash, or damage): passed over. */
  unreadable: number;
}

/**
 * The journal's last checkpoints, read from the end back to the first one at or before
 * `through` (all of them when it is null), so that its cost follows what is newer than the
 * database, not the journal's age.
 */
export function readJournalTail(file: string, through: bigint | null, maxLines = MAX_LINES_COMPARED): JournalTail {
  const tail: JournalTail = { checkpoints: [], unreadable: 0 };
  if (!fs.existsSync(file)) return tail;
  const fd = fs.openSync(file, 'r');
  try {
    let position = fs.fstatSync(fd).size;
    let carry = '';
    while (position > 0 || carry) {
      const length = Math.min(CHUNK_BYTES, position);
      position -= length;
      const chunk = Buffer.alloc(length);
      fs.readSync(fd, chunk, 0, length, position);
      const lines = (chunk.toString('utf8') + carry).split('\n');
      // The first piece may be the end of a line that starts in the chunk before.
      carry = position > 0 ? lines.shift()! : '';
      for (const text of lines.reverse()) {
        if (!text.trim()) continue;
        const checkpoint = parseLine(text);
        if (!checkpoint) tail.unreadable++;
        else {
          tail.checkpoints.unshift(checkpoint);
          if ((through !== null && BigInt(checkpoint.lastSeq) <= through) || tail.checkpoints.length >= maxLines) return tail;
        }
      }
    }
    return tail;
  } finally {
    fs.closeSync(fd);
  }
}

/** The last position the journal holds, or null when it holds none. */
export function lastJournalled(file: string): bigint | null {
  const newest = readJournalTail(file, null, 1).checkpoints[0];
  return newest ? BigInt(newest.lastSeq) : null;
}

const STRING_FIELDS = ['id', 'firstSeq', 'lastSeq', 'periodStart', 'periodEnd', 'lastEntryHash', 'createdAt', 'keyId', 'signature'] as const;

function parseLine(text: string): CheckpointRecord | null {
  try {
    const c = JSON.parse(text) as Record<string, unknown>;
    if (!c || typeof c !== 'object' || STRING_FIELDS.some((f) => typeof c[f] !== 'string') || typeof c.entryCount !== 'number') return null;
    return /^\d+$/.test(c.lastSeq as string) && /^\d+$/.test(c.firstSeq as string) ? (c as unknown as CheckpointRecord) : null;
  } catch {
    return null;
  }
}

export interface JournalCheck {
  file: string;
  /** Journal checkpoints compared with the database: those newer than its newest, and one more. */
  compared: number;
  unreadable: number;
  failures: VerificationFailure[];
}

/** Compares the journal's newest checkpoints with the database's: each must be there, as sealed. */
export async function checkJournal(db: Queryable, file: string, keys: TrustedKeys): Promise<JournalCheck> {
  const [{ newest }] = await db.query(`SELECT max(last_seq)::text AS newest FROM audit_checkpoints`);
  const { checkpoints, unreadable } = readJournalTail(file, newest === null ? null : BigInt(newest));
  const failures: VerificationFailure[] = [];
  if (checkpoints.length === 0) return { file, compared: 0, unreadable, failures };
  const rows: Array<Record<string, unknown>> = await db.query(`SELECT * FROM audit_checkpoints WHERE last_seq = ANY($1::bigint[])`, [
    checkpoints.map((c) => c.lastSeq),
  ]);
  const stored = new Map(rows.map(checkpointFromRow).map((c) => [c.lastSeq, c]));
  for (const c of checkpoints) {
    const what = `checkpoint ${c.id} (seq ${c.firstSeq}..${c.lastSeq}, sealed ${c.createdAt})`;
    const inDatabase = stored.get(c.lastSeq);
    if (inDatabase && inDatabase.firstSeq === c.firstSeq && inDatabase.lastEntryHash === c.lastEntryHash && inDatabase.signature === c.signature) continue;
    const problem = checkpointSignatureProblem(c, keys);
    const unsigned = problem ? ` (the journal's copy does not verify either: ${problem})` : '';
    if (!inDatabase) {
      failures.push({
        kind: 'checkpoint-journal',
        seq: c.firstSeq,
        checkpointId: c.id,
        message: `${what} is in the journal but not in the database: the log was cut back (its newest entries and checkpoints deleted) or restored from an older copy${unsigned}`,
      });
    } else {
      failures.push({ kind: 'checkpoint-journal', seq: c.lastSeq, checkpointId: inDatabase.id, message: `checkpoint ${inDatabase.id} in the database is not the journal's ${what}: it was replaced${unsigned}` });
    }
  }
  return { file, compared: checkpoints.length, unreadable, failures };
}

/**
 * The stored log over `range` verified (verifyStoredLog), and the journal compared with the
 * database: one report holding both's findings, and what the journal check saw.
 */
export async function verifyStoredLogAndJournal(
  db: Queryable,
  range: AuditRange,
  keys: TrustedKeys,
  journalFile: string,
): Promise<{ report: VerificationReport; journal: JournalCheck }> {
  const journal = await checkJournal(db, journalFile, keys);
  const report = await verifyStoredLog(db, range, keys);
  if (journal.failures.length === 0) return { report, journal };
  return {
    report: { ...report, ok: false, failures: [...report.failures, ...journal.failures], failureCount: report.failureCount + journal.failures.length },
    journal,
  };
}
