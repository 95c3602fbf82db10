import type { Command } from 'commander';

/** Each verb lives in its own module; this list is the whole command surface. */
export function registerCommands(program: Command): void {
  void program;
}
