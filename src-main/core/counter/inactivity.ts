/**
 * The inactivity clock of the counter: when nobody touched the screen for `idleMs`, the
 * candidate's session ends on its own, with a warning `warnMs` before. Pure (the time is
 * given), so that the rules are tested without waiting.
 */
export type InactivityPhase = 'active' | 'warning' | 'expired';

export interface InactivityRules {
  idleMs: number;
  warnMs: number;
}

/** The warning lasts WARNING_SECONDS, or a third of a short delay, so that some use remains. */
export function inactivityRules(idleSeconds: number, warningSeconds: number): InactivityRules {
  const idleMs = idleSeconds * 1000;
  return { idleMs, warnMs: Math.min(warningSeconds * 1000, Math.floor(idleMs / 3)) };
}

export class InactivityClock {
  private lastActivity: number;

  constructor(
    private rules: InactivityRules,
    private readonly now: () => number = Date.now,
  ) {
    this.lastActivity = now();
  }

  /** Someone used the screen: the countdown starts again, and a warning shown goes away. */
  touch(): void {
    this.lastActivity = this.now();
  }

  setRules(rules: InactivityRules): void {
    this.rules = rules;
    this.touch();
  }

  msLeft(): number {
    return Math.max(0, this.lastActivity + this.rules.idleMs - this.now());
  }

  phase(): InactivityPhase {
    const left = this.msLeft();
    if (left === 0) return 'expired';
    return left <= this.rules.warnMs ? 'warning' : 'active';
  }
}
