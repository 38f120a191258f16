/**
 * Restarts, each on a Redis of this file's own, run as production should run it (AOF, appendfsync
 * everysec, noeviction; docs/redis.md "Run Redis for production"):
 * - a node goes away mid-handoff and a new one takes its place on the same prefix and route: nothing
 *   lived in the dead process that Redis does not have — the queue, the briefing, the transcript,
 *   the conversation reference and the agent messages sent while no one listened;
 * - Redis itself is killed (kill -9) under a real `handover start` and restarted on its data
 *   directory: no acknowledged customer line and no queued handoff is lost — and, as a control, the
 *   same kill on a Redis without persistence (what `handover start` refuses without
 *   --allow-volatile-redis) loses every one of them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../src/core/clock.js';
import { agentId, conversationId } from '../../src/core/ids.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { conversationApi, deskCall, eventually, spawnHandover, type HandoverProcess } from '../support/handover-processes.js';
import { deleteByPrefix, uniquePrefix } from '../support/redis.js';
import { startRedisServer, type RedisServerProcess } from '../support/redis-server.js';
import { startNode, waitUntil, type HandoverNode } from './nodes.js';

/** How production should run Redis (docs/redis.md, "Run Redis for production"); no RDB, so only the AOF can bring data back. */
const AOF_EVERYSEC = ['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction', '--save', ''];
/** What `.ci/run` used to start and `handover start` now refuses without --allow-volatile-redis. */
const NO_PERSISTENCE = ['--appendonly', 'no', '--save', ''];

describe('restart: a node dies mid-handoff and a new one takes over its route', function () {
  this.timeout(30_000);
  let redis: RedisServerProcess;
  let admin: RedisClient;
  let prefix: string;
  const nodes: HandoverNode[] = [];

  before(async () => {
    redis = await startRedisServer(AOF_EVERYSEC);
    admin = await redis.connect();
  });
  after(async () => {
    await admin?.close();
    await redis?.destroy();
  });
  beforeEach(() => {
    prefix = uniquePrefix();
  });
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.close()));
    await deleteByPrefix(admin, prefix);
  });

  it('keeps the queue and transcript; the agent accepts and replies, and the new node delivers on the same route', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 15));
    const start = async (name: string, route: string) => {
      const n = await startNode({ name, route, prefix, clock, url: redis.url });
      nodes.push(n);
      return n;
    };
    let node1: HandoverNode | undefined = await start('node1', 'node1');
    const agentNode = await start('node2', 'node2');
    const conversation = `c-${randomUUID().slice(0, 8)}`;
    const id = conversationId(`webchat:${conversation}`);

    await node1.say(conversation, 'hi');
    clock.advanceMs(5_000);
    await node1.say(conversation, 'where is my order A12345');
    clock.advanceMs(5_000);
    await node1.say(conversation, 'I want to talk to a real person');
    const queue = (await agentNode.app.service.state(id)).queue!;
    const transcriptBefore = await agentNode.stores.transcripts.read(id);

    // node 1 dies: connections closed, objects dropped, nothing cleaned up in Redis
    await node1.close();
    nodes.splice(nodes.indexOf(node1), 1);
    node1 = undefined;

    assert.deepEqual((await agentNode.app.service.listQueue(queue)).map((e) => e.conversationId), [id], 'still waiting in its queue');
    assert.deepEqual(await agentNode.stores.transcripts.read(id), transcriptBefore, 'the transcript is intact');
    assert.deepEqual(
      transcriptBefore.filter((l) => l.from === 'customer').map((l) => l.text),
      ['hi', 'where is my order A12345', 'I want to talk to a real person'],
    );

    // the agent accepts while no node holds route node1: the "joined" line waits in the route's stream
    const { packet } = await agentNode.app.service.accept(id, agentId('ana'), 'Ana');
    assert.equal(packet?.collected.order_number, 'A12345', 'the briefing survived too');

    // a new process takes over the route; the agent replies
    const node1b = await start('node1b', 'node1');
    await agentNode.app.service.sendAgentMessage(id, agentId('ana'), 'Hi, I am Ana. Your order A12345 left yesterday.', 'Ana');
    await agentNode.app.service.sendAgentMessage(id, agentId('ana'), 'marker', 'Ana');
    await waitUntil(() => node1b.sentTexts(conversation).includes('marker'), 'the new node to deliver the agent messages');
    assert.deepEqual(node1b.sentTexts(conversation), ['Ana has joined the conversation.', 'Hi, I am Ana. Your order A12345 left yesterday.', 'marker']);
    const delivered = node1b.adapter.sent.get(conversation)![0]!;
    assert.equal(delivered.conversation?.id, conversation, 'delivered into the customer\'s conversation, from the stored reference');
    assert.equal(delivered.recipient?.id, 'c-1001');

    // the customer goes on talking through the new node: the bot stays silent, the agent hears it
    assert.deepEqual(await node1b.say(conversation, 'great, thanks'), []);
    await waitUntil(() => agentNode.events.some((e) => e.type === 'customer.message' && e.conversationId === id && e.text === 'great, thanks'), 'the agent to hear the customer');

    // after the agent resolves, the bot answers again on the new node
    await agentNode.app.service.returnToBot(id, agentId('ana'));
    clock.advanceMs(5_000);
    const answer = (await node1b.say(conversation, 'what time do you open on saturday?')).map((a) => a.text ?? '').join(' ');
    assert.match(answer, /Saturday 10:00/);
    assert.deepEqual([...node1b.errors, ...agentNode.errors], []);
  });
});

