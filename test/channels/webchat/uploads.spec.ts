/**
 * Web chat uploads (issue 16; the limits: test/unit/channels/webchat-upload-limits.spec.ts): Direct Line's `POST …/upload` over HTTP (stored in
 * the customer media store — memory and Redis — the activity carrying the file, 413 / 415 refusals),
 * typing from the bot and from an agent (ephemeral, never in the history), and the agent's own
 * `from` on agent messages.
 */
import assert from 'node:assert/strict';
import { ActivityTypes, ShowTypingMiddleware, TurnContext } from 'botbuilder';
import { systemClock } from '../../../src/core/clock.js';
import { agentId, conversationId } from '../../../src/core/ids.js';
import { CustomerMedia } from '../../../src/handoff/customer-media.js';
import { MemoryDocumentStore } from '../../../src/store/memory/memory-document-store.js';
import { MemoryEventBus } from '../../../src/store/memory/memory-event-bus.js';
import { MemoryActivityLog } from '../../../src/store/memory/memory-activity-log.js';
import { createRedisStores } from '../../../src/store/redis/index.js';
import { WebChatAdapter } from '../../../src/channels/webchat/webchat-adapter.js';
import { startWebChatServer, type TestWebChatServer } from '../../support/webchat-server.js';
import { JsonSocket } from '../../support/webchat-clients.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../../support/redis.js';
import type { DocumentStore } from '../../../src/core/ports/document-store.js';
import { multipart } from '../../support/multipart.js';

type Json = Record<string, unknown>;
const dl = '/v3/directline';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('rest of a png')]);


