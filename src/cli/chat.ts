/**
 * `handover chat`: the demo on the embedded in-memory store. You are the customer; when the bot
 * hands off, the briefing is printed and you can play the agent with slash commands — accept,
 * reply, transfer, resolve or return the customer to the bot with what you settled — and keep
 * talking as the customer. Reads lines from stdin, so it can also be scripted:
 * `printf 'hi\n/quit\n' | handover chat`.
 */
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { CustomerProfile } from '../core/conversation.js';
import { agentId, type ConversationId } from '../core/ids.js';
import { StaticCustomerDirectory } from '../core/static-customer-directory.js';
import { createHandover } from '../app.js';
import { attachAgentDelivery } from '../bridge/agent-delivery.js';
import { conversationKeyOf } from '../bridge/handoff-middleware.js';
import { SimAdapter } from '../channels/sim/sim-adapter.js';
import { createMemoryStores } from '../store/memory/index.js';
import { readMetrics } from '../handoff/metrics.js';
import { alternatives } from '../dialogs/explain-issues.js';
import type { Manifest } from '../config/manifest-schema.js';

const COMMANDS = `Agent commands: /accept  /say TEXT  /transfer QUEUE  /resolve  /return [field=value …]  /queue  /metrics  /help  /quit`;

/** `order_number=A12345 address="1 Main St" checked the order` → fields and the note. */
export function parseReturn(arg: string): { collected: Record<string, string>; note: string | undefined } {
  const collected: Record<string, string> = {};
  const words: string[] = [];
  for (const m of arg.matchAll(/([A-Za-z_][\w.]*)=(?:"([^"]*)"|(\S*))|(\S+)/g)) {
    if (m[1] !== undefined) collected[m[1]] = m[2] ?? m[3] ?? '';
    else words.push(m[4]!);
  }
  return { collected, note: words.length === 0 ? undefined : words.join(' ') };
}

/** A queue named by its id or its label, case and spaces ignored. */
function queueNamed(manifest: Manifest, name: string): string | undefined {
  const n = name.trim().toLowerCase().replace(/\s+/g, ' ');
  return Object.keys(manifest.queues).find((q) => q.toLowerCase() === n || manifest.queues[q]!.label.toLowerCase() === n);
}

/** The parsed flags of chat (commands.ts). */
export interface ChatFlags {
  /** An id of data/customers.json (default c-1001); any other id is an anonymous visitor. */
  readonly customer?: string;
  /** The customer's language (default: detected from the text). */
  readonly locale?: string;
}

/**
 * Runs the demo on stdin/stdout; resolves with the exit status (2 for an unknown locale).
 *
 * @example
 * process.exitCode = await chat({ customer: 'c-1001', locale: 'es' });
 */
