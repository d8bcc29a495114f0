import { describe, expect, it } from 'vitest';
import { InactivityClock, inactivityRules } from '../../../../../src-main/core/counter/inactivity';

describe('counter inactivity clock', () => {
  it('warns a minute before the wipe, and a third of the delay when it is short', () => {
    expect(inactivityRules(300, 60)).toEqual({ idleMs: 300_000, warnMs: 60_000 });
    expect(inactivityRules(30, 60)).toEqual({ idleMs: 30_000, warnMs: 10_000 });
  });

  it('goes active, warning, expired as time passes, and back to active on a touch', () => {
    let t = 1_000_000;
    const clock = new InactivityClock(inactivityRules(300, 60), () => t);
    expect(clock.phase()).toBe('active');
    t += 239_999;
    expect(clock.phase()).toBe('active');
    t += 1;
    expect(clock.phase()).toBe('warning');
    expect(clock.msLeft()).toBe(60_000);
    t += 59_999;
    expect(clock.phase()).toBe('warning');
    t += 1;
    expect(clock.phase()).toBe('expired');
    expect(clock.msLeft()).toBe(0);
    clock.touch();
    expect(clock.phase()).toBe('active');
    expect(clock.msLeft()).toBe(300_000);
  });

  it('starts counting again when the delay changes', () => {
    let t = 0;
    const clock = new InactivityClock(inactivityRules(300, 60), () => t);
    t = 290_000;
    clock.setRules(inactivityRules(60, 60));
    expect(clock.msLeft()).toBe(60_000);
    expect(clock.phase()).toBe('active');
  });
});
