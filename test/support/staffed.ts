/**
 * A manifest whose support queue is worked by two console agents on shifts (Ana, who also works
 * support_l2 and billing, and Dan), Monday to Friday 09:00–17:00 in the callbacks' time zone
 * (America/Los_Angeles), and helpers to queue conversations without a chat.
 *
 * @example
 * const m = staffedManifest();
 * await queueDirect(app, 'webchat:d1', 'support');
 */
import { readFileSync } from 'node:fs';
import type { Handover } from '../../src/app.js';
import { parseManifest } from '../../src/config/load-config.js';
import type { Manifest } from '../../src/config/manifest-schema.js';
import { conversationId, type ConversationId } from '../../src/core/ids.js';

/** Monday 2026-01-05 07:00 in Los Angeles: the harness's start. */
export const MON_0700 = Date.UTC(2026, 0, 5, 15);
/** Local time on that Monday as ms since the epoch, e.g. at(9, 30). */
export const at = (hour: number, minute = 0): number => MON_0700 + ((hour - 7) * 60 + minute) * 60_000;

export const WEEKDAYS_9_TO_5 = { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] };

/** manifest.json with Ana (support, support_l2, billing) and Dan (support) on weekday shifts. */
export function staffedManifest(edit: (raw: { console: { agents: Record<string, unknown>[] } }) => void = () => {}): Manifest {
  const raw = JSON.parse(readFileSync('manifest.json', 'utf8')) as { console: { agents: Record<string, unknown>[] } };
  const ana = raw.console.agents.find((a) => a['id'] === 'ana')!;
  ana['shifts'] = WEEKDAYS_9_TO_5;
  raw.console.agents.push({ id: 'dan', name: 'Dan', passwordHash: ana['passwordHash'], role: 'agent', queues: ['support'], shifts: WEEKDAYS_9_TO_5 });
  edit(raw);
  return parseManifest(raw);
}

/** Queues a conversation in `queue` through the service (no chat, no memory: texts in the default locale). */
export async function queueDirect(app: Handover, id: string, queue: string): Promise<ConversationId> {
  const cid = conversationId(id);
  await app.service.request({
    conversationId: cid,
    reason: 'customer_request',
    queue,
    priority: 2,
    route: 'direct',
    packet: (h) => ({
      conversationId: cid,
      reason: 'customer_request',
      trace: [],
      intent: null,
      sentiment: [],
      collected: {},
      customer: null,
      authenticated: false,
      steps: [],
      transcript: [],
      summary: `${id} asked for a person`,
      queue: h.queue,
      priority: h.priority,
      slaDeadline: h.slaDeadline,
      requestedAt: h.requestedAt,
      channel: 'direct',
      locale: 'en',
      turn: 1,
    }),
  });
  return cid;
}

/** Waits (bounded) until `check` holds; delivery to a chat is asynchronous. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The race's queue is fraud (no console agent works it) with 40 agents of 10 minutes a contact: 120 per 30-minute slot. */
export function raceManifest(): Manifest {
  const raw = JSON.parse(readFileSync('manifest.json', 'utf8')) as { queues: Record<string, Record<string, unknown>> };
  raw.queues['fraud'] = { ...raw.queues['fraud'], agents: 40, avgHandleSeconds: 600 };
  return parseManifest(raw);
}