for (const store of ['memory', 'redis'] as const) {
  describe(`web chat uploads over Direct Line (${store} media store)`, () => {
    let srv: TestWebChatServer;
    let docs: DocumentStore;
    let media: CustomerMedia;
    let closeStore: () => Promise<void> = async () => {};

    beforeEach(async () => {
      if (store === 'memory') docs = new MemoryDocumentStore();
      else {
        const prefix = uniquePrefix();
        const stores = await createRedisStores({ url: REDIS_URL, prefix });
        docs = stores.documents;
        closeStore = async () => {
          await stores.close();
          const admin = await connectTestRedis();
          await deleteByPrefix(admin, prefix);
          await admin.close();
        };
      }
      media = new CustomerMedia(docs, systemClock);
      srv = await startWebChatServer({ uploads: { keep: (f, id) => media.put(f, id), limits: { maxBytes: 1024 * 1024 } } });
    });
    afterEach(async () => {
      await srv.close();
      await closeStore();
    });

    async function start(): Promise<{ conversationId: string; token: string }> {
      const r = await fetch(`${srv.baseUrl}${dl}/conversations`, { method: 'POST' });
      assert.equal(r.status, 201);
      return (await r.json()) as { conversationId: string; token: string };
    }
    async function upload(c: { conversationId: string; token: string } | undefined, conversation: string, files: Array<{ name: string; type: string; bytes: Buffer }>, activity: Json = { type: 'message', from: { id: 'someone-else' }, channelData: { clientActivityID: 'up-1' } }): Promise<{ status: number; json: Json }> {
      const { body, contentType } = await multipart(activity, files);
      const r = await fetch(`${srv.baseUrl}${dl}/conversations/${conversation}/upload?userId=x`, {
        method: 'POST',
        headers: { 'Content-Type': contentType, ...(c === undefined ? {} : { Authorization: `Bearer ${c.token}` }) },
        body: new Uint8Array(body),
      });
      return { status: r.status, json: (await r.json()) as Json };
    }

    it('keeps the photo in the customer media store and posts one activity with it (echoed on the stream, in the history, to the bot)', async () => {
      const c = await start();
      const stream = await JsonSocket.open(`${srv.wsBase}${dl}/conversations/${c.conversationId}/stream?t=${encodeURIComponent(c.token)}`);
      try {
        const r = await upload(c, c.conversationId, [{ name: 'box.png', type: 'image/png', bytes: PNG }], { type: 'message', text: 'the box arrived like this', channelData: { clientActivityID: 'up-1' } });
        assert.equal(r.status, 200, JSON.stringify(r.json));
        const id = String(r.json['id']);
        const echo = await stream.waitFor((f) => Array.isArray(f['activities']) && (f['activities'] as Json[]).some((a) => a['id'] === id));
        const a = (echo['activities'] as Json[]).find((x) => x['id'] === id)!;
        assert.equal(a['text'], 'the box arrived like this');
        assert.equal((a['channelData'] as Json)['clientActivityID'], 'up-1');
        assert.equal((a['from'] as Json)['role'], 'user');
        const [att] = a['attachments'] as Json[];
        assert.equal(att!['contentType'], 'image/png');
        assert.equal(att!['name'], 'box.png');
        const url = String(att!['contentUrl']);
        assert.match(url, /^\/api\/media\/[0-9a-f-]{36}$/, 'served by the console\'s signed-in proxy');
        const kept = await new CustomerMedia(docs, systemClock).get(url.slice('/api/media/'.length));
        assert.ok(kept?.bytes.equals(PNG), 'the bytes, kept');
        assert.equal(kept?.contentType, 'image/png');
        // the bot's turn got the attachment too
        const history = await srv.channel.adapter.activityLog.since(c.conversationId, '0');
        assert.ok(history.activities.some((x) => x.id === id && Array.isArray(x['attachments'])));
        // erasure finds it under the handover conversation id
        assert.equal(await media.forgetConversation(`webchat:${c.conversationId}`), 1);
      } finally {
        await stream.close();
      }
    });

    it('refuses past the limits with 413 / 415 and a message, nothing kept or posted; 401 without the token; 403 with another conversation\'s', async () => {
      const c = await start();
      const before = (await srv.channel.adapter.activityLog.since(c.conversationId, '0')).watermark;
      const big = await upload(c, c.conversationId, [{ name: 'huge.png', type: 'image/png', bytes: Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]) }]);
      assert.equal(big.status, 413);
      assert.equal((big.json['error'] as Json)['code'], 'HANDOVER_ERR_PAYLOAD_TOO_LARGE');
      assert.match(String((big.json['error'] as Json)['message']), /up to 1 MB/);
      const huge = await upload(c, c.conversationId, [{ name: 'huge.png', type: 'image/png', bytes: Buffer.concat([PNG, Buffer.alloc(3 * 1024 * 1024)]) }]);
      assert.equal(huge.status, 413, 'a body far past the limit: refused without keeping it');
      const exe = await upload(c, c.conversationId, [{ name: 'setup.exe', type: 'application/x-msdownload', bytes: Buffer.from('MZ\x90\x00') }]);
      assert.equal(exe.status, 415);
      assert.equal((exe.json['error'] as Json)['code'], 'HANDOVER_ERR_UNSUPPORTED_MEDIA_TYPE');
      assert.match(String((exe.json['error'] as Json)['message']), /setup\.exe: files of type application\/x-msdownload cannot be sent/);
      const fake = await upload(c, c.conversationId, [{ name: 'cat.png', type: 'image/png', bytes: Buffer.from('<svg onload=alert(1)>') }]);
      assert.equal(fake.status, 415);
      assert.equal((await upload(undefined, c.conversationId, [{ name: 'box.png', type: 'image/png', bytes: PNG }])).status, 401);
      const other = await start();
      assert.equal((await upload(other, c.conversationId, [{ name: 'box.png', type: 'image/png', bytes: PNG }])).status, 403);
      assert.equal((await srv.channel.adapter.activityLog.since(c.conversationId, '0')).watermark, before, 'nothing posted');
      assert.equal(await media.forgetConversation(`webchat:${c.conversationId}`), 0, 'nothing kept');
    });
  });
}

