/**
 * Group fsync: callers wait for an fsync that STARTED after they called, and every caller that
 * arrives while one is running shares the next one. N commits close together cost two fsyncs,
 * not N, and none of them runs on the event loop.
 */
export class GroupSync {
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly sync: () => Promise<void>) {}

  /** Resolves once everything written before this call is on disk. */
  synced(): Promise<void> {
    if (!this.running) {
      this.running = this.sync().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    // The running fsync may have started before our write: wait for the next one.
    this.queued ??= this.running.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  private startQueued(): Promise<void> {
    this.queued = null;
    return this.synced();
  }
}
