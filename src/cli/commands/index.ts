import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Each verb lives in its own module; this list is the whole command surface. A module is loaded
 * only when its verb runs (all of them for help), so that `|postdesk ingest -` from an MTA, once per
 * mail, does not load the IMAP client, the reports and the FAQ search first.
 */
const VERBS: Record<string, () => Promise<Register>> = {
  run: async () => (await import('./run.ts')).registerRunCommand,
  ingest: async () => (await import('./ingest.ts')).registerIngestCommand,
  deliver: async () => (await import('./deliver.ts')).registerDeliverCommand,
  poll: async () => (await import('./poll.ts')).registerPollCommand,
  imap: async () => (await import('./imap.ts')).registerImapCommand,
  tickets: async () => (await import('./tickets.ts')).registerTicketsCommand,
  customers: async () => {
    const [customers, vip, stage, privacy] = await Promise.all([
      import('./customers.ts'),
      import('./customers-vip.ts'),
      import('./customers-stage.ts'),
      import('./customers-privacy.ts'),
    ]);
    return (program) => {
      const command = customers.registerCustomersCommand(program);
      vip.registerCustomersVipCommand(command);
      stage.registerCustomersStageCommand(command);
      privacy.registerCustomersPrivacyCommands(command);
    };
  },
  sla: async () => (await import('./sla.ts')).registerSlaCommand,
  'follow-ups': async () => (await import('./follow-ups.ts')).registerFollowUpsCommand,
  report: async () => (await import('./report.ts')).registerReportCommand,
  quarantine: async () => (await import('./quarantine.ts')).registerQuarantineCommand,
  raw: async () => (await import('./raw.ts')).registerRawCommand,
  attachment: async () => (await import('./raw.ts')).registerAttachmentCommand,
  outbox: async () => (await import('./outbox.ts')).registerOutboxCommand,
  faq: async () => {
    const [faq, gaps] = await Promise.all([import('./faq.ts'), import('./faq-gaps.ts')]);
    return (program) => gaps.registerFaqGapsCommand(faq.registerFaqCommand(program));
  },
  demo: async () => (await import('./demo.ts')).registerDemoCommand,
  db: async () => (await import('./db.ts')).registerDbCommand,
  workers: async () => (await import('./workers.ts')).registerWorkersCommand,
};

/** Global options that take a value: the word after them is not the verb. */
const VALUE_OPTIONS = new Set(['--data', '--config', '--now']);

/** Registers the verb on the command line, none for --version, or every verb when there is none we know (help, a typo). */
export async function registerCommands(program: Command, args: string[]): Promise<void> {
  const verb = verbOf(args);
  const versionOnly = verb === undefined && args.some((arg) => arg === '-V' || arg === '--version');
  const loads = verb !== undefined && Object.hasOwn(VERBS, verb) ? [VERBS[verb]] : versionOnly ? [] : Object.values(VERBS);
  for (const register of await Promise.all(loads.map((load) => load()))) register(program);
}

export function verbOf(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (VALUE_OPTIONS.has(args[i])) i++;
    else if (!args[i].startsWith('-')) return args[i];
  }
  return undefined;
}
