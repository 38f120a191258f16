/**
 * `handover chat`: the demo on the embedded in-memory store. You are the customer; when the bot
 * hands off, the briefing is printed and you can play the agent with slash commands — accept,
 * reply, transfer, resolve or return the customer to the bot — and keep talking as the customer.
 * Reads lines from stdin, so it can also be scripted: `printf 'hi\n' | handover chat`.
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

export async function chat(args: string[]): Promise<number> {
  let customerId = 'c-1001';
  let locale: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--customer') customerId = args[++i] ?? customerId;
    else if (args[i] === '--locale') locale = args[++i];
  }
  const config = loadConfig(resolve('manifest.json'));
  const customers = JSON.parse(readFileSync(resolve('data/customers.json'), 'utf8')) as CustomerProfile[];
  const stores = createMemoryStores();
  const app = createHandover({ manifest: config.manifest, stores, directory: new StaticCustomerDirectory(customers) });
  const adapter = new SimAdapter('webchat');
  adapter.use(app.middleware);
  const conversation = `demo-${Date.now()}`;
  const id: ConversationId = conversationKeyOf({ channelId: 'webchat', conversation: { id: conversation, isGroup: false, conversationType: '', name: '' } });
  const agent = agentId('ana');
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
  stores.events.subscribe((e) => {
    if (e.type === 'handoff.requested') print('console:', `new handoff in queue "${e.queue}" (reason ${e.reason}, priority ${e.priority}); type /accept`);
  });
  process.stdout.write(`Acme Shop demo — you are customer ${customerId}. Try "where is my order?" or "I want to talk to a person".\n`);
  process.stdout.write('Agent commands: /accept  /say TEXT  /transfer QUEUE  /resolve  /return  /queue  /metrics  /quit\n\n');
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === '/quit') break;
    try {
      if (line.startsWith('/')) {
        const [cmd, ...rest] = line.slice(1).split(' ');
        const arg = rest.join(' ');
        if (cmd === 'accept') {
          const { packet } = await app.service.accept(id, agent, 'Ana');
          if (packet !== undefined) {
            print('briefing:', `${packet.reason} → ${packet.queue} (priority ${packet.priority}); ${packet.summary}`);
            for (const t of packet.trace.filter((l) => l.includes('FIRED'))) print('', t);
            print('', `collected ${JSON.stringify(packet.collected)}; sentiment ${packet.sentiment.map((s) => s.score).join(', ')}`);
          }
        } else if (cmd === 'say') await app.service.sendAgentMessage(id, agent, arg, 'Ana');
        else if (cmd === 'transfer') print('console:', `now in ${(await app.service.transfer(id, arg, { agentId: agent })).queue}`);
        else if (cmd === 'resolve') await app.service.resolve(id, agent, 'Ana');
        else if (cmd === 'return') await app.service.returnToBot(id, agent);
        else if (cmd === 'metrics') {
          await app.metrics.flush();
          const m = await readMetrics(stores.documents, config.manifest, Date.now());
          print('metrics:', `containment ${m.containmentRate ?? '–'}, overflow ${m.overflowRate ?? '–'}, cost per resolution $${m.costPerResolutionUsd ?? '–'}, satisfaction ${m.satisfactionAfterTransfer.mean ?? '–'} (${m.satisfactionAfterTransfer.responses})`);
        } else if (cmd === 'queue') for (const q of Object.keys(config.manifest.queues)) print('queue:', `${q}: ${(await app.service.listQueue(q)).length} waiting`);
        else print('console:', `unknown command /${cmd}`);
      } else {
        print('you:', line);
        await adapter.receive({ conversationId: conversation, userId: customerId, text: line, ...(locale ? { locale } : {}) }, (ctx) => app.bot.run(ctx));
        const s = await app.service.state(id);
        if (s.status === 'queued' || s.status === 'assigned') print('console:', `(customer message passed to the ${s.status === 'queued' ? 'queue' : 'agent'}; the bot is silent)`);
      }
    } catch (e) {
      print('error:', (e as Error).message);
    }
    showNew();
  }
  await stores.close();
  return 0;
}
