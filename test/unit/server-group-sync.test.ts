/** Group fsync: every caller waits for an fsync that started after its call; callers meanwhile share one. */
import { describe, expect, it } from 'vitest';
import { GroupSync } from '../../src-server/storage/group-sync';

describe('GroupSync', () => {
  it('makes callers that arrive during an fsync wait for the next one, and share it', async () => {
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const group = new GroupSync(() => {
      started.push(Date.now());
      return new Promise<void>((resolve) => finish.push(resolve));
    });
    const settled: string[] = [];
    const first = group.synced().then(() => settled.push('first'));
    const second = group.synced().then(() => settled.push('second'));
    const third = group.synced().then(() => settled.push('third'));
    expect(started).toHaveLength(1);
    finish[0]!();
    await first;
    // The first fsync may predate the later writes: they are not done yet...
    expect(settled).toEqual(['first']);
    await new Promise((r) => setImmediate(r));
    // ...and share a single second fsync.
    expect(started).toHaveLength(2);
    finish[1]!();
    await Promise.all([second, third]);
    expect(settled).toEqual(['first', 'second', 'third']);
    // Once idle, the next call starts its own fsync at once.
    const fourth = group.synced();
    expect(started).toHaveLength(3);
    finish[2]!();
    await fourth;
  });

  it('passes an fsync failure to its callers and keeps working', async () => {
    let fail = true;
    const group = new GroupSync(async () => {
      if (fail) throw new Error('EIO');
    });
    await expect(group.synced()).rejects.toThrow('EIO');
    fail = false;
    await expect(group.synced()).resolves.toBeUndefined();
  });
});
