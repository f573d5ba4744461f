import { CoalescedRead } from './coalesced-read.js';

/** A read whose answers the test releases one by one, recording when each began. */
function controlledRead() {
  const started: Array<(value: number) => void> = [];
  const read = new CoalescedRead(() => new Promise<number>((resolve) => started.push(resolve)));
  return { read, started };
}

describe('CoalescedRead', () => {
  it('starts at once when idle', async () => {
    const { read, started } = controlledRead();
    const answer = read.get();
    expect(started).toHaveLength(1);
    started[0](7);
    await expect(answer).resolves.toBe(7);
  });

  it('never serves a caller with a read begun before it asked, and shares the next read among all who wait', async () => {
    const { read, started } = controlledRead();
    const first = read.get();
    const second = read.get();
    const third = read.get();
    expect(started).toHaveLength(1); // the two latecomers wait for the next read
    started[0](1);
    await expect(first).resolves.toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(started).toHaveLength(2);
    started[1](2);
    await expect(second).resolves.toBe(2);
    await expect(third).resolves.toBe(2);
  });

  it('a failed read fails its callers only; the next read still runs for those queued', async () => {
    let n = 0;
    const gates: Array<{ resolve: (v: number) => void; reject: (e: Error) => void }> = [];
    const read = new CoalescedRead(() => new Promise<number>((resolve, reject) => gates.push({ resolve, reject })));
    const first = read.get();
    const second = read.get();
    gates[0].reject(new Error('database down'));
    await expect(first).rejects.toThrow('database down');
    await new Promise((r) => setImmediate(r));
    gates[1].resolve(++n);
    await expect(second).resolves.toBe(1);
    const later = read.get();
    expect(gates).toHaveLength(3);
    gates[2].resolve(5);
    await expect(later).resolves.toBe(5);
  });
});
