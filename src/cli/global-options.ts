import type { Command } from 'commander';
import { UsageError } from './errors.ts';

export interface GlobalOptions {
  data?: string;
  config?: string;
  json: boolean;
  /** The clock every time-dependent command uses; `--now` overrides it. */
  now: () => Date;
}

/** Reads the global options from any subcommand, wherever they stood on the line. */
export function globalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals() as { data?: string; config?: string; json?: boolean; now?: string };
  let now = () => new Date();
  if (o.now) {
    const fixed = new Date(o.now);
    if (Number.isNaN(fixed.getTime())) throw new UsageError(`--now: not an ISO time: ${o.now}`);
    now = () => new Date(fixed);
  }
  return { data: o.data, config: o.config, json: Boolean(o.json), now };
}
