/**
 * Agents' files on whatsapp-web.js: a `handover-file:` attachment (kept by AgentFiles) goes out as a
 * MessageMedia through the client's `sendFile` — a photo inline with the text as its caption, a PDF as
 * a document — paced like texts, then the file is forgotten; a file no longer kept, or a client that
 * cannot send files, is reported to the agent instead. The real adapter; the client is the fake.
 */
import assert from 'node:assert/strict';
import { AgentFiles } from '../../../src/bridge/agent-files.js';
import type { FileNotSentEvent } from '../../../src/channels/whatsapp/cloud/whatsapp-cloud-adapter.js';
import { silentChannelLogger } from '../../../src/channels/whatsapp/shared/channel-logger.js';
import { WhatsAppWebAdapter } from '../../../src/channels/whatsapp/web/whatsapp-web-adapter.js';
import { ManualClock, systemClock } from '../../../src/core/clock.js';
import { createRedisStores, RedisKeys } from '../../../src/store/redis/index.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../../support/redis.js';
import { MemoryDocumentStore } from '../../../src/store/memory/memory-document-store.js';
import { FakeWwebjsClient } from '../../support/fake-wwebjs-client.js';
import { solidPng } from '../../support/whatsapp-cloud-service.js';

const CUSTOMER = '5511987654321@c.us';
const ref = { channelId: 'whatsapp', serviceUrl: 'whatsapp-web:', conversation: { id: CUSTOMER, isGroup: false, conversationType: 'personal', name: '' } };

function setup() {
  const client = new FakeWwebjsClient();
  const clock = new ManualClock(1_700_000_000_000);
  const docs = new MemoryDocumentStore();
  const files = new AgentFiles(docs, clock);
  const notSent: FileNotSentEvent[] = [];
  const adapter = new WhatsAppWebAdapter({
    client,
    clock,
    sleep: async (ms) => clock.advanceMs(ms),
    logger: silentChannelLogger,
    agentFiles: files,
    onFileNotSent: (e) => void notSent.push(e),
  });
  return { client, clock, docs, files, adapter, notSent };
}

describe('agents send files on whatsapp-web.js (MessageMedia)', () => {
  it('a photo goes inline with the agent text as caption, a PDF as a document; both are forgotten once sent', async () => {
    const { client, files, adapter, notSent } = setup();
    await client.initialize();
    const png = solidPng(8, 8);
    const photo = await files.put({ contentType: 'image/png', name: 'label.png', bytes: png });
    const pdf = await files.put({ contentType: 'application/pdf', name: 'invoice.pdf', bytes: Buffer.from('%PDF-1.4\n') });
    await adapter.continueConversation(ref, async (ctx) => {
      await ctx.sendActivity({ type: 'message', text: 'Your label', attachments: [{ contentType: photo.contentType, name: photo.name, contentUrl: photo.url }], channelData: { handover: { role: 'agent' } } });
      await ctx.sendActivity({ type: 'message', text: '', attachments: [{ contentType: pdf.contentType, name: pdf.name, contentUrl: pdf.url }], channelData: { handover: { role: 'agent' } } });
    });
    await adapter.whenIdle();
    assert.deepEqual(
      client.sentFiles.map((f) => [f.chatId, f.file.mimetype, f.file.filename, f.caption, f.asDocument]),
      [
        [CUSTOMER, 'image/png', 'label.png', 'Your label', false],
        [CUSTOMER, 'application/pdf', 'invoice.pdf', undefined, true],
      ],
    );
    assert.ok(Buffer.from(client.sentFiles[0]!.file.data, 'base64').equals(png), 'the bytes are the file');
    assert.deepEqual(client.sent, [], 'no text line with a handover-file: reference');
    assert.equal(await files.get(photo.url), undefined, 'forgotten once sent');
    assert.equal(await files.get(pdf.url), undefined);
    assert.deepEqual(notSent, []);
  });

  it('a file no longer kept (past 24 h), or a client without sendFile, is reported to the agent, not sent as a link', async () => {
    const { client, clock, files, adapter, notSent } = setup();
    await client.initialize();
    const old = await files.put({ contentType: 'image/jpeg', name: 'old.jpg', bytes: Buffer.from([0xff, 0xd8, 0xff]) });
    clock.advanceMs(24 * 3_600_000 + 1);
    await adapter.continueConversation(ref, async (ctx) => {
      await ctx.sendActivity({ type: 'message', text: '', attachments: [{ contentType: 'image/jpeg', name: 'old.jpg', contentUrl: old.url }] });
    });
    await adapter.whenIdle();
    assert.deepEqual(notSent.map((e) => e.reason), ['missing']);

    (client as { sendFile?: unknown }).sendFile = undefined;
    const doc = await files.put({ contentType: 'application/pdf', name: 'terms.pdf', bytes: Buffer.from('%PDF') });
    await adapter.continueConversation(ref, async (ctx) => {
      await ctx.sendActivity({ type: 'message', text: 'terms', attachments: [{ contentType: 'application/pdf', name: 'terms.pdf', contentUrl: doc.url }] });
    });
    await adapter.whenIdle();
    assert.deepEqual(notSent.slice(1).map((e) => [e.name, e.reason]), [['terms.pdf', 'refused']]);
    assert.deepEqual(client.sentFiles, []);
    assert.deepEqual(client.sent, []);
  });
});

describe('agent files on Redis', () => {
  it('an agent file\'s key expires with the file (24 h), not with the 30-day bot-state retention', async () => {
    const prefix = uniquePrefix();
    const stores = await createRedisStores({ url: REDIS_URL, prefix });
    const admin = await connectTestRedis();
    try {
      const files = new AgentFiles(stores.documents, systemClock);
      const ref = await files.put({ contentType: 'application/pdf', name: 'invoice.pdf', bytes: Buffer.from('%PDF-1.4\n') });
      const ttl = await admin.pTTL(new RedisKeys(prefix).document(`agent-file:${ref.url.slice('handover-file:'.length)}`));
      assert.ok(ttl > 23.9 * 3_600_000 && ttl <= 24 * 3_600_000, `PTTL ${ttl}`);
      assert.equal((await files.get(ref.url))?.name, 'invoice.pdf');
      await files.delete(ref.url);
      assert.equal(await files.get(ref.url), undefined);
    } finally {
      await stores.close();
      await deleteByPrefix(admin, prefix);
      await admin.close();
    }
  });
});