describe('web chat typing and agent identity (issue 16)', () => {
  it('the bot\'s typing and an agent\'s typing reach the clients, never the history; an agent\'s activities are from agent:<id> with their name', async () => {
    const log = new MemoryActivityLog();
    const adapter = new WebChatAdapter({
      activityLog: log,
      conversationUpdateOnStart: false,
      logic: async (ctx) => {
        if (ctx.activity.type !== ActivityTypes.Message) return;
        await ctx.sendActivity({ type: ActivityTypes.Typing });
        await ctx.sendActivity('Let me check.');
      },
    });
    const { conversationId: id } = await adapter.startConversation({ userId: 'u-1' });
    const seen: Json[] = [];
    const stop = await adapter.openStream(id, undefined, (b) => seen.push(...(b.activities as unknown as Json[])));
    await adapter.receive(id, 'u-1', { type: 'message', text: 'hi' });
    await adapter.drain();
    const botTyping = seen.find((a) => a['type'] === 'typing');
    assert.ok(botTyping, 'the bot\'s typing reached the client');
    assert.equal((botTyping['from'] as Json)['id'], 'bot');

    assert.equal(adapter.showAgentTyping(id, { id: 'ana', name: 'Ana' }), true);
    const agentTyping = seen.filter((a) => a['type'] === 'typing').at(-1)!;
    assert.deepEqual(agentTyping['from'], { id: 'agent:ana', name: 'Ana', role: 'bot' });
    assert.equal(((agentTyping['channelData'] as Json)['handover'] as Json)['role'], 'agent');
    assert.equal(adapter.showAgentTyping('wc_nobody', { id: 'ana', name: 'Ana' }), false, 'nobody connected: nothing to show');

    // an agent's message, as attachAgentDelivery sends it
    const reference = { conversation: { id } as never, channelId: 'webchat', serviceUrl: 'urn:handover:webchat', bot: { id: 'bot', name: 'Bot' } as never, user: { id: 'u-1' } as never };
    await adapter.continueConversation(reference, async (ctx: TurnContext) => {
      await ctx.sendActivity({ type: 'message', text: 'Hi, I am Ana', channelData: { handover: { role: 'agent', kind: 'agent_message', agentName: 'Ana', agentId: 'ana', messageId: 'm-1' } } });
    });
    const agentLine = seen.find((a) => a['text'] === 'Hi, I am Ana')!;
    const botLine = seen.find((a) => a['text'] === 'Let me check.')!;
    assert.deepEqual(agentLine['from'], { id: 'agent:ana', name: 'Ana', role: 'bot' });
    assert.notEqual((agentLine['from'] as Json)['id'], (botLine['from'] as Json)['id']);
    stop();

    const history = await log.since(id, '0');
    assert.equal(history.activities.filter((a) => a.type === 'typing').length, 0, 'typing is never stored');
    assert.equal(history.activities.filter((a) => a.type === 'message').length, 3);
  });

  it('botbuilder\'s ShowTypingMiddleware: its typing reaches the client before the slow reply, and is not stored', async () => {
    const log = new MemoryActivityLog();
    const adapter = new WebChatAdapter({
      activityLog: log,
      conversationUpdateOnStart: false,
      logic: async (ctx) => {
        if (ctx.activity.type !== ActivityTypes.Message) return;
        // a slow bot (a backend call): the middleware says "typing" after its 10 ms delay
        await new Promise((r) => setTimeout(r, 300));
        await ctx.sendActivity('Found your order.');
      },
    });
    adapter.use(new ShowTypingMiddleware(10, 2000));
    const { conversationId: id } = await adapter.startConversation({ userId: 'u-1' });
    const seen: Json[] = [];
    const stop = await adapter.openStream(id, undefined, (b) => seen.push(...(b.activities as unknown as Json[])));
    await adapter.receive(id, 'u-1', { type: 'message', text: 'where is my order?' });
    await adapter.drain();
    stop();
    const types = seen.map((a) => a['type']);
    assert.ok(types.indexOf('typing') > 0 && types.indexOf('typing') < types.lastIndexOf('message'), types.join(','));
    assert.equal((seen.find((a) => a['type'] === 'typing')!['from'] as Json)['id'], 'bot');
    assert.equal((await log.since(id, '0')).activities.some((a) => a.type === 'typing'), false);
  });

  it('an agent.typing event on the deployment\'s bus reaches the conversation\'s widget as "<agent> typing"; other channels\' events are ignored', async () => {
    const events = new MemoryEventBus();
    const srv = await startWebChatServer({ events });
    const ws = await JsonSocket.open(`${srv.wsBase}/webchat/ws`);
    try {
      ws.send({ type: 'start', locale: 'en' });
      const session = await ws.waitFor((f) => f['type'] === 'session');
      const id = String(session['conversationId']);
      await ws.waitFor((f) => f['type'] === 'activities');
      await events.publish({ type: 'agent.typing', conversationId: conversationId(`whatsapp:${id}`), at: Date.now(), agentId: agentId('bo'), agentName: 'Bo' });
      await events.publish({ type: 'agent.typing', conversationId: conversationId(`webchat:${id}`), at: Date.now(), agentId: agentId('ana'), agentName: 'Ana' });
      const f = await ws.waitFor((x) => Array.isArray(x['activities']) && (x['activities'] as Json[]).some((a) => a['type'] === 'typing'));
      const typing = (f['activities'] as Json[]).find((a) => a['type'] === 'typing')!;
      assert.deepEqual(typing['from'], { id: 'agent:ana', name: 'Ana', role: 'bot' });
      assert.equal(f['watermark'], undefined, 'not part of the history');
    } finally {
      await ws.close();
      await srv.close();
    }
  });
});
