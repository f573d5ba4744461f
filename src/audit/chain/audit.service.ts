import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../../shared/config/gateway-config.js';
import { PreparedStatement } from '../../shared/database/prepared-statement.js';
import type { AUDIT_TARGETS_VI } from '../../shared/i18n/audit-targets.vi.js';
import { withAdvisoryLock } from './advisory-lock.js';
import type { Queryable } from '../archive/audit-log-reader.js';
import { ensurePartitions } from '../archive/audit-partitions.js';
import { asStoredText, type ChainedFields, CURRENT_ENTRY_FORMAT, entryHash } from './audit-chain.js';

/** A person named in an entry (the holder name is the one at the time). */
export interface AuditPerson {
  /** Null for a sign-in with a username no account has. */
  accountId: string | null;
  username: string;
  holderName: string | null;
  role?: string | null;
}

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
  /** Control plane: the route's declared action. */
  action?: string | null;
  actor?: AuditPerson | null;
  /** Under delegation: who actually acted for `actor`. */
  assistant?: AuditPerson | null;
  /** A key of the targets' Vietnamese vocabulary (the console shows it in words). */
  target?: { type: keyof typeof AUDIT_TARGETS_VI; id: string } | null;
  /** SHA-256 (hex) of the request body. */
  payloadSha256?: string | null;
  /** A few facts worth keeping in the evidence itself (no secrets): stored as sorted JSON. */
  details?: Record<string, unknown> | null;
}

const MAX_GROUP = 500;

/**
 * Advisory lock key ('auditlog' in ASCII) that serialises appends to the chain across every
 * gateway instance on the database: one chain, no forks (the unique index on seq, one per monthly
 * partition, backs it up within a month).
 */
export const AUDIT_CHAIN_LOCK = '7022629598041763687';
const APPEND_SQL = 'SELECT audit_entries_append_rows($1, $2, $3::jsonb) AS stale';
/** PostgreSQL's unique_violation on a partition's `seq` index (`audit_entries_YYYY_MM_seq`). */
const isSeqTaken = (error: unknown) => (error as { code?: string }).code === '23505' && /_seq$/.test((error as { constraint?: string }).constraint ?? '');
/**
 * How often the chain head is recomputed from the log itself (ms): a head made wrong by what only
 * the owner can do (rows written into a partition directly, or changed with the triggers off)
 * lasts a minute at most.
 */
const HEAD_RECHECK_MS = 60_000;

/** The last link of the chain: the `seq` and `entry_hash` the next entry follows. */
interface ChainHead {
  seq: bigint;
  hash: string;
}

/**
 * Writes audit entries with group commit: callers await `record()`, and every entry that
 * arrives while one append is in flight goes into the next one. The gateway awaits this before a
 * response leaves, so nothing acknowledged to a client is missing from the log, while one append
 * serves many concurrent calls (one per call would cost the data plane a round trip each).
 *
 * A group is hashed onto the chain head this instance last wrote or saw, and appended by one
 * call of `audit_entries_append_rows` (migration 1798700000001), which takes the chain lock, checks
 * that head and inserts: one round trip, committed before `record()` resolves. If the head moved
 * (another instance wrote), the group is rehashed and appended while holding the chain lock, so
 * several instances still write one chain and each append makes progress. While another instance
 * keeps appending, this one takes the lock first (see `othersAppending`).
 */
@Injectable()
export class AuditService implements OnApplicationShutdown {
  private readonly logger = new Logger(AuditService.name);
  private queue: Array<{ record: AuditRecord; queuedAt: number; done: (e?: unknown) => void }> = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  /** `YYYY-MM` months whose partition this instance has seen to. */
  private readonly readyMonths = new Set<string>();
  /** The chain head as this instance last wrote or saw it; null until the first append. */
  private head: ChainHead | null = null;
  /** The head this instance's own last append left; null until the first, and after a failure. */
  private lastWritten: ChainHead | null = null;
  /**
   * Whether another instance appended since this one last did, as the chain lock last found the head.
   * While it does, an append without the lock would mostly find the head moved: a round trip, the
   * group's hashing and PostgreSQL's parse of the group for nothing (with two processes here, five
   * such tries in seven were refused). So appends take the lock first until one finds the head
   * where this instance left it.
   */
  private othersAppending = false;
  /** Whether the next append recomputes the head table from the log: at start, after a failure, each minute. */
  private resyncHead = true;
  /** When the head was last recomputed from the log (performance.now()). */
  private headRecheckedAt = 0;
  /** The append without the chain lock held, the usual case: prepared, as it runs for every group. */
  private readonly appendStatement: PreparedStatement<{ stale: string | null }>;
  /** When the last append failed (performance.now()), cleared by the next that succeeds: readiness reads it. */
  private lastWriteFailedAt: number | null = null;
  /** When the append in flight began (its entries have left the queue). */
  private flushStartedAt = 0;

