// `postdesk faq gaps`: the questions customers asked that the FAQ did not answer, grouped, largest
// group first, each with a proposed question, stage, category and example tickets; --draft writes
// each group as a FAQ draft for an editor.
import path from 'node:path';
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { assertDraftDir, writeDrafts } from '../../gaps/draft-files.ts';
import { gapClusters, type GapCluster } from '../../gaps/gap-clusters.ts';
import { gapQuestions } from '../../gaps/gap-questions.ts';
import { withApp } from '../app-context.ts';
import { positiveInteger } from '../arguments.ts';
import { oneLine, UsageError } from '../errors.ts';
import { lines, say, shown } from '../terminal-text.ts';
import { loadFaqEntries } from '../faq-entries.ts';

const DEFAULT_DAYS = 30;
/** Ticket numbers shown per group in the text output; --json lists them all. */
const EXAMPLES = 8;

interface GapsOptions {
  since?: string;
  draft?: string;
  faqDir?: string;
  minSize: number;
}

export function registerFaqGapsCommand(faq: Command): void {
  faq
    .command('gaps')
    .description('questions from tickets the FAQ did not answer, grouped by similarity, largest group first')
    .option('--since <date>', `tickets opened from this date (default: ${DEFAULT_DAYS} days ago)`)
    .option('--min-size <n>', 'smallest group to list (a lone question is listed by number only)', positiveInteger, 2)
    .option('--draft <dir>', 'write each group as a FAQ draft, <dir>/<language>/<slug>.md with draft: true (existing files are kept)')
    .option('--faq-dir <dir>', 'FAQ directory (default: $POSTDESK_FAQ_DIR or ./faq)')
    .action(async (opts: GapsOptions, cmd: Command) => {
      await withApp(cmd, async (app, global) => {
        const zone = app.config.timeZone;
        const since = opts.since === undefined ? DateTime.fromJSDate(global.now(), { zone }).minus({ days: DEFAULT_DAYS }).startOf('day') : DateTime.fromISO(opts.since, { zone });
        if (!since.isValid) throw new UsageError(`--since: not an ISO date: ${opts.since}`);
        const draftDir = opts.draft === undefined ? undefined : path.resolve(opts.draft);
        if (draftDir) {
          try {
            assertDraftDir(draftDir);
          } catch (err) {
            throw new UsageError(`--draft: cannot write drafts to ${draftDir}: ${oneLine(err)}`);
          }
        }
        const entries = loadFaqEntries(opts.faqDir);
        const { asked, gaps } = await gapQuestions(app, since.toJSDate(), entries);
        const all = gapClusters(gaps);
        const clusters = all.filter((c) => c.tickets.length >= opts.minSize);
        const singles = all.filter((c) => c.tickets.length < opts.minSize).flatMap((c) => c.tickets).sort((a, b) => a - b);
        const today = DateTime.fromJSDate(global.now(), { zone }).toISODate()!;
        const drafts = draftDir ? writeDrafts(draftDir, clusters, today) : [];
        const report = {
          since: since.toISODate(),
          asked,
          gaps: gaps.length,
          clusters: clusters.map((c, i) => ({ ...c, size: c.tickets.length, ...(drafts[i] && { draft: drafts[i].file, draftWritten: drafts[i].written }) })),
          singles,
        };
        if (global.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else say`${lines(formatReport(report))}`;
      });
    });
}

interface GapsReport {
  since: string | null;
  asked: number;
  gaps: number;
  clusters: (GapCluster & { size: number; draft?: string; draftWritten?: boolean })[];
  singles: number[];
}

function formatReport(r: GapsReport): string {
  const head = `${r.gaps} of ${r.asked} questions since ${r.since} had no good FAQ answer: ${r.clusters.length} group${r.clusters.length === 1 ? '' : 's'}`;
  const groups = r.clusters.map((c, i) => {
    const numbers = c.tickets.slice(0, EXAMPLES).map((n) => `#${n}`).join(' ') + (c.size > EXAMPLES ? ` (+${c.size - EXAMPLES} more)` : '');
    const draft = c.draft ? `\n     draft: ${c.draft}${c.draftWritten ? '' : ' (exists, kept)'}` : '';
    return shown`${String(i + 1).padStart(3)}. ${c.size} tickets · ${c.language} · stage ${c.stage} · category ${c.category}\n     ${c.question}\n     tickets ${numbers}` + draft;
  });
  const singles = r.singles.length ? [`${r.singles.length} lone question${r.singles.length === 1 ? '' : 's'}: ${r.singles.map((n) => `#${n}`).join(' ')}`] : [];
  return `${[`${head}.`, ...groups, ...singles].join('\n\n')}\n`;
}
