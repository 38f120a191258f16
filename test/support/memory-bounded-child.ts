/**
 * Child process of test/integration/memory-store-bounded.spec.ts (run with --expose-gc): many short
 * web chat conversations through the real composition on the memory store — `openStores('memory')`
 * with its web chat history, `createHandover` (the real middleware and the sample bot of dialogs/),
 * the web chat adapter and agent delivery — with a `ManualClock`, so the conversation TTL passes
 * without sleeping. Prints one JSON line per round of `ROUND` conversations, then a summary line.
 *
 * Each conversation: the customer opens the chat and asks where the order is; every 20th asks for a
 * person and an agent accepts, writes and resolves; every 1,000th asks for a person and is left
 * waiting (it must never expire). After each round the clock moves on and the store's sweep runs
 * (what its timer does every minute); at the end the clock moves past the TTL once more.
 *
 * Env: BOUNDED_CONVERSATIONS (default 20000), BOUNDED_TTL_MS (default 9 min: each round takes 10, so after each sweep the last 900 conversations are live).
 */
import { readFileSync } from 'node:fs';
import type { TurnContext } from 'botbuilder';
import { createHandover } from '../../src/app.js';
import { ManualClock } from '../../src/core/clock.js';
import type { CustomerProfile } from '../../src/core/conversation.js';
import { agentId, conversationId } from '../../src/core/ids.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import { parseManifest } from '../../src/config/load-config.js';
import { openStores, type OpenedStores } from '../../src/store/open-stores.js';
import { WebChatAdapter } from '../../src/channels/webchat/webchat-adapter.js';
import { attachAgentDelivery } from '../../src/bridge/agent-delivery.js';
import { memoryKey } from '../../src/handoff/conversation-memory.js';

const TOTAL = Number(process.env['BOUNDED_CONVERSATIONS'] ?? 20_000);
const TTL_MS = Number(process.env['BOUNDED_TTL_MS'] ?? 9 * 60_000);
const ROUND = 1_000;
/** Conversations started at once (then the clock moves a minute). */
const WAVE = 100;

const gc = (globalThis as { gc?: () => void }).gc;
function heapMB(): number {
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return Math.round((process.memoryUsage().heapUsed / 1e6) * 10) / 10;
}

async function main(): Promise<void> {
  const manifest = parseManifest(JSON.parse(readFileSync('manifest.json', 'utf8')));
  const customers = JSON.parse(readFileSync('data/customers.json', 'utf8')) as CustomerProfile[];
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 15));
  const errors: string[] = [];
  const stores: OpenedStores = await openStores('memory', { clock, memory: { conversationTtlMs: TTL_MS }, onError: (e) => errors.push(String(e)) });
  const app = createHandover({
    manifest,
    stores,
    clock,
    directory: new StaticCustomerDirectory(customers),
    onError: (e, where) => errors.push(`${where}: ${String(e)}`),
  });
  const adapter = new WebChatAdapter({
    activityLog: stores.activityLog,
    logic: (ctx: TurnContext) => app.bot.run(ctx),
    clock,
    // a short conversation: the customer's message and the bot's answer (no welcome turn)
    conversationUpdateOnStart: false,
    sleep: async () => {},
    log: { info: () => {}, warn: (m) => errors.push(m), error: (m) => errors.push(m) },
  });
  adapter.use(app.middleware);
  const stopDelivery = await attachAgentDelivery({ adapter, stores, route: adapter.channelId });
  const ana = agentId('ana');

  const firstRound: string[] = [];
  const waiting: string[] = [];
  let replies = 0;
  const one = async (k: number): Promise<void> => {
    const { conversationId: wc } = await adapter.startConversation({ userId: `u-${k}` });
    if (k < ROUND) firstRound.push(wc);
    const wantsPerson = k % 20 === 0 || k % 1000 === 999;
    await adapter.receive(wc, `u-${k}`, { type: 'message', text: wantsPerson ? 'I want to talk to a person' : 'where is my order?' });
    await adapter.drain();
    const page = await stores.activityLog.since(wc);
    if (page.activities.some((a) => (a.from as { role?: string } | undefined)?.role === 'bot')) replies++;
    const id = conversationId(`webchat:${wc}`);
    if (k % 1000 === 999) {
      waiting.push(wc); // left waiting for an agent: kept whatever the TTL
    } else if (k % 20 === 0) {
      await app.service.accept(id, ana, 'Ana');
      await app.service.sendAgentMessage(id, ana, 'Hi, Ana here. Your order is on its way.', 'Ana');
      await app.service.resolve(id, ana, 'Ana');
    }
  };

  const started = Date.now();
  const counts = () => stores.memory?.counts() ?? null;
  for (let k = 0; k < TOTAL; k += WAVE) {
    await Promise.all(Array.from({ length: Math.min(WAVE, TOTAL - k) }, (_, j) => one(k + j)));
    clock.advanceMs(60_000);
    if ((k + WAVE) % ROUND === 0 || k + WAVE >= TOTAL) {
      stores.memory?.expiry.sweep(); // what the store's timer does each minute
      process.stdout.write(`${JSON.stringify({ round: Math.ceil((k + WAVE) / ROUND), conversations: Math.min(k + WAVE, TOTAL), heapMB: heapMB(), counts: counts(), seconds: (Date.now() - started) / 1000 })}\n`);
    }
  }
  // the last conversations go idle too
  clock.advanceMs(TTL_MS + 1);
  stores.memory?.expiry.sweep();

  // what is left of the first round (all idle for far longer than the TTL) through the ports
  let leftOfFirstRound = 0;
  for (const wc of firstRound) {
    const id = conversationId(`webchat:${wc}`);
    if (waiting.includes(wc)) continue;
    const held =
      (await stores.transcripts.read(id)).length > 0 ||
      (await stores.documents.read(memoryKey(id))) !== undefined ||
      (await stores.handoffs.get(id)).version > 0 ||
      (await stores.activityLog.exists(wc));
    if (held) leftOfFirstRound++;
  }
  const keptWaiting: { status: string; transcript: number; history: boolean; briefing: boolean }[] = [];
  for (const wc of waiting) {
    const id = conversationId(`webchat:${wc}`);
    const state = await stores.handoffs.get(id);
    keptWaiting.push({
      status: state.status,
      transcript: (await stores.transcripts.read(id)).length,
      history: await stores.activityLog.exists(wc),
      briefing: state.handoffId !== null && (await stores.packets.get(state.handoffId)) !== undefined,
    });
  }
  const final = { done: true, total: TOTAL, replies, heapMB: heapMB(), counts: counts(), leftOfFirstRound, firstRound: firstRound.length - waiting.filter((w) => firstRound.includes(w)).length, keptWaiting, errors: errors.slice(0, 5), errorCount: errors.length, seconds: (Date.now() - started) / 1000 };
  process.stdout.write(`${JSON.stringify(final)}\n`);
  await stopDelivery();
  await stores.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
