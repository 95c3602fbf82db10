// IDLE health, measured: fallback polls that find mail IDLE never announced lead to one warning and a
// shorter poll interval; `imap status` shows how long the last mails took from server to ticket.
import { EventEmitter } from 'node:events';
import { ImapFlow } from 'imapflow';
import { describe, expect, it, vi } from 'vitest';
import { IdleHealth } from '../../src/intake/imap/idle-health.ts';
import { MailSignal } from '../../src/intake/imap/mail-signal.ts';
import { watchMailbox } from '../../src/intake/imap/watch-loop.ts';
import { imapStatus } from '../../src/intake/imap/status.ts';
import { getMailbox } from '../../src/store/mailboxes.ts';
import { dovecot as dovecotKind } from '../harness/dovecot.ts';
import { describeEachImapServer, type ImapUser } from '../harness/imap-server.ts';
import { jsonLines, postdesk } from '../helpers/cli.ts';
import { cliDataDir, testApp } from '../helpers/test-app.ts';
import { imapMailbox, inbound, recordingLogger, singleMail, waitFor, serverFor } from './support.ts';

describe('IdleHealth', () => {
  const settings = { pollIntervalSeconds: 60, idleFallbackSeconds: 15 };

  it('after three polls in a row found mail IDLE did not announce: one warning naming the mailbox, and the shorter interval', () => {
    const log = recordingLogger();
    const health = new IdleHealth(log, 'support', settings);
    health.woke('poll', 2);
    health.woke('poll', 0); // nothing new: neither proof nor disproof
    health.woke('announced', 1); // reported in our own command's answer: says nothing about IDLE
    health.woke('poll', 1);
    expect(health.pollMs).toBe(60_000);
    expect(log.lines).toEqual([]);
    health.woke('poll', 1);
    expect(health.pollMs).toBe(15_000);
    for (let i = 0; i < 5; i++) health.woke('poll', 1);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatch(/^warn: mailbox support: IDLE announced none of the new mail the last 3 polls found/);
    expect(log.lines[0]).toMatch(/polling every 15 s now instead of 60 s .*Cyrus: idled running, or imapidlepoll set.*firewall or NAT/);

    health.woke('idle', 1);
    expect(health.pollMs).toBe(60_000);
    expect(log.lines[1]).toBe('info: mailbox support: IDLE notices arrive again; polling every 60 s as configured');
  });

  it('an IDLE notice starts the count again', () => {
    const health = new IdleHealth(recordingLogger(), 'support', settings);
    health.woke('poll', 1);
    health.woke('poll', 1);
    health.woke('idle', 1);
    health.woke('poll', 1);
    health.woke('poll', 1);
    expect(health.pollMs).toBe(60_000);
  });

  it('never polls less often than pollIntervalSeconds asks', () => {
    const health = new IdleHealth(recordingLogger(), 'support', { pollIntervalSeconds: 5, idleFallbackSeconds: 15 });
    for (let i = 0; i < 3; i++) health.woke('poll', 1);
    expect(health.pollMs).toBe(5000);
  });
});

describe('MailSignal', () => {
  it('tells an EXISTS inside IDLE from one in the answer to a command, and from the timer', async () => {
    const client = Object.assign(new EventEmitter(), { idling: false });
    const signal = new MailSignal(client as unknown as ImapFlow);
    const never = new AbortController().signal;
    await signal.wait(1, never);
    expect(signal.reason).toBe('poll');
    client.emit('exists', { count: 2, prevCount: 1 });
    expect(signal.reason).toBe('announced');
    signal.clear();
    client.idling = true;
    client.emit('exists', { count: 3, prevCount: 2 });
    await signal.wait(60_000, never);
    expect(signal.reason).toBe('idle');
    signal.clear();
    expect(signal.reason).toBe('poll');
  });
});

const users = Object.fromEntries(['deaf', 'latency'].map((u) => [u, { user: u, password: `${u}-pw` }])) as Record<string, ImapUser>;

