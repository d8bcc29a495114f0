/** What the lifecycle commands print, and how they refuse. */
export interface CommandOutput {
  print(line: string): void;
}

/** Wrong arguments or state: the French reason is printed and the command exits 2. */
export class CommandRefused extends Error {}
