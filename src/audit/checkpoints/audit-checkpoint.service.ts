import { Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../../shared/config/gateway-config.js';
import { withAdvisoryLock } from '../chain/advisory-lock.js';
import { appendToJournal, journalPath, lastJournalled } from './audit-checkpoint-journal.js';
import { type ChainedEntry } from '../chain/audit-chain.js';
import { canonicalCheckpoint, type CheckpointRecord, checkpointFromRow, checkpointSignatureProblem } from './audit-checkpoint.js';
import { type Queryable, readEntries } from '../archive/audit-log-reader.js';
import { AuditSigningKey, trustedKeys } from './audit-signing-key.js';
import { AuditChainVerifier, type VerificationReport } from '../chain/audit-verifier.js';
import { AuditService } from '../chain/audit.service.js';

/** Advisory lock key ('auditckp' in ASCII): one instance seals a range, not two. */
export const AUDIT_CHECKPOINT_LOCK = '7022629598041172848';
export const SEAL_INTERVAL_MS = 60_000;
/** How long a stopping gateway gives its last seal. */
const SHUTDOWN_SEAL_LIMIT_MS = 10_000;
/** A longer backlog (after a long pause in sealing) is sealed as several checkpoints. */
export const MAX_ENTRIES_PER_CHECKPOINT = 100_000;
/** A journal that fell behind (an instance stopped for long) catches up this many checkpoints a round. */
const JOURNALLED_PER_ROUND = 1000;

export class AuditChainBrokenError extends Error {
  constructor(readonly report: VerificationReport) {
    super(`Refusing to seal a broken audit chain: ${report.failures[0]?.message ?? 'verification failed'}`);
  }
}

/**
 * Seals the audit entries written since the last checkpoint into a new signed checkpoint, every
 * {@link SEAL_INTERVAL_MS} on each instance (and on demand: `seal()`, `npm run cli -- audit:seal`).
 * The unsealed entries are verified first: the gateway never signs a chain that is already broken.
 */
@Injectable()
export class AuditCheckpointService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AuditCheckpointService.name);
  private key: AuditSigningKey | null = null;
  private timer: NodeJS.Timeout | null = null;
  private sealing: Promise<unknown> | null = null;
  private sealAtShutdown = false;

  constructor(
    private readonly db: DataSource,
    private readonly config: GatewayConfig,
    /** Absent where nothing is recorded (the operator CLI's audit:seal). */
    @Optional() private readonly audit?: AuditService,
  ) {}

  onModuleInit(): void {
    // sealInBackground() logs a failed round and resolves; the catch is the last guard of the timer.
    this.timer = setInterval(() => {
      this.sealInBackground().catch((error: Error) => this.logger.error(`Audit sealing round failed: ${error.message}`));
    }, SEAL_INTERVAL_MS).unref();
  }

  /** Stops the periodic sealing (shutdown; tests that seal by hand). */
  stopPeriodicSealing(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * The gateway process (main.ts) asks for a last seal when it stops, so that the entries of its
   * last minute do not wait, unsealed, for some instance's next periodic round (there may be none:
   * a gateway taken out of service). Not for operator commands or tests, which seal by hand.
   */
  enableSealAtShutdown(): void {
    this.sealAtShutdown = true;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopPeriodicSealing();
    await this.sealing;
    if (!this.sealAtShutdown) return;
    await this.audit?.drain();
    // Bounded: a stop must not outlast its grace period; what is left is sealed by the next round.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), SHUTDOWN_SEAL_LIMIT_MS)));
    const outcome = await Promise.race([this.sealInBackground().then(() => 'sealed' as const), late]);
    clearTimeout(timer);
    if (outcome === 'late') this.logger.warn(`The last audit seal did not finish within ${SHUTDOWN_SEAL_LIMIT_MS / 1000} s; the next sealing round covers what it left`);
  }

  signingKey(): AuditSigningKey {
    this.key ??= AuditSigningKey.loadOrCreate(this.config);
    return this.key;
  }

  /**
   * Seals everything written so far and journals the new checkpoints outside the database;
   * returns the checkpoints this call sealed (none when nothing was pending).
   */
  async seal(): Promise<CheckpointRecord[]> {
    const sealed = await this.sealPending();
    await this.journalNewCheckpoints();
    return sealed;
  }

  private async sealPending(): Promise<CheckpointRecord[]> {
    const sealed: CheckpointRecord[] = [];
    for (;;) {
      const [last] = await this.db.query(`SELECT * FROM audit_checkpoints ORDER BY last_seq DESC LIMIT 1`);
      const previous = last ? checkpointFromRow(last) : null;
      const [{ max }] = await this.db.query(`SELECT max(seq) AS max FROM audit_entries`);
      const first = previous ? BigInt(previous.lastSeq) + 1n : 1n;
      if (max === null || BigInt(max) < first) return sealed;
      const lastSeq = BigInt(max) < first + BigInt(MAX_ENTRIES_PER_CHECKPOINT) - 1n ? BigInt(max) : first + BigInt(MAX_ENTRIES_PER_CHECKPOINT) - 1n;
      const checkpoint = await this.sealRange(previous, first, lastSeq);
      if (checkpoint) sealed.push(checkpoint);
      // Otherwise another instance sealed meanwhile: continue after its checkpoint.
    }
  }

  private async sealRange(previous: CheckpointRecord | null, first: bigint, last: bigint): Promise<CheckpointRecord | null> {
    const { report, summary } = await verifyAndSummarise(this.db, previous, first, last);
    if (!report.ok) throw new AuditChainBrokenError(report);
    const key = this.signingKey();
    const unsigned = {
      firstSeq: String(first),
      lastSeq: String(last),
      entryCount: Number(last - first + 1n),
      periodStart: summary.periodStart,
      periodEnd: summary.periodEnd,
      lastEntryHash: summary.lastEntryHash,
      createdAt: new Date().toISOString(),
      keyId: key.keyId,
    };
    const signature = key.sign(canonicalCheckpoint(unsigned));
    // Only if no one sealed meanwhile: the lock orders instances, the condition covers processes
    // sharing one session (the CLI beside a gateway on the embedded database).
    const [row] = await withAdvisoryLock(this.db, AUDIT_CHECKPOINT_LOCK, (connection) => connection.query(
      `INSERT INTO audit_checkpoints (first_seq, last_seq, entry_count, period_start, period_end, last_entry_hash, created_at, key_id, signature)
       SELECT $1::bigint, $2::bigint, $3::integer, $4::timestamptz, $5::timestamptz, $6, $7::timestamptz, $8, $9
        WHERE (SELECT max(last_seq) FROM audit_checkpoints) IS NOT DISTINCT FROM $10::bigint
       RETURNING id`,
      [unsigned.firstSeq, unsigned.lastSeq, unsigned.entryCount, unsigned.periodStart, unsigned.periodEnd,
        unsigned.lastEntryHash, unsigned.createdAt, unsigned.keyId, signature, previous?.lastSeq ?? null],
    ));
    return row ? { id: String(row.id), ...unsigned, signature } : null;
  }

  /**
   * Appends to the journal (audit-checkpoint-journal.ts) the checkpoints sealed since its last
   * line, by this instance or another, that verify with the gateway's key; a new journal starts
   * at the newest. A failure is logged: the checkpoints are sealed in the database all the same.
   */
  private async journalNewCheckpoints(): Promise<void> {
    const file = journalPath(this.config);
    try {
      const through = lastJournalled(file);
      const rows: Array<Record<string, unknown>> = through === null
        ? await this.db.query(`SELECT * FROM audit_checkpoints ORDER BY last_seq DESC LIMIT 1`)
        : await this.db.query(`SELECT * FROM audit_checkpoints WHERE last_seq > $1 ORDER BY last_seq LIMIT ${JOURNALLED_PER_ROUND}`, [String(through)]);
      const keys = trustedKeys([this.signingKey().publicKey]);
      // Read again: the other plane of this process may have journalled them meanwhile.
      const now = lastJournalled(file);
      const fresh = rows.map(checkpointFromRow).filter((c) => now === null || BigInt(c.lastSeq) > now);
      appendToJournal(file, fresh.filter((c) => checkpointSignatureProblem(c, keys) === null));
    } catch (error) {
      this.logger.error(`Audit checkpoints not written to the journal ${file}: ${(error as Error).message}`);
    }
  }

  private async sealInBackground(): Promise<void> {
    if (this.sealing) return;
    this.sealing = this.seal()
      .then((sealed) => {
        for (const c of sealed) this.logger.log(`Sealed audit entries ${c.firstSeq}..${c.lastSeq} (checkpoint ${c.id})`);
      })
      .catch((error: Error) => this.logger.error(`Audit checkpoint failed: ${error.message}`))
      .finally(() => (this.sealing = null));
    await this.sealing;
  }
}

/** Verifies `first..last` against the last checkpoint's hash and collects what the seal signs. */
async function verifyAndSummarise(db: Queryable, previous: CheckpointRecord | null, first: bigint, last: bigint) {
  const verifier = new AuditChainVerifier({
    startSeq: String(first),
    endSeq: String(last),
    anchorHash: previous?.lastEntryHash,
    checkpoints: [],
    trustedKeys: new Map(),
  });
  let periodStart = '';
  let periodEnd = '';
  let lastEntry: ChainedEntry | null = null;
  for await (const entry of readEntries(db, String(first), String(last))) {
    verifier.add(entry);
    if (!periodStart || entry.occurredAt < periodStart) periodStart = entry.occurredAt;
    if (entry.occurredAt > periodEnd) periodEnd = entry.occurredAt;
    lastEntry = entry;
  }
  return { report: verifier.finish(), summary: { periodStart, periodEnd, lastEntryHash: lastEntry?.entryHash ?? '' } };
}
