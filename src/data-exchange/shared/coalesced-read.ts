/**
 * Runs a read on behalf of many callers at once, never answering a caller with a read that began
 * before the caller asked. While one read is running, every new caller joins the next read, which
 * starts as soon as the running one ends; so at most two run back to back, however many callers
 * wait. Used for the latest change number, which every pull checks: a client that has just
 * written must see its write, so a read begun before its call cannot serve it.
 *
 * Written by hand: batching loaders (DataLoader and the like) share a read among the callers of
 * one tick, whatever its age; here the guarantee is about when the read began.
 */
export class CoalescedRead<T> {
  private running: Promise<T> | null = null;
  private queued: Promise<T> | null = null;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    if (!this.running) return this.start();
    this.queued ??= this.running
      // The running read's failure is its own callers' to handle; the next read only waits for it to end.
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.start();
      });
    return this.queued;
  }

  private start(): Promise<T> {
    const read = this.read().finally(() => {
      if (this.running === read) this.running = null;
    });
    this.running = read;
    return read;
  }
}