/** A Direct Line customer: what the service acknowledged (HTTP 200 with the activity id) is what was sent. */
interface DirectLineCustomer {
  readonly webchatId: string;
  readonly token: string;
  /** Lines the service acknowledged, in order: the text and the id it answered with. */
  readonly acked: { readonly id: string; readonly text: string }[];
}

async function openConversation(base: string): Promise<DirectLineCustomer> {
  const res = await fetch(`${base}/v3/directline/conversations`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ locale: 'en' }) });
  assert.equal(res.status, 201, `start a Direct Line conversation: ${await res.clone().text()}`);
  const body = (await res.json()) as { conversationId: string; token: string };
  return { webchatId: body.conversationId, token: body.token, acked: [] };
}

/** Posts a line; records it as acknowledged only when the service answered 200 with its id. */
async function say(base: string, c: DirectLineCustomer, text: string): Promise<void> {
  const res = await fetch(`${base}/v3/directline/conversations/${encodeURIComponent(c.webchatId)}/activities`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${c.token}` },
    body: JSON.stringify({ type: 'message', text, from: { id: 'ignored' } }),
  });
  const body = await res.text();
  assert.equal(res.status, 200, `${text}: ${body}`);
  c.acked.push({ id: (JSON.parse(body) as { id: string }).id, text });
}

/** What the service holds for one customer: their lines in the web chat history (ids) and in the transcript (texts). */
interface Held {
  readonly historyIds: string[] | null;
  readonly transcript: string[] | null;
}

async function held(base: string, c: DirectLineCustomer): Promise<Held> {
  const history = await fetch(`${base}/v3/directline/conversations/${encodeURIComponent(c.webchatId)}/activities`, { headers: { Authorization: `Bearer ${c.token}` } });
  const historyIds =
    history.status === 200
      ? ((await history.json()) as { activities: { id: string; type: string; from?: { role?: string } }[] }).activities.filter((a) => a.type === 'message' && a.from?.role === 'user').map((a) => a.id)
      : null;
  const view = await deskCall(base, 'GET', conversationApi(`webchat:${c.webchatId}`));
  const transcript = view.status === 200 ? (view.json['transcript'] as { from: string; type: string; text: string }[]).filter((l) => l.from === 'customer' && l.type === 'message').map((l) => l.text) : null;
  return { historyIds, transcript };
}

/** Every conversation waiting in any queue, as the help desk sees them. */
async function queued(base: string): Promise<Set<string> | null> {
  const r = await deskCall(base, 'GET', '/api/queues');
  if (r.status !== 200) return null;
  return new Set((r.json['queues'] as { conversations: { conversationId: string }[] }[]).flatMap((q) => q.conversations.map((c) => c.conversationId)));
}

/** Acknowledged lines the service no longer holds, once, in order (history by id, transcript by text). */
function lostLines(c: DirectLineCustomer, h: Held): number {
  let lost = 0;
  for (const [i, line] of c.acked.entries()) {
    const inHistory = h.historyIds !== null && h.historyIds.filter((id) => id === line.id).length === 1;
    const inTranscript = h.transcript !== null && h.transcript[i] === line.text;
    if (!inHistory || !inTranscript) lost++;
  }
  return lost;
}

describe('restart: Redis is killed (kill -9) under handover start and restarted on its data directory', function () {
  this.timeout(60_000);
  let redis: RedisServerProcess | undefined;
  let proc: HandoverProcess | undefined;

  afterEach(async () => {
    await proc?.stop();
    await redis?.destroy();
    proc = undefined;
    redis = undefined;
  });

  /**
   * `customers` Direct Line customers, each: two lines to the bot, a request for a person (queued),
   * then three more lines while waiting. Resolves once every line is acknowledged and recorded and
   * every handoff is queued, with what the service then holds.
   */
  async function traffic(base: string, customers: number): Promise<{ list: DirectLineCustomer[]; before: Held[]; queue: Set<string>; lastAck: number }> {
    const list = await Promise.all(Array.from({ length: customers }, () => openConversation(base)));
    let lastAck = 0;
    await Promise.all(
      list.map(async (c, i) => {
        for (const text of [`hi, customer ${i} here`, `where is my order A${10000 + i}?`, 'I want to talk to a real person', `still there? (${i}.1)`, `hello? (${i}.2)`, `ok, waiting (${i}.3)`]) {
          await say(base, c, text);
          lastAck = Math.max(lastAck, Date.now());
        }
      }),
    );
    // every turn recorded (a turn runs after the line is acknowledged) and every handoff waiting
    let before: Held[] = [];
    let queue = new Set<string>();
    await eventually(async () => {
      before = await Promise.all(list.map((c) => held(base, c)));
      queue = (await queued(base)) ?? new Set();
      return list.every((c, i) => lostLines(c, before[i]!) === 0 && queue.has(`webchat:${c.webchatId}`));
    }, 'every acknowledged line recorded and every handoff queued', 20_000, 100);
    return { list, before, queue, lastAck };
  }

  /** kill -9 of Redis more than a second after the last acknowledgement and the last write seen, then a restart on the same directory. */
  async function crashAndRestart(server: RedisServerProcess, lastAck: number): Promise<number> {
    // appendfsync everysec: a write reaches the disk within a second of being acknowledged, so wait
    // > 1 s after the last acknowledgement (and after the last write we saw land) before the kill.
    const waitMs = Math.max(0, lastAck + 1_200 - Date.now(), 1_200);
    await new Promise((r) => setTimeout(r, waitMs));
    await server.kill9();
    await server.restart();
    return waitMs;
  }

  it('AOF everysec: 0 acknowledged customer lines and 0 queued handoffs lost, and the same process goes on', async () => {
    redis = await startRedisServer(AOF_EVERYSEC);
    // the durability check passes quietly: no override flag, no warning
    proc = await spawnHandover({ REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix() });
    assert.doesNotMatch(proc.stderr(), /WARNING/);
    const { list, before, queue, lastAck } = await traffic(proc.base, 12);
    const acked = list.reduce((n, c) => n + c.acked.length, 0);
    assert.equal(acked, 72);
    assert.equal(queue.size, 12);

    await crashAndRestart(redis, lastAck);

    // the process reconnects by itself; then everything it held before the kill is there again
    const base = proc.base;
    let after: Held[] = [];
    await eventually(async () => {
      after = await Promise.all(list.map((c) => held(base, c).catch(() => ({ historyIds: null, transcript: null }))));
      return after.every((h) => h.transcript !== null);
    }, 'the process to read Redis again after its restart', 20_000, 200);
    const lost = list.reduce((n, c, i) => n + lostLines(c, after[i]!), 0);
    const queueAfter = (await queued(base)) ?? new Set<string>();
    const lostHandoffs = [...queue].filter((id) => !queueAfter.has(id)).length;
    assert.equal(lost, 0, `acknowledged lines lost: ${lost} of ${acked}`);
    assert.equal(lostHandoffs, 0, `queued handoffs lost: ${lostHandoffs} of ${queue.size}`);
    assert.deepEqual(after, before, 'history and transcript exactly as before the kill: nothing lost, nothing doubled');

    // and the service goes on on the restarted Redis: a new line is acknowledged and recorded
    await say(base, list[0]!, 'are you back?');
    await eventually(async () => lostLines(list[0]!, await held(base, list[0]!)) === 0, 'the new line to be recorded', 10_000, 100);
  });

  it('control: the same kill on a Redis without persistence (started with --allow-volatile-redis) loses every line and every handoff', async () => {
    redis = await startRedisServer(NO_PERSISTENCE);
    proc = await spawnHandover({ REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix() }, ['--allow-volatile-redis']);
    assert.match(proc.stderr(), /CAN LOSE HANDOVER'S DATA/);
    const { list, queue, lastAck } = await traffic(proc.base, 4);
    const acked = list.reduce((n, c) => n + c.acked.length, 0);

    await crashAndRestart(redis, lastAck);

    const base = proc.base;
    let queueAfter: Set<string> | null = null;
    await eventually(async () => (queueAfter = await queued(base).catch(() => null)) !== null, 'the process to read Redis again after its restart', 20_000, 200);
    const after = await Promise.all(list.map((c) => held(base, c)));
    const lost = list.reduce((n, c, i) => n + lostLines(c, after[i]!), 0);
    const lostHandoffs = [...queue].filter((id) => !queueAfter!.has(id)).length;
    // what the AOF test above measures can fail: without persistence it finds everything gone
    assert.equal(lost, acked, `acknowledged lines lost: ${lost} of ${acked}`);
    assert.equal(lostHandoffs, queue.size, `queued handoffs lost: ${lostHandoffs} of ${queue.size}`);
  });
});
