import { type ChainedEntry, type ChainedFields, entryHash, GENESIS_HASH } from './audit-chain.js';
import { canonicalCheckpoint, type CheckpointRecord } from '../checkpoints/audit-checkpoint.js';
import { AuditSigningKey, trustedKeys } from '../checkpoints/audit-signing-key.js';
import { verifyAuditChain, type VerifyOptions } from './audit-verifier.js';

const key = AuditSigningKey.generate();
const keys = trustedKeys([key.publicKey]);

function fields(seq: number): ChainedFields {
  return {
    seq: String(seq),
    occurredAt: new Date(Date.UTC(2026, 10, 23, 8, 0, seq)).toISOString(),
    requestId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    plane: 'data',
    environment: 'test',
    connectionId: null,
    certificateThumbprint: 'ab'.repeat(32),
    sourceAddress: '127.0.0.1',
    method: 'GET',
    path: `/api/v1/task-results?page=${seq}`,
    statusCode: 200,
    outcome: 'success',
    errorCode: null,
    durationMs: seq,
  };
}

/** Links entries (recomputing every hash from `from` on, as a careful forger would). */
function relink(entries: ChainedEntry[], prevHash = GENESIS_HASH): ChainedEntry[] {
  return entries.map((e) => {
    const linked = { ...e, prevHash, entryHash: entryHash(e, prevHash) };
    prevHash = linked.entryHash;
    return linked;
  });
}

function chain(count: number): ChainedEntry[] {
  return relink(Array.from({ length: count }, (_, i) => ({ id: String(100 + i), ...fields(i + 1), prevHash: '', entryHash: '' })));
}

function seal(entries: ChainedEntry[], first: number, last: number, id: number, by = key): CheckpointRecord {
  const range = entries.filter((e) => Number(e.seq) >= first && Number(e.seq) <= last);
  const times = range.map((e) => e.occurredAt).sort();
  const unsigned = {
    firstSeq: String(first),
    lastSeq: String(last),
    entryCount: last - first + 1,
    periodStart: times[0],
    periodEnd: times[times.length - 1],
    lastEntryHash: range[range.length - 1].entryHash,
    createdAt: '2026-11-23T09:00:00.000Z',
    keyId: by.keyId,
  };
  return { id: String(id), ...unsigned, signature: by.sign(canonicalCheckpoint(unsigned)) };
}

function verify(entries: ChainedEntry[], checkpoints: CheckpointRecord[], options: Partial<VerifyOptions> = {}) {
  return verifyAuditChain(entries, { checkpoints, trustedKeys: keys, ...options });
}

describe('AuditChainVerifier', () => {
  const entries = chain(10);
  const checkpoints = [seal(entries, 1, 4, 1), seal(entries, 5, 8, 2)];

  it('accepts an intact chain and reports what is sealed', () => {
    const report = verify(entries, checkpoints);
    expect(report).toMatchObject({ ok: true, entriesChecked: 10, checkpointsChecked: 2, sealedThroughSeq: '8', unsealedEntries: 2, anchored: true });
  });

  it('locates an edited field', () => {
    const edited = entries.map((e) => (e.seq === '6' ? { ...e, statusCode: 403 } : e));
    const report = verify(edited, checkpoints);
    expect(report.ok).toBe(false);
    expect(report.failures[0]).toMatchObject({ kind: 'altered', seq: '6', entryId: '105' });
    expect(report.failureCount).toBe(1);
  });

  it('locates a deleted entry, in the middle and at the end of what checkpoints sealed', () => {
    expect(verify(entries.filter((e) => e.seq !== '3'), checkpoints).failures[0]).toMatchObject({ kind: 'missing', seq: '3' });
    expect(verify(entries.filter((e) => Number(e.seq) < 7), checkpoints).failures[0]).toMatchObject({ kind: 'missing', seq: '7', message: expect.stringContaining('7..8') });
  });

  it('locates two entries whose contents were swapped', () => {
    const swapped = entries.map((e) => {
      const other = e.seq === '2' ? entries[4] : e.seq === '5' ? entries[1] : null;
      return other ? { ...other, id: e.id, seq: e.seq, prevHash: e.prevHash, entryHash: e.entryHash } : e;
    });
    const report = verify(swapped, checkpoints);
    expect(report.failures.map((f) => [f.kind, f.seq])).toEqual([['altered', '2'], ['altered', '5']]);
  });

  it('locates rows stored out of chain order', () => {
    const reordered = [...entries];
    [reordered[2], reordered[3]] = [{ ...entries[2], id: entries[3].id }, { ...entries[3], id: entries[2].id }];
    expect(verify(reordered, checkpoints).failures[0]).toMatchObject({ kind: 'out-of-order', seq: '4' });
  });

  it('locates a forged entry inserted with a well-formed hash', () => {
    const forged = { ...entries[2], id: '999', path: '/api/v1/forged' };
    forged.entryHash = entryHash(forged, forged.prevHash);
    const report = verify([...entries.slice(0, 3), forged, ...entries.slice(3)], checkpoints);
    expect(report.failures[0]).toMatchObject({ kind: 'duplicate', seq: '3', entryId: '999' });
  });

  it('catches a chain recomputed after an edit through the checkpoint that sealed it', () => {
    const rewritten = relink(entries.map((e) => (e.seq === '2' ? { ...e, path: '/api/v1/rewritten' } : e)));
    const report = verify(rewritten, checkpoints);
    expect(report.failures[0]).toMatchObject({ kind: 'checkpoint-mismatch', seq: '4', checkpointId: '1' });
  });

  it('refuses an altered checkpoint, one signed by an unknown key, and a deleted one', () => {
    const altered = { ...checkpoints[1], lastEntryHash: entries[8].entryHash, lastSeq: '9', entryCount: 5 };
    expect(verify(entries, [checkpoints[0], altered]).failures[0]).toMatchObject({ kind: 'checkpoint-signature', seq: '5', checkpointId: '2' });
    const foreign = seal(entries, 5, 8, 2, AuditSigningKey.generate());
    expect(verify(entries, [checkpoints[0], foreign]).failures[0].message).toContain('not a trusted audit signing key');
    expect(verify(entries, [checkpoints[1]]).failures[0]).toMatchObject({ kind: 'checkpoint-gap', seq: '1' });
  });

  it('verifies a range that starts after a checkpoint, anchored by it', () => {
    const report = verify(entries.slice(4, 8), checkpoints, { startSeq: '5', endSeq: '8' });
    expect(report).toMatchObject({ ok: true, anchored: true, entriesChecked: 4, sealedThroughSeq: '8' });
    const unlinked = [{ ...entries[4], prevHash: 'f'.repeat(64) }];
    unlinked[0].entryHash = entryHash(unlinked[0], unlinked[0].prevHash);
    expect(verify([...unlinked, ...entries.slice(5, 8)], checkpoints, { startSeq: '5' }).failures[0]).toMatchObject({ kind: 'chain-broken', seq: '5' });
  });
});
