// Agent notifications in a burst. Past outbound.maxAgentNotificationsPerWindow notifications to one
// agent within outbound.agentNotificationWindowSeconds, a new-ticket or update notification is queued
// `held` (the sender leaves it); once the window after the first held one has passed, the sender
// lists them all in one digest mail and marks them `digested`. While a burst goes on the held ones
// count too, so it stays one digest per window; when it ends, notifications go one by one again. The
// state is the outbox itself: held notifications wait across restarts.
import { inTransaction, type App } from '../app.ts';
import { findAgentByEmail, type AgentRow } from '../store/agents.ts';
import { sendingMailbox } from '../store/outgoing-queries.ts';
import { countRecentOutbox, heldOutbox, holdOutbox, insertOutbox, markOutboxDigested, type OutboxRow } from '../store/outbox.ts';
import { findTicketById } from '../store/tickets.ts';
import { checkedAddress, headerText } from './header-safety.ts';
import { formatLocalTime } from './local-time.ts';
import { queueTemplatedMailFor, ticketTag, type QueuedMail, type TemplatedMailRequest, type TicketParties } from './queue.ts';
import { renderTemplate, type TemplateName } from './templates.ts';
import { domainOf, newMessageId, replyAddress } from './tokens.ts';

/** The notifications a burst folds into a digest (not SLA alarms or delivery failures: those stay single). */
const NOTIFICATION_KINDS: TemplateName[] = ['agent-new-ticket', 'agent-update'];

/** Rows grouped by a key, in the order of their first row (Map.groupBy needs Node 21). */
function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
}

const windowMs = (app: App) => app.config.outbound.agentNotificationWindowSeconds * 1000;

/** Queues a notification to an agent; held for the digest when the agent had enough of them in the window. */
export function queueAgentNotification(app: App, parties: TicketParties, request: Omit<TemplatedMailRequest, 'ticketId'> & { to: { address: string } }): Promise<QueuedMail> {
  return inTransaction(app, async (app) => {
    const recent = await countRecentOutbox(app.db, request.to.address, NOTIFICATION_KINDS, new Date(app.now().getTime() - windowMs(app)));
    const queued = await queueTemplatedMailFor(app, parties, request);
    if (recent >= app.config.outbound.maxAgentNotificationsPerWindow) await holdOutbox(app.db, queued.id);
    return queued;
  });
}

/** Queues a digest for every agent whose first held notification is a window old; returns how many. */
export function queueDueDigests(app: App): Promise<number> {
  const dueBefore = app.now().getTime() - windowMs(app);
  return inTransaction(app, async (app) => {
    const byRecipient = groupBy(await heldOutbox(app.db), (row) => row.recipient);
    let digests = 0;
    for (const [recipient, rows] of byRecipient) {
      if (rows[0].createdAt.getTime() > dueBefore) continue;
      await markOutboxDigested(app.db, rows.map((r) => r.id));
      const agent = await findAgentByEmail(app.db, recipient);
      // An agent removed since: the tickets are there for the others; nobody is left to tell.
      if (!agent?.active) continue;
      await queueDigest(app, agent, rows);
      digests++;
    }
    return digests;
  });
}

async function queueDigest(app: App, agent: AgentRow, held: OutboxRow[]): Promise<void> {
  const language = app.config.language;
  const tickets = [];
  for (const [ticketId, rows] of groupBy(held, (row) => row.ticketId!)) {
    const ticket = (await findTicketById(app.db, ticketId))!;
    const tag = ticketTag(app, ticket);
    const replyTo = replyAddress(app.secret, (await sendingMailbox(app.db, ticket.mailboxId))!.address, { ticketId, agentId: agent.id });
    tickets.push({
      tag,
      subject: ticket.subject,
      status: ticket.status,
      isNew: rows.some((r) => r.kind === 'agent-new-ticket'),
      updates: rows.filter((r) => r.kind === 'agent-update').length,
      replyTo,
      mailto: `mailto:${replyTo}?subject=${encodeURIComponent(`${tag} ${ticket.subject}`)}`,
    });
  }
  const mailbox = app.mailboxes[0];
  const { maxAgentNotificationsPerWindow, agentNotificationWindowSeconds } = app.config.outbound;
  const rendered = renderTemplate(app, 'agent-digest', language, {
    count: tickets.length,
    notifications: held.length,
    since: formatLocalTime(app, held[0].createdAt, language),
    limit: maxAgentNotificationsPerWindow,
    windowMinutes: Math.round(agentNotificationWindowSeconds / 60),
    tickets,
    mailbox: { name: mailbox.name, address: mailbox.address },
    agent: { name: agent.name },
  });
  const now = app.now();
  await insertOutbox(app.db, {
    ticketId: null,
    kind: 'agent-digest',
    messageId: newMessageId(app.secret, 0, domainOf(mailbox.address)),
    recipient: agent.email,
    mail: {
      from: checkedAddress(mailbox.address, mailbox.name),
      to: [checkedAddress(agent.email, agent.name)],
      replyTo: mailbox.address,
      subject: headerText(rendered.subject),
      text: rendered.text,
      html: rendered.html,
      headers: { 'X-Loop': mailbox.address, 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    },
    nextAttemptAt: now,
    createdAt: now,
  });
}
