// `postdesk faq stats`: per FAQ entry, how often tickets asked it, were offered it, solved themselves
// with it, and what the help center's Yes/No links said, over a period; `--write` makes what was asked
// the entries' popularity, by which the site orders each stage's questions.
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { faqStats, type FaqEntryStats } from '../../faq/stats.ts';
import { writePopularity } from '../../faq/write-popularity.ts';
import { withApp } from '../app-context.ts';
import { table } from '../columns.ts';
import { UsageError } from '../errors.ts';
import { loadFaqEntries } from '../faq-entries.ts';
import { lines, say } from '../terminal-text.ts';

/** The default period: long enough for a small desk's tickets to say something, short enough to follow a season. */
const DEFAULT_DAYS = 90;

interface StatsOptions {
  since?: string;
  faqDir?: string;
  write?: boolean;
}

export function registerFaqStatsCommand(faq: Command): void {
  faq
    .command('stats')
    .description(`per FAQ entry: tickets that asked it (best match), suggested it, self-served with it, and Yes/No feedback; default the last ${DEFAULT_DAYS} days`)
    .option('--since <date>', `count from this date (YYYY-MM-DD, in the configured time zone; default ${DEFAULT_DAYS} days ago)`)
    .option('--faq-dir <dir>', 'FAQ directory (default: $POSTDESK_FAQ_DIR or ./faq)')
    .option('--write', 'set each entry\'s "popularity" to its ticket count, in every language\'s file')
    .action(async (opts: StatsOptions, cmd: Command) => {
      const entries = loadFaqEntries(opts.faqDir);
      await withApp(cmd, async (app, global) => {
        const until = app.now();
        const since = opts.since === undefined ? DateTime.fromJSDate(until).minus({ days: DEFAULT_DAYS }) : DateTime.fromISO(opts.since, { zone: app.config.timeZone });
        if (!since.isValid) throw new UsageError(`--since: not an ISO date: ${opts.since}`);
        const stats = await faqStats(app.db, entries, since.toJSDate(), until);
        const matched = new Map(stats.map((s) => [s.slug, s.matched]));
        const written = opts.write ? entries.filter((e) => writePopularity(e, matched.get(e.slug) ?? 0)).map((e) => e.file) : [];
        const period = { since: since.toJSDate().toISOString(), until: until.toISOString() };
        if (global.json) process.stdout.write(`${JSON.stringify({ ...period, entries: stats, ...(opts.write ? { written } : {}) })}\n`);
        else say`${lines(formatStats(stats, period, opts.write ? written : null))}`;
      });
    });
}

function formatStats(stats: FaqEntryStats[], period: { since: string; until: string }, written: string[] | null): string {
  const head = `FAQ entries from ${period.since} to ${period.until} (asked = tickets whose best match it was)\n`;
  const rows = stats.map((s) => [s.matched, s.suggested, s.selfServed, s.helpful, s.notHelpful, s.inFaq ? s.slug : `${s.slug} (not in the FAQ)`, s.question.en ?? s.question.zh ?? '']);
  const body = table([['asked', 'suggested', 'self-served', 'yes', 'no', 'entry', 'question'], ...rows], { 6: 50 });
  if (written === null) return head + body;
  return `${head}${body}${written.length ? `popularity written to ${written.length} file(s):\n${written.map((f) => `  ${f}\n`).join('')}` : 'popularity already up to date\n'}`;
}
