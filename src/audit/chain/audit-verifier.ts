import { type ChainedEntry, entryHash, GENESIS_HASH } from './audit-chain.js';
import { type CheckpointRecord, checkpointSignatureProblem } from '../checkpoints/audit-checkpoint.js';
import type { TrustedKeys } from '../checkpoints/audit-signing-key.js';

export type FailureKind =
  | 'missing' // entries absent from the chain (deleted)
  | 'duplicate' // two entries claim one position (inserted)
  | 'chain-broken' // prev_hash does not link to the entry before (inserted or replaced)
  | 'altered' // contents do not match entry_hash (edited, swapped or forged)
  | 'out-of-order' // rows stored in another order than their chain positions (reordered)
  | 'checkpoint-signature' // checkpoint altered, or signed by an unknown key
  | 'checkpoint-invalid' // checkpoint contradicts itself (count vs range)
  | 'checkpoint-gap' // checkpoints do not follow each other (one deleted)
  | 'checkpoint-mismatch' // entries no longer match what a checkpoint sealed (chain recomputed)
  | 'checkpoint-journal'; // a checkpoint of the journal outside the database is gone or replaced (log cut back)

export interface VerificationFailure {
  kind: FailureKind;
  /** The chain position where the problem shows (for a checkpoint: where its range starts or ends). */
  seq: string;
  entryId?: string;
  checkpointId?: string;
  message: string;
}

export interface VerificationReport {
  ok: boolean;
  startSeq: string;
  endSeq: string | null;
  entriesChecked: number;
  checkpointsChecked: number;
  /** False when the range starts mid-chain with nothing trusted to link its first entry to. */
  anchored: boolean;
  /** Last position covered by a checkpoint in the range, if any. */
  sealedThroughSeq: string | null;
  /** Entries after the last checkpoint: their chain holds, but nothing signed vouches for them yet. */
  unsealedEntries: number;
  /** In chain order: `failures[0]` is the first place where the log does not match. */
  failures: VerificationFailure[];
  /** How many failures there were in all (`failures` keeps the first `maxFailures`). */
  failureCount: number;
}

export interface VerifyOptions {
  /** First chain position to expect (default 1, the beginning of the chain). */
  startSeq?: string;
  /** Last chain position to expect: entries missing before it are reported. */
  endSeq?: string;
  /** `entry_hash` of entry `startSeq - 1`, when the caller already trusts it. */
  anchorHash?: string;
  /** Checkpoints overlapping the range (and the one ending at `startSeq - 1`, as anchor). */
  checkpoints: CheckpointRecord[];
  trustedKeys: TrustedKeys;
  maxFailures?: number;
}

/** Order of reports at one position: a bad checkpoint before its entries, its seal check after. */
const enum Phase {
  CheckpointStart = 0,
  Entry = 1,
  CheckpointEnd = 2,
}

interface OpenCheckpoint {
  checkpoint: CheckpointRecord;
  last: bigint;
  /** Whether the range starts inside it (its period can then not be compared). */
  partial: boolean;
  /** Failures before its first entry: entry failures inside it already explain a period change. */
  failuresBefore: number;
  minOccurredAt: string | null;
  maxOccurredAt: string | null;
}

/**
 * Recomputes the hash chain and the checkpoints over a range of audit entries, fed in chain
 * order (`add`), and reports every place that does not match. Pure: no database, no clock, so
 * that an export verifies offline exactly as the live log does.
 */
export class AuditChainVerifier {
  private readonly failures: Array<VerificationFailure & { order: [bigint, Phase, number] }> = [];
  private failureCount = 0;
  private readonly maxFailures: number;
  private readonly start: bigint;
  private readonly end: bigint | null;
  private readonly checkpoints: CheckpointRecord[];
  private readonly anchored: boolean;
  private expected: bigint;
  private prevHash: string | null;
  private prevId: bigint | null = null;
  private entries = 0;
  private lastSeqSeen: bigint | null = null;
  private nextCheckpoint = 0;
  private open: OpenCheckpoint | null = null;
  private sealedThrough: bigint | null = null;
  private unsealed = 0;

