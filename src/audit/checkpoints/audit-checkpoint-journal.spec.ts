import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CheckpointRecord } from './audit-checkpoint.js';
import { appendToJournal, lastJournalled, readJournalTail } from './audit-checkpoint-journal.js';

const checkpoint = (n: number): CheckpointRecord => ({
  id: String(n),
  firstSeq: String(n * 10 - 9),
  lastSeq: String(n * 10),
  entryCount: 10,
  periodStart: '2026-11-23T00:00:00.000Z',
  periodEnd: '2026-11-23T00:01:00.000Z',
  lastEntryHash: 'a'.repeat(64),
  createdAt: '2026-11-23T00:01:00.000Z',
  keyId: 'b'.repeat(64),
  signature: 'c'.repeat(300), // long enough that 300 lines span several read chunks
});
const seqs = (cs: CheckpointRecord[]) => cs.map((c) => Number(c.lastSeq));

describe('audit checkpoint journal file', () => {
  let file: string;
  beforeEach(() => {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'journal-')), 'audit-checkpoints.jsonl');
  });

  it('reads back from the end only as far as the first checkpoint at or before a position', () => {
    appendToJournal(file, Array.from({ length: 300 }, (_, i) => checkpoint(i + 1)));
    expect(fs.statSync(file).size).toBeGreaterThan(2 * 64 * 1024);
    expect(seqs(readJournalTail(file, 2975n).checkpoints)).toEqual([2970, 2980, 2990, 3000]);
    expect(seqs(readJournalTail(file, 3000n).checkpoints)).toEqual([3000]);
    expect(readJournalTail(file, null).checkpoints).toHaveLength(300);
    expect(seqs(readJournalTail(file, 0n).checkpoints)).toEqual(Array.from({ length: 300 }, (_, i) => (i + 1) * 10));
    expect(lastJournalled(file)).toBe(3000n);
  });

  it('passes over a line cut short by a crash, and the next append starts a line of its own', () => {
    appendToJournal(file, [checkpoint(1), checkpoint(2)]);
    fs.appendFileSync(file, JSON.stringify(checkpoint(3)).slice(0, 40)); // the crash
    expect(readJournalTail(file, null)).toMatchObject({ unreadable: 1 });
    expect(lastJournalled(file)).toBe(20n);

    appendToJournal(file, [checkpoint(3)]);
    const tail = readJournalTail(file, null);
    expect(seqs(tail.checkpoints)).toEqual([10, 20, 30]);
    expect(tail.unreadable).toBe(1);
  });

  it('takes a line for a checkpoint only with every field of one', () => {
    const { keyId: _keyId, ...withoutKey } = checkpoint(2);
    fs.writeFileSync(file, [checkpoint(1), withoutKey, { ...checkpoint(3), lastSeq: '3O' }, 'not json'].map((l) => JSON.stringify(l)).join('\n') + '\n');
    expect(readJournalTail(file, null)).toMatchObject({ checkpoints: [checkpoint(1)], unreadable: 3 });
  });

  it('has nothing to say of a journal that does not exist', () => {
    expect(readJournalTail(file, 5n)).toEqual({ checkpoints: [], unreadable: 0 });
    expect(lastJournalled(file)).toBeNull();
  });
});
