// The generated help desk of bench:scale: the same tickets, messages, SLA clocks and resolving
// events for SQLite and PostgreSQL, from a tiny deterministic generator (mulberry32), so that both
// databases answer the same questions over the same rows.

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const NOW = Date.parse('2026-11-12T12:00:00Z');
export const SPAN_DAYS = 730;
export const CUSTOMERS = 50_000;
/** Tickets of the last two weeks may still be open; older ones are resolved or closed. */
const OPEN_WINDOW = 14 * DAY;
const PRIORITIES = ['low', 'normal', 'normal', 'normal', 'high', 'urgent'] as const;

/** A fresh generator from `seed`: each call of it answers the next number in [0, 1). */
export function randomFrom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One generated ticket with its first message, its first-response clock and who resolved it. Times in epoch ms. */
export interface GeneratedTicket {
  id: number;
  number: number;
  subject: string;
  status: string;
  priority: string;
  customerId: number;
  createdAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  firstResponseAt: number | null;
  dueAt: number | null;
  slaPausedAt: number | null;
  rating: number | null;
  /** The status-changed event's data and time, for a resolved ticket: what the report's CSAT per agent reads. */
  resolved: { data: string; at: number } | null;
  messageId: string;
  fromAddress: string;
  clock: { startedAt: number; warnAt: number; dueAt: number; stoppedAt: number | null };
}

/** The customer addresses, id 1…CUSTOMERS in order. */
export const customerEmail = (id: number) => `customer${id}@bench.example`;

/** `count` tickets in time order (ids grow with the creation time, as in a real database), ids 1…count. */
export function* generatedTickets(count: number): Generator<GeneratedTicket> {
  const random = randomFrom(7);
  for (let i = 0; i < count; i++) {
    const createdAt = Math.floor(NOW - SPAN_DAYS * DAY + ((i + random()) / count) * SPAN_DAYS * DAY);
    const priority = PRIORITIES[Math.floor(random() * PRIORITIES.length)];
    const targetMs = (priority === 'urgent' ? 4 : 24) * HOUR;
    const recent = NOW - createdAt < OPEN_WINDOW;
    const answeredAt = !recent || random() < 0.6 ? createdAt + Math.floor(random() * 30 * HOUR) : null;
    const resolvedAt = !recent || (answeredAt !== null && random() < 0.5) ? (answeredAt ?? createdAt) + Math.floor(random() * 48 * HOUR) : null;
    const open = resolvedAt === null || resolvedAt > NOW;
    const status = !open ? (NOW - createdAt > 7 * DAY ? 'closed' : 'resolved') : answeredAt !== null && random() < 0.3 ? 'pending' : 'open';
    const dueAt = createdAt + targetMs;
    const running = open && answeredAt === null;
    const customerId = 1 + Math.floor(random() * CUSTOMERS);
    // A third of the resolved tickets are rated.
    const rating = !open && random() < 0.33 ? 1 + Math.floor(random() * 5) : null;
    const by = open ? null : `agent${Math.floor(random() * 10)}@bench.example`;
    yield {
      id: i + 1,
      number: 100_000 + i,
      subject: `Generated ticket ${i}`,
      status,
      priority,
      customerId,
      createdAt,
      updatedAt: answeredAt ?? createdAt,
      resolvedAt: open ? null : resolvedAt,
      firstResponseAt: answeredAt,
      dueAt: running ? dueAt : null,
      slaPausedAt: status === 'pending' ? answeredAt : null,
      rating,
      resolved: by === null ? null : { data: JSON.stringify({ from: 'open', to: 'resolved', by, reason: 'email command' }), at: resolvedAt! },
      messageId: `m${i}@bench.example`,
      fromAddress: customerEmail(customerId),
      clock: { startedAt: createdAt, warnAt: createdAt + targetMs * 0.75, dueAt, stoppedAt: running ? null : (answeredAt ?? resolvedAt) },
    };
  }
}
