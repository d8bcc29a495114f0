/**
 * The queue of PDF checks, fair between dossiers (issue 14, item 5): a few checks run at once,
 * at most `perOwner` of them for one dossier, and waiting ones are served in turn, one
 * dossier after another, so that one candidate's batch of heavy files never delays another
 * candidate's. The queue is bounded, overall and per dossier: past the bound an upload is
 * answered `overloaded` (503, Retry-After), which the app retries by itself, rather than
 * left waiting on a queue that only grows.
 */
import { AppError } from '../src-shared/errors';

export interface FairQueueLimits {
  /** Checks running at once (the worker pool's size). */
  concurrency: number;
  /** Checks running at once for one dossier. */
  perOwner: number;
  /** Checks waiting, all dossiers together. */
  maxWaiting: number;
  /** Checks waiting for one dossier. */
  maxWaitingPerOwner: number;
  /** Retry-After of the `overloaded` answer past the bounds. */
  retryAfterSeconds: number;
}

export const CHECK_QUEUE_LIMITS: FairQueueLimits = {
  concurrency: 2,
  perOwner: 1,
  maxWaiting: 64,
  maxWaitingPerOwner: 4,
  retryAfterSeconds: 5,
};

interface Waiting {
  start: () => void;
}

export class FairQueue {
  private running = 0;
  private waitingCount = 0;
  private readonly runningBy = new Map<string, number>();
  /** Owners with checks waiting. */
  private readonly turns = new Map<string, Waiting[]>();
  /** When each owner's last check started (a counter): the one served longest ago goes next. */
  private readonly lastServed = new Map<string, number>();
  private starts = 0;

  constructor(private readonly limits: FairQueueLimits) {}

  run<T>(owner: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.lastServed.set(owner, this.starts++);
        this.running++;
        this.runningBy.set(owner, (this.runningBy.get(owner) ?? 0) + 1);
        task()
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            const left = this.runningBy.get(owner)! - 1;
            if (left === 0) this.runningBy.delete(owner);
            else this.runningBy.set(owner, left);
            if (left === 0 && !this.turns.has(owner)) this.lastServed.delete(owner);
            this.next();
          });
      };
      if (this.canStart(owner) && !this.turns.has(owner)) return start();
      const queue = this.turns.get(owner) ?? [];
      if (this.waitingCount >= this.limits.maxWaiting || queue.length >= this.limits.maxWaitingPerOwner) {
        reject(new AppError('overloaded', undefined, { retryAfterSeconds: this.limits.retryAfterSeconds }));
        return;
      }
      queue.push({ start });
      this.turns.set(owner, queue);
      this.waitingCount++;
    });
  }

  private canStart(owner: string): boolean {
    return this.running < this.limits.concurrency && (this.runningBy.get(owner) ?? 0) < this.limits.perOwner;
  }

  private next(): void {
    while (this.running < this.limits.concurrency) {
      let chosen: string | undefined;
      let chosenAt = Number.POSITIVE_INFINITY;
      for (const owner of this.turns.keys()) {
        const at = this.lastServed.get(owner) ?? -1;
        if (this.canStart(owner) && at < chosenAt) [chosen, chosenAt] = [owner, at];
      }
      if (chosen === undefined) return;
      const queue = this.turns.get(chosen)!;
      const waiting = queue.shift()!;
      this.waitingCount--;
      if (queue.length === 0) this.turns.delete(chosen);
      waiting.start();
    }
  }
}
