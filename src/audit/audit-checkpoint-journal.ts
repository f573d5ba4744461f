import fs from 'node:fs';
import path from 'node:path';
import type { GatewayConfig } from '../shared/config/gateway-config.js';
import { type CheckpointRecord, checkpointFromRow, checkpointSignatureProblem } from './audit-checkpoint.js';
import type { Queryable } from './audit-log-reader.js';
import type { TrustedKeys } from './audit-signing-key.js';
import type { VerificationFailure, VerificationReport } from './audit-verifier.js';

/**
 * A copy of every checkpoint an instance seals, outside the database: one JSON line each, appended
 * to a file (AUDIT_CHECKPOINT_JOURNAL, by default `DATA_DIR/audit-checkpoints.jsonl`).
 *
 * The chain and the checkpoints live in one database, so someone able to delete its newest
 * checkpoints together with their entries leaves a shorter log that still verifies. The journal
 * remembers what was sealed: verification finds each journalled checkpoint in the database,
 * unchanged, or says where the log was cut back. Point it at storage the database's
 * administrators cannot rewrite (a WORM volume, a file shipped to syslog or a SIEM). With several
 * instances each keeps its own journal, a subset of the checkpoints; any one of them will do.
 */
export const JOURNAL_FILE = 'audit-checkpoints.jsonl';

export function journalPath(config: Pick<GatewayConfig, 'AUDIT_CHECKPOINT_JOURNAL' | 'DATA_DIR'>): string {
  return config.AUDIT_CHECKPOINT_JOURNAL ?? path.join(config.DATA_DIR, JOURNAL_FILE);
}

/**
 * Appends one checkpoint and waits for the disk. Synchronous on purpose: once a minute, a few
 * hundred bytes, and nothing else may interleave with the line.
 */
export function appendToJournal(file: string, checkpoint: CheckpointRecord): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'a', 0o640);
  try {
    fs.writeSync(fd, `${JSON.stringify(checkpoint)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export interface JournalCheck {
  file: string;
  /** Checkpoints the journal holds (0 when there is no journal yet). */
  checked: number;
  failures: VerificationFailure[];
}

/** Compares the journal with the database's checkpoints: each must be there, as it was sealed. */
export async function checkJournal(db: Queryable, file: string, keys: TrustedKeys): Promise<JournalCheck> {
  const failures: VerificationFailure[] = [];
  const fail = (seq: string, message: string, checkpointId?: string) =>
    failures.push({ kind: 'checkpoint-journal', seq, message, ...(checkpointId ? { checkpointId } : {}) });
  const journalled = readJournal(file, (line, problem) => fail('0', `journal ${file}, line ${line}: ${problem}`));
  if (journalled.length === 0) return { file, checked: 0, failures };

  const rows: Array<Record<string, unknown>> = await db.query(`SELECT * FROM audit_checkpoints WHERE last_seq = ANY($1::bigint[])`, [
    journalled.map((c) => c.lastSeq),
  ]);
  const stored = new Map(rows.map(checkpointFromRow).map((c) => [c.lastSeq, c]));
  for (const c of journalled) {
    const problem = checkpointSignatureProblem(c, keys);
    const what = `checkpoint ${c.id} (seq ${c.firstSeq}..${c.lastSeq}, sealed ${c.createdAt})`;
    const inDatabase = stored.get(c.lastSeq);
    if (problem) fail(c.lastSeq, `the journal's ${what} does not verify: ${problem}`);
    else if (!inDatabase) fail(c.firstSeq, `${what} is in the journal but not in the database: the log was cut back (its newest entries and checkpoints deleted) or restored from an older copy`, c.id);
    else if (inDatabase.firstSeq !== c.firstSeq || inDatabase.lastEntryHash !== c.lastEntryHash || inDatabase.signature !== c.signature) {
      fail(c.lastSeq, `checkpoint ${inDatabase.id} in the database is not the journal's ${what}: it was replaced`, inDatabase.id);
    }
  }
  return { file, checked: journalled.length, failures };
}

/**
 * The journal's checkpoints. A last line cut short (a crash mid-append) is left out; any other
 * line that is not a checkpoint is reported.
 */
function readJournal(file: string, report: (line: number, problem: string) => void): CheckpointRecord[] {
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.pop(); // after the last newline: nothing, or a line cut short by a crash mid-append
  const checkpoints: CheckpointRecord[] = [];
  lines.forEach((text, i) => {
    if (!text.trim()) return;
    try {
      const c = JSON.parse(text) as CheckpointRecord;
      if (typeof c.lastSeq !== 'string' || !/^\d+$/.test(c.lastSeq) || typeof c.signature !== 'string') throw new Error('not a checkpoint');
      checkpoints.push(c);
    } catch {
      report(i + 1, 'not a checkpoint record');
    }
  });
  return checkpoints;
}

/** The report with the journal's findings added. */
export function withJournal(report: VerificationReport, check: JournalCheck): VerificationReport {
  if (check.failures.length === 0) return report;
  return { ...report, ok: false, failures: [...report.failures, ...check.failures], failureCount: report.failureCount + check.failures.length };
}