  constructor(private readonly options: VerifyOptions) {
    this.maxFailures = options.maxFailures ?? 100;
    this.start = BigInt(options.startSeq ?? '1');
    this.checkpoints = [...options.checkpoints].sort((a, b) => compare(BigInt(a.lastSeq), BigInt(b.lastSeq)));
    const lastSealed = this.checkpoints.length ? BigInt(this.checkpoints[this.checkpoints.length - 1].lastSeq) : null;
    const end = options.endSeq !== undefined ? BigInt(options.endSeq) : null;
    // Checkpoints vouch that their entries exist: expect at least up to the last one.
    this.end = end === null ? lastSealed : lastSealed === null || end > lastSealed ? end : lastSealed;
    this.expected = this.start;
    this.checkCheckpoints();
    const anchor = this.checkpoints.find((c) => BigInt(c.lastSeq) === this.start - 1n);
    this.prevHash = options.anchorHash ?? (this.start === 1n ? GENESIS_HASH : anchor?.lastEntryHash.trim() ?? null);
    this.anchored = this.prevHash !== null;
    if (anchor) this.sealedThrough = this.start - 1n;
    while (this.nextCheckpoint < this.checkpoints.length && BigInt(this.checkpoints[this.nextCheckpoint].lastSeq) < this.start) {
      this.nextCheckpoint++;
    }
  }

  /** The next stored entry, in chain order (`ORDER BY seq`). */
  add(entry: ChainedEntry): void {
    const seq = BigInt(entry.seq);
    const id = BigInt(entry.id);
    const failuresBefore = this.failureCount;
    const previousId = this.prevId;
    this.entries++;
    if (this.prevId !== null && id <= this.prevId && this.lastSeqSeen !== null && seq > this.lastSeqSeen) {
      this.fail('out-of-order', seq, Phase.Entry, `entry seq ${seq} (row ${id}) was stored before entry seq ${this.lastSeqSeen} (row ${this.prevId}), which precedes it in the chain: that entry was inserted later, or rows were reordered`, { entryId: entry.id });
    }
    this.prevId = id;
    if (seq < this.expected) {
      this.fail('duplicate', seq, Phase.Entry, `a second entry claims seq ${seq} (row ${id}): an entry was inserted`, { entryId: entry.id });
      return;
    }
    this.lastSeqSeen = seq;
    let linkKnown = this.prevHash !== null;
    if (seq > this.expected) {
      this.fail('missing', this.expected, Phase.Entry, `${range(this.expected, seq - 1n)} missing before entry seq ${seq} (row ${id}): deleted from the log`, { entryId: entry.id });
      linkKnown = false;
    }
    if (linkKnown && entry.prevHash !== this.prevHash) {
      this.fail('chain-broken', seq, Phase.Entry, `entry seq ${seq} (row ${id}) does not link to ${previousId === null ? 'the anchor before it' : `entry seq ${seq - 1n} (row ${previousId})`} (prev_hash ${entry.prevHash}, expected ${this.prevHash}): one of the two was inserted or replaced`, { entryId: entry.id });
    }
    const computed = entryHash(entry, entry.prevHash);
    if (computed !== entry.entryHash) {
      this.fail('altered', seq, Phase.Entry, `entry seq ${seq} (row ${id}) does not match its entry_hash: its contents were altered, swapped or forged`, { entryId: entry.id });
    }
    this.trackCheckpoint(seq, entry, failuresBefore);
    this.prevHash = entry.entryHash;
    this.expected = seq + 1n;
  }

  finish(): VerificationReport {
    if (this.end !== null && this.expected <= this.end) {
      this.fail('missing', this.expected, Phase.Entry, `${range(this.expected, this.end)} missing at the end of the range: deleted from the log`);
    }
    this.failures.sort((a, b) => compare(a.order[0], b.order[0]) || a.order[1] - b.order[1] || a.order[2] - b.order[2]);
    return {
      ok: this.failureCount === 0,
      startSeq: String(this.start),
      endSeq: this.end === null ? (this.lastSeqSeen === null ? null : String(this.lastSeqSeen)) : String(this.end),
      entriesChecked: this.entries,
      checkpointsChecked: this.checkpoints.length,
      anchored: this.anchored,
      sealedThroughSeq: this.sealedThrough === null ? null : String(this.sealedThrough),
      unsealedEntries: this.unsealed,
      failures: this.failures.map(({ order: _order, ...failure }) => failure),
      failureCount: this.failureCount,
    };
  }