export async function chat(values: ChatFlags): Promise<number> {
  const config = loadConfig(resolve('manifest.json'));
  const manifest = config.manifest;
  const locale = values.locale;
  if (locale !== undefined && !manifest.locales.includes(locale as (typeof manifest.locales)[number])) {
    process.stderr.write(`handover chat: --locale: unknown locale ${JSON.stringify(locale)}${alternatives('valid', locale, manifest.locales)}\n`);
    return 2;
  }
  const customers = JSON.parse(readFileSync(resolve('data/customers.json'), 'utf8')) as CustomerProfile[];
  const customerId = values.customer ?? 'c-1001';
  const customer = customers.find((c) => c.id === customerId);
  const stores = createMemoryStores();
  const app = createHandover({ manifest, stores, directory: new StaticCustomerDirectory(customers) });
  const adapter = new SimAdapter('webchat');
  adapter.use(app.middleware);
  const conversation = `demo-${Date.now()}`;
  const id: ConversationId = conversationKeyOf({ channelId: 'webchat', conversation: { id: conversation, isGroup: false, conversationType: '', name: '' } });
  const label = (q: string | null | undefined) => (q === null || q === undefined ? '(no queue)' : (manifest.queues[q]?.label ?? q));
  // the demo agent of a queue: the first console agent who takes it (Ana for support and billing)
  const agents = (manifest.console?.agents ?? []).filter((a) => a.role !== 'supervisor');
  const agentFor = (queue: string | null) => {
    const a = agents.find((x) => queue !== null && x.queues.includes(queue)) ?? agents[0];
    return { id: agentId(a?.id ?? 'ana'), name: a?.name ?? 'Ana' };
  };
  let agent = agentFor(null);
  const print = (who: string, text: string) => process.stdout.write(`${who.padEnd(9)}${text}\n`);
  const shown = new Set<string>();
  const showNew = () => {
    for (const a of adapter.sent.get(conversation) ?? []) {
      const key = a.id ?? JSON.stringify(a);
      if (shown.has(key)) continue;
      shown.add(key);
      const role = (a.channelData as { handover?: { role?: string } } | undefined)?.handover?.role;
      if (a.type === 'message') print(role === 'agent' ? 'agent:' : role === 'system' ? 'system:' : 'bot:', a.text ?? '');
      else if (a.type === 'event' && a.name === 'handoff.initiate') print('event:', 'handoff.initiate sent with the transcript attached');
    }
  };
  await attachAgentDelivery({ adapter, stores, route: 'webchat' });
  const unsubscribe = stores.events.subscribe((e) => {
    if (e.type === 'handoff.requested') print('console:', `new handoff for ${label(e.queue)} (reason ${e.reason}, priority ${e.priority}); type /accept`);
  });
  const who = customer === undefined ? `an anonymous visitor (${customerId} is not in data/customers.json)` : `customer ${customer.id}, ${customer.name ?? 'no name'}`;
  process.stdout.write(`Acme Shop demo — you are ${who}. Try "where is my order?" or "I want to talk to a person".\n`);
  process.stdout.write(`${COMMANDS}\n\n`);
  const tty = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === '') continue;
      if (line === '/quit' || line === '/exit') break;
      try {
        if (line.startsWith('/')) {
          const space = line.indexOf(' ');
          const cmd = line.slice(1, space < 0 ? undefined : space);
          const arg = space < 0 ? '' : line.slice(space + 1).trim();
          if (cmd === 'accept') {
            agent = agentFor((await app.service.state(id)).queue);
            const { state, packet } = await app.service.accept(id, agent.id, agent.name);
            print('console:', `you are ${agent.name} (${label(state.queue)})`);
            if (packet !== undefined) {
              print('briefing:', `${packet.reason} → ${label(state.queue)} (priority ${state.priority}); ${packet.summary}`);
              for (const t of packet.trace.filter((l) => l.includes('FIRED'))) print('', t);
              print('', `collected ${JSON.stringify(packet.collected)}; sentiment ${packet.sentiment.map((s) => s.score).join(', ')}`);
            }
          } else if (cmd === 'say') {
            if (arg === '') print('console:', 'usage: /say TEXT');
            else await app.service.sendAgentMessage(id, agent.id, arg, agent.name);
          } else if (cmd === 'transfer') {
            const q = queueNamed(manifest, arg);
            if (q === undefined) print('console:', `${arg === '' ? 'usage: /transfer QUEUE' : `unknown queue ${JSON.stringify(arg)}`}${alternatives('queues', arg, Object.keys(manifest.queues))}`);
            else {
              const after = await app.service.transfer(id, q, { agentId: agent.id });
              const moved = after.queue !== q ? ` (not ${label(q)}: a repeated transfer goes to ${label(after.queue)})` : '';
              print('console:', `transferred to ${label(after.queue)}${moved}; the chat waits there — /accept takes it as ${agentFor(after.queue).name}`);
            }
          } else if (cmd === 'resolve') await app.service.resolve(id, agent.id, agent.name);
          else if (cmd === 'return') {
            const settled = parseReturn(arg);
            await app.service.returnToBot(id, agent.id, { collected: settled.collected, ...(settled.note === undefined ? {} : { note: settled.note }) });
            const fields = Object.entries(settled.collected).map(([k, v]) => `${k}=${v}`);
            print('console:', `returned to the bot${fields.length === 0 ? '' : ` with ${fields.join(', ')}`}`);
          } else if (cmd === 'metrics') {
            await app.metrics.flush();
            const m = await readMetrics(stores.documents, manifest, Date.now());
            print('metrics:', `containment ${m.containmentRate ?? '–'}, overflow ${m.overflowRate ?? '–'}, cost per resolution $${m.costPerResolutionUsd ?? '–'}, satisfaction ${m.satisfactionAfterTransfer.mean ?? '–'} (${m.satisfactionAfterTransfer.responses})`);
          } else if (cmd === 'queue') {
            for (const q of Object.keys(manifest.queues)) print('queue:', `${label(q)}: ${(await app.service.listQueue(q)).length} waiting (/transfer ${q})`);
          } else if (cmd === 'help') print('console:', COMMANDS);
          else print('console:', `unknown command /${cmd}; ${COMMANDS}`);
        } else {
          if (!tty) print('you:', line);
          await adapter.receive({ conversationId: conversation, userId: customerId, text: line, ...(locale ? { locale } : {}) }, (ctx) => app.bot.run(ctx));
          const s = await app.service.state(id);
          if (s.status === 'queued' || s.status === 'assigned') print('console:', `(customer message passed to ${s.status === 'queued' ? `the ${label(s.queue)} queue` : agent.name}; the bot is silent)`);
        }
      } catch (e) {
        print('error:', (e as Error).message);
      }
      showNew();
    }
  } finally {
    // an interactive terminal keeps stdin open: close it, or the process never exits
    rl.close();
    process.stdin.pause();
    if (tty) process.stdin.destroy();
    unsubscribe();
    await stores.close();
  }
  return 0;
}