describeEachImapServer([dovecotKind], 'IDLE health', () => {
  const dovecot = serverFor(dovecotKind, Object.values(users));

  it('a session whose IDLE never announces: a warning after three polls find mail, then the fallback interval', async () => {
    const u = users.deaf;
    // The client never enters IDLE, as if the server or a NAT box swallowed its notices.
    vi.spyOn(ImapFlow.prototype, 'idle').mockResolvedValue(true);
    const app = await testApp({ mailboxes: [imapMailbox(dovecot(), u, 'support', { pollIntervalSeconds: 1, idleFallbackSeconds: 0.2 })] });
    const log = recordingLogger();
    app.log = log;
    const stop = new AbortController();
    const watching = watchMailbox(app, app.mailboxes[0], stop.signal);
    try {
      await waitFor('the first start', async () => (await getMailbox(app.db, app.mailboxes[0].id))?.lastUid != null);
      // Three mails, one at a time, each found by the poll. A mail that lands while a poll's own
      // NOOP runs is announced in its answer and proves nothing either way: then one more is needed.
      const warned = () => log.lines.some((l) => l.includes('IDLE announced none'));
      let mails = 0;
      while (!warned() && mails < 8) {
        mails += 1;
        await dovecot().append(u, 'INBOX', [singleMail(`deaf-${mails}`)]);
        await waitFor(`deaf-${mails} stored`, async () => (await inbound(app)) === mails, 10_000);
        await new Promise((r) => setTimeout(r, 100)); // the warning follows the drain's end
      }
      expect(mails).toBeGreaterThanOrEqual(3);
      expect(log.lines.filter((l) => l.startsWith('warn:'))).toEqual([expect.stringMatching(/^warn: mailbox support: IDLE announced none .* polling every 0\.2 s now instead of 1 s/)]);
      // Not only in this worker's log: `imap status`, from any machine, tells it too.
      expect((await imapStatus(app, app.mailboxes[0])).idle).toEqual({ healthy: false, since: expect.any(String), pollSeconds: 0.2, worker: app.worker.id });
    } finally {
      stop.abort();
      await watching;
      await app.close();
    }
  });

  it('imap status --json shows the latency of the last mails after a drain, and nothing unsettled', async () => {
    const u = users.latency;
    const { dataDir, args: dataArgs } = await cliDataDir({ mailboxes: [imapMailbox(dovecot(), u)] });
    const cli = (...args: string[]) => postdesk([...args, ...dataArgs], { cwd: dataDir });
    expect(cli('poll', '--once').status).toBe(0);
    const before = jsonLines<Record<string, unknown>[]>(cli('imap', 'status', '--json').stdout)[0][0];
    expect(before).toMatchObject({ latency: null, unsettled: 0, idle: null });

    await dovecot().append(u, 'INBOX', [singleMail('lat-1'), singleMail('lat-2'), singleMail('lat-3')]);
    expect(cli('poll', '--once').status).toBe(0);
    const status = cli('imap', 'status', '--json');
    expect(status.status, status.stderr).toBe(0);
    const row = jsonLines<Record<string, unknown>[]>(status.stdout)[0][0];
    expect(row).toMatchObject({ mailbox: 'support', unsettled: 0, latency: { mails: 3, p50Seconds: expect.any(Number), maxSeconds: expect.any(Number) } });
    const latency = row.latency as { p50Seconds: number; maxSeconds: number };
    // INTERNALDATE has whole seconds; the poll ran a few seconds after the APPEND at most.
    expect(latency.p50Seconds).toBeGreaterThanOrEqual(0);
    expect(latency.maxSeconds).toBeLessThan(30);
    expect(latency.maxSeconds).toBeGreaterThanOrEqual(latency.p50Seconds);
    expect(cli('imap', 'status').stdout).toMatch(/, latency p50 [\d.]+ s max [\d.]+ s \(last 3\), last sync /);
  });
});