  /** What a checkpoint says about itself and its neighbours, checked before any entry. */
  private checkCheckpoints(): void {
    let previous: CheckpointRecord | null = null;
    for (const c of this.checkpoints) {
      const first = BigInt(c.firstSeq);
      const last = BigInt(c.lastSeq);
      const at = first < this.start ? this.start : first;
      const signature = checkpointSignatureProblem(c, this.options.trustedKeys);
      if (signature) this.fail('checkpoint-signature', at, Phase.CheckpointStart, `checkpoint ${c.id} (seq ${c.firstSeq}..${c.lastSeq}): ${signature}`, { checkpointId: c.id });
      if (last < first || BigInt(c.entryCount) !== last - first + 1n) {
        this.fail('checkpoint-invalid', at, Phase.CheckpointStart, `checkpoint ${c.id} claims ${c.entryCount} entries for seq ${c.firstSeq}..${c.lastSeq}`, { checkpointId: c.id });
      }
      if (previous && first !== BigInt(previous.lastSeq) + 1n) {
        const message = first > BigInt(previous.lastSeq) + 1n
          ? `no checkpoint seals ${range(BigInt(previous.lastSeq) + 1n, first - 1n)} between checkpoints ${previous.id} and ${c.id}: a checkpoint was deleted`
          : `checkpoint ${c.id} (seq ${c.firstSeq}..${c.lastSeq}) overlaps checkpoint ${previous.id} (seq ${previous.firstSeq}..${previous.lastSeq})`;
        this.fail('checkpoint-gap', at, Phase.CheckpointStart, message, { checkpointId: c.id });
      } else if (!previous && first > this.start) {
        this.fail('checkpoint-gap', this.start, Phase.CheckpointStart, `no checkpoint seals ${range(this.start, first - 1n)} although checkpoint ${c.id} seals later entries: a checkpoint was deleted`, { checkpointId: c.id });
      }
      previous = c;
    }
  }

  /** Follows the checkpoint whose range holds `seq`, and compares it when its last entry passes. */
  private trackCheckpoint(seq: bigint, entry: ChainedEntry, failuresBefore: number): void {
    this.skipCheckpointsBefore(seq, failuresBefore);
    const open = this.open;
    if (!open) {
      this.unsealed++;
      return;
    }
    if (open.minOccurredAt === null || entry.occurredAt < open.minOccurredAt) open.minOccurredAt = entry.occurredAt;
    if (open.maxOccurredAt === null || entry.occurredAt > open.maxOccurredAt) open.maxOccurredAt = entry.occurredAt;
    if (seq !== open.last) return;
    const c = open.checkpoint;
    if (entry.entryHash !== c.lastEntryHash.trim()) {
      this.fail('checkpoint-mismatch', open.last, Phase.CheckpointEnd, `checkpoint ${c.id} sealed seq ${c.firstSeq}..${c.lastSeq} ending in entry_hash ${c.lastEntryHash}, but entry seq ${seq} now has ${entry.entryHash}: entries in that range were altered, inserted or deleted and the chain recomputed`, { checkpointId: c.id, entryId: entry.id });
    } else if (!open.partial && this.failureCount === open.failuresBefore && (open.minOccurredAt !== c.periodStart || open.maxOccurredAt !== c.periodEnd)) {
      this.fail('checkpoint-mismatch', open.last, Phase.CheckpointEnd, `checkpoint ${c.id} sealed entries from ${c.periodStart} to ${c.periodEnd}, but seq ${c.firstSeq}..${c.lastSeq} now span ${open.minOccurredAt} to ${open.maxOccurredAt}: their times were altered`, { checkpointId: c.id });
    }
    this.sealedThrough = open.last;
    this.open = null;
  }

  /**
   * Makes `open` the checkpoint whose range holds `seq`, if any. One whose last entry never came
   * is dropped (that entry is reported missing); one entered after its first entry is `partial`.
   */
  private skipCheckpointsBefore(seq: bigint, failuresBefore: number): void {
    if (this.open && this.open.last < seq) this.open = null;
    while (this.nextCheckpoint < this.checkpoints.length && BigInt(this.checkpoints[this.nextCheckpoint].lastSeq) < seq) {
      this.nextCheckpoint++;
    }
    if (this.open || this.nextCheckpoint >= this.checkpoints.length) return;
    const c = this.checkpoints[this.nextCheckpoint];
    const first = BigInt(c.firstSeq);
    if (first > seq) return;
    this.open = { checkpoint: c, last: BigInt(c.lastSeq), partial: first < seq, failuresBefore, minOccurredAt: null, maxOccurredAt: null };
    this.nextCheckpoint++;
  }

  private fail(kind: FailureKind, seq: bigint, phase: Phase, message: string, where: { entryId?: string; checkpointId?: string } = {}): void {
    this.failureCount++;
    if (this.failures.length < this.maxFailures) {
      this.failures.push({ kind, seq: String(seq), ...where, message, order: [seq, phase, this.failureCount] });
    }
  }
}

/** Verifies a whole range held in memory (an export, a test). */
export function verifyAuditChain(entries: Iterable<ChainedEntry>, options: VerifyOptions): VerificationReport {
  const verifier = new AuditChainVerifier(options);
  for (const entry of entries) verifier.add(entry);
  return verifier.finish();
}

function range(from: bigint, to: bigint): string {
  return from === to ? `entry seq ${from} is` : `entries seq ${from}..${to} are`;
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
