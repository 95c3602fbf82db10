import type { Command } from 'commander';

export interface GlobalOptions {
  data?: string;
  config?: string;
  json: boolean;
  /** The clock every time-dependent command uses; `--now` overrides it. */
  now: () => Date;
}

/** Reads the global options from any subcommand, wherever they stood on the line. */
export function globalOptions(cmd: Command): GlobalOptions {
  // --now is parsed by isoTime (arguments.ts) as the command line is read.
  const o = cmd.optsWithGlobals() as { data?: string; config?: string; json?: boolean; now?: Date };
  const fixed = o.now;
  const now = fixed ? () => new Date(fixed) : () => new Date();
  return { data: o.data, config: o.config, json: Boolean(o.json), now };
}