  constructor(
    private readonly db: DataSource,
    private readonly config: GatewayConfig,
  ) {
    this.appendStatement = new PreparedStatement(db, 'audit_entries_append_rows', APPEND_SQL);
  }

  record(record: AuditRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, queuedAt: performance.now(), done: (e) => (e ? reject(e) : resolve()) });
      this.schedule();
    });
  }

  /**
   * A group goes once its oldest entry has waited AUDIT_FLUSH_DELAY_MS for company, counting the
   * time it spent queued behind the append in flight: under load, entries that queued during an
   * append have usually waited long enough already, and go at once instead of paying the delay
   * on top of that wait.
   */
  private schedule(): void {
    if (this.scheduled || this.flushing || this.queue.length === 0) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.flushStartedAt = performance.now();
      this.flushing = this.flush().finally(() => {
        this.flushing = null;
        this.schedule();
      });
    };
    const wait = this.config.AUDIT_FLUSH_DELAY_MS - (performance.now() - this.queue[0].queuedAt);
    if (wait > 0) setTimeout(run, wait);
    else setImmediate(run);
  }

  private async flush(): Promise<void> {
    const group = this.queue.splice(0, MAX_GROUP);
    if (group.length === 0) return;
    const unchained = group.map(({ record }) => chainedFields(record));
    let written = false;
    const answer = () => {
      written = true;
      this.lastWriteFailedAt = null;
      group.forEach((g) => g.done());
    };
    try {
      await this.ensureMonths(this.db, unchained.map((u) => u.occurredAt));
      if (performance.now() - this.headRecheckedAt > HEAD_RECHECK_MS) this.resyncHead = true;
      // The usual case: no lock of our own, the head this instance last wrote or saw.
      if (this.head && !this.resyncHead && !this.othersAppending && (await this.appendUnlessSeqTaken((values) => this.appendStatement.rows(values), this.head, unchained))) return answer();
      await withAdvisoryLock(this.db, AUDIT_CHAIN_LOCK, async (connection) => {
        // Entries queued while the lock was awaited (another instance appending) join this group
        // rather than wait for the lock again: with two processes taking turns, groups were half
        // the size and each turn costs PostgreSQL three statements more than an unlocked append.
        const joining = this.queue.splice(0, MAX_GROUP - group.length);
        if (joining.length > 0) {
          const more = joining.map(({ record }) => chainedFields(record));
          await this.ensureMonths(connection, more.map((u) => u.occurredAt));
          group.push(...joining);
          unchained.push(...more);
        }
        const run = (values: unknown[]) => connection.query(APPEND_SQL, values);
        // A second try only after a seq already taken, with the head recomputed from the log.
        for (let attempt = 1; !(await this.appendUnlessSeqTaken(run, await this.lockedHead(connection), unchained)); attempt++) {
          if (attempt === 2 || !this.resyncHead) throw new Error('the audit chain head moved while its lock was held');
        }
        // Committed: the waiting responses may leave while the lock is released.
        answer();
      });
    } catch (error) {
      if (written) return void this.logger.warn(`Audit chain lock release failed after a committed write: ${(error as Error).message}`);
      this.head = null;
      this.lastWritten = null;
      this.resyncHead = true;
      this.lastWriteFailedAt = performance.now();
      this.logger.error(`Could not write ${group.length} audit entries: ${(error as Error).message}`);
      group.forEach((g) => g.done(error));
    }
  }

  /** The chain head, read holding the chain lock: it says whether another instance is appending. */
  private async lockedHead(connection: Queryable): Promise<ChainHead> {
    const head = await this.chainHead(connection);
    const mine = this.lastWritten;
    this.othersAppending = mine !== null && (mine.seq !== head.seq || mine.hash !== head.hash);
    return head;
  }

  /**
   * The chain head from its one-row table (migration 1798600000001), recomputed from the log
   * itself at start, after a failed append and each minute, in case the owner altered the log
   * behind it.
   */
  private async chainHead(connection: Queryable): Promise<ChainHead> {
    const [head]: Array<{ seq: string; entry_hash: string }> = await connection.query('SELECT seq, entry_hash FROM audit_chain_head($1)', [this.resyncHead]);
    if (this.resyncHead) this.headRecheckedAt = performance.now();
    this.resyncHead = false;
    return { seq: BigInt(head.seq), hash: head.entry_hash };
  }

  /**
   * As `append`, but a `seq` already taken in the month (the head table behind the log, after
   * rows the owner wrote around its trigger) is a stale head: the locked append then recomputes it.
   */
  private async appendUnlessSeqTaken(run: (values: unknown[]) => Promise<Array<{ stale: string | null }>>, head: ChainHead, unchained: Array<Omit<ChainedFields, 'seq'>>): Promise<boolean> {
    try {
      return await this.append(run, head, unchained);
    } catch (error) {
      if (!isSeqTaken(error)) throw error;
      this.logger.warn(`The audit chain head was behind the log (${(error as Error).message}): recomputing it`);
      this.resyncHead = true;
      return false;
    }
  }

  /**
   * Hashes the group onto `head` and appends it if `head` is still the chain's last link; false
   * if it is not (nothing written). Either way `this.head` is left at the chain's actual head.
   */
  private async append(run: (values: unknown[]) => Promise<Array<{ stale: string | null }>>, head: ChainHead, unchained: Array<Omit<ChainedFields, 'seq'>>): Promise<boolean> {
    let seq = head.seq;
    let prevHash = head.hash;
    const rows = unchained.map((u) => {
      const f: ChainedFields = { seq: String(++seq), ...u };
      const hash = entryHash(f, prevHash);
      const row = appendedRow(f, prevHash, hash);
      prevHash = hash;
      return row;
    });
    const [{ stale }] = await run([String(head.seq), head.hash, JSON.stringify(rows)]);
    if (stale === null) {
      this.head = this.lastWritten = { seq, hash: prevHash };
      return true;
    }
    const [actualSeq, actualHash] = stale.split(':');
    this.head = { seq: BigInt(actualSeq), hash: actualHash };
    return false;
  }

  /**
   * The log is partitioned by month (audit-partitions.ts) and has no catch-all partition: the
   * first time this instance writes into a month, it makes sure the month's partition exists.
   */
  private async ensureMonths(connection: Queryable, occurredAt: string[]): Promise<void> {
    const months = [...new Set(occurredAt.map((t) => t.slice(0, 7)))].filter((m) => !this.readyMonths.has(m));
    if (months.length === 0) return;
    const times = occurredAt.map((t) => Date.parse(t));
    await ensurePartitions(connection, new Date(Math.min(...times)), new Date(Math.max(...times)));
    months.forEach((m) => this.readyMonths.add(m));
  }

  /**
   * For readiness and metrics (src/operations), without a query: entries waiting to be written,
   * how long the oldest has waited (queued, or in the append under way), and how long ago the
   * last write failed if no write has succeeded since (null: the last write succeeded).
   */
  status(): { queued: number; oldestWaitingMs: number; lastFailureMsAgo: number | null } {
    const now = performance.now();
    const queuedFor = this.queue.length ? now - this.queue[0].queuedAt : 0;
    const inFlightFor = this.flushing ? now - this.flushStartedAt : 0;
    return { queued: this.queue.length, oldestWaitingMs: Math.max(queuedFor, inFlightFor), lastFailureMsAgo: this.lastWriteFailedAt === null ? null : now - this.lastWriteFailedAt };
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

type Linked = { f: ChainedFields; prevHash: string; entryHash: string };

/**
 * The columns `audit_entries_append_rows` inserts, in the order it reads an entry's values
 * (migration 1798700000001: an array per entry costs PostgreSQL half what an object keyed by
 * column names did). A test compares the function's column list with these names.
 */
const APPEND_COLUMNS: ReadonlyArray<readonly [string, (l: Linked) => unknown]> = [
  ['seq', (l) => l.f.seq], ['occurred_at', (l) => l.f.occurredAt], ['request_id', (l) => l.f.requestId],
  ['plane', (l) => l.f.plane], ['environment', (l) => l.f.environment], ['connection_id', (l) => l.f.connectionId],
  ['certificate_thumbprint', (l) => l.f.certificateThumbprint], ['source_address', (l) => l.f.sourceAddress],
  ['method', (l) => l.f.method], ['path', (l) => l.f.path], ['status_code', (l) => l.f.statusCode],
  ['outcome', (l) => l.f.outcome], ['error_code', (l) => l.f.errorCode], ['duration_ms', (l) => l.f.durationMs],
  ['entry_format', (l) => l.f.format], ['action', (l) => l.f.action], ['actor_account_id', (l) => l.f.actorAccountId],
  ['actor_username', (l) => l.f.actorUsername], ['actor_holder_name', (l) => l.f.actorHolderName],
  ['actor_role', (l) => l.f.actorRole], ['assistant_account_id', (l) => l.f.assistantAccountId],
  ['assistant_username', (l) => l.f.assistantUsername], ['assistant_holder_name', (l) => l.f.assistantHolderName],
  ['target_type', (l) => l.f.targetType], ['target_id', (l) => l.f.targetId],
  ['payload_sha256', (l) => l.f.payloadSha256], ['details', (l) => l.f.details],
  ['prev_hash', (l) => l.prevHash], ['entry_hash', (l) => l.entryHash],
];
export const APPEND_COLUMN_NAMES = APPEND_COLUMNS.map(([name]) => name);

/** An entry as `audit_entries_append_rows` reads it: its values in the order of APPEND_COLUMN_NAMES. */
export function appendedRow(f: ChainedFields, prevHash: string, entryHash: string): unknown[] {
  const linked = { f, prevHash, entryHash };
  return APPEND_COLUMNS.map(([, value]) => value(linked));
}

/**
 * A record as the columns will hold it, so that the hash computed now verifies when read back:
 * text cut to its column's length (an over-long value must not make the INSERT, and so every
 * call in its group, fail) and made storable.
 */
export function chainedFields(r: AuditRecord): Omit<ChainedFields, 'seq'> {
  return {
    occurredAt: r.occurredAt.toISOString(),
    requestId: r.requestId.toLowerCase(),
    plane: r.plane,
    environment: r.environment,
    connectionId: r.connectionId?.toLowerCase() ?? null,
    certificateThumbprint: r.certificateThumbprint,
    sourceAddress: stored(r.sourceAddress, 64)!,
    method: stored(r.method, 10)!,
    path: asStoredText(r.path),
    statusCode: r.statusCode,
    outcome: r.statusCode >= 500 ? 'failed' : r.statusCode >= 400 ? 'rejected' : 'success',
    errorCode: stored(r.errorCode, 64),
    durationMs: r.durationMs,
    format: CURRENT_ENTRY_FORMAT,
    action: stored(r.action, 64),
    actorAccountId: uuidOrNull(r.actor?.accountId),
    actorUsername: stored(r.actor?.username, 100),
    actorHolderName: stored(r.actor?.holderName, 200),
    actorRole: stored(r.actor?.role, 32),
    assistantAccountId: uuidOrNull(r.assistant?.accountId),
    assistantUsername: stored(r.assistant?.username, 100),
    assistantHolderName: stored(r.assistant?.holderName, 200),
    targetType: stored(r.target?.type, 40),
    targetId: stored(r.target?.id, 100),
    payloadSha256: r.payloadSha256 && /^[0-9a-f]{64}$/.test(r.payloadSha256) ? r.payloadSha256 : null,
    details: r.details && Object.keys(r.details).length ? asStoredText(canonicalJson(r.details)) : null,
  };
}

function stored(value: string | null | undefined, length: number): string | null {
  return value === null || value === undefined ? null : asStoredText(value.slice(0, length));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidOrNull(value: string | null | undefined): string | null {
  return value && UUID.test(value) ? value.toLowerCase() : null;
}

/** JSON with object keys sorted at every level, undefined members left out. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}
