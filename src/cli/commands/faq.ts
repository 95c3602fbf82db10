// `postdesk faq search`: the help-center search from the command line, with the same index and
// ranking as the site. `-` reads one query per line from stdin and answers each with one JSON line.
// `faq stats` is in ./faq-stats.ts.
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { choiceOption, positiveInteger } from '../arguments.ts';
import { globalOptions } from '../global-options.ts';
import { loadFaqEntries } from '../faq-entries.ts';
import { LOCALES, STAGES, type Locale, type Stage } from '../../search/faq-schema.ts';
import { faqSearcher, type FaqSearchResult } from '../../search/faq-search.ts';
import { queryLocale } from '../../search/query-locale.ts';
import { lines, say } from '../terminal-text.ts';
import { registerFaqStatsCommand } from './faq-stats.ts';

interface SearchCommandOptions {
  faqDir?: string;
  locale?: Locale;
  stage?: Stage;
  limit: number;
}

export function registerFaqCommand(program: Command): Command {
  const faq = program.command('faq').description('help-center FAQ');
  faq
    .command('search')
    .description('search the FAQ; prints [{slug, question, stage, category, score}] with --json')
    .argument('<query>', 'words to look for, or "-" to read one query per line from stdin (one JSON array per line out)')
    .option('--faq-dir <dir>', 'FAQ directory (default: $POSTDESK_FAQ_DIR or ./faq)')
    .addOption(choiceOption('--locale <locale>', 'the language of the questions (default: zh when the query contains Chinese, else en)', LOCALES))
    .addOption(choiceOption('--stage <stage>', 'only questions for this stage', STAGES))
    .option('--limit <n>', 'maximum number of results', positiveInteger, 5)
    .action(async (query: string, opts: SearchCommandOptions, cmd: Command) => {
      const { json } = globalOptions(cmd);
      const { limit, stage, locale } = opts;
      const searcher = faqSearcher(loadFaqEntries(opts.faqDir));
      const run = (q: string) => searcher(q, locale ?? queryLocale(q), { stage, limit });
      if (query === '-') {
        for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
          process.stdout.write(`${JSON.stringify(run(line))}\n`);
        }
        return;
      }
      const results = run(query);
      if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      else say`${lines(formatResults(results))}`;
    });
  registerFaqStatsCommand(faq);
  return faq;
}

function formatResults(results: FaqSearchResult[]): string {
  if (!results.length) return 'no matching questions\n';
  return results.map((r) => `${r.score.toFixed(3).padStart(7)}  ${`${r.stage}/${r.category}`.padEnd(18)} ${r.slug}\n         ${r.question}\n`).join('');
}
