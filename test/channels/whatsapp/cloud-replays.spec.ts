/**
 * Replayed Cloud API webhooks (issue 14): a signed payload posted again — by Meta's retries or by
 * someone who captured it — is processed once, however many newer messages came in between (the ids
 * are kept in the store: Redis keys with a TTL, or a bounded map in one process), and a message older
 * than the replay window (manifest `whatsapp.cloud.replayWindowHours`, default 168 h = Meta's 7 days
 * of retries) is answered 200 and not processed. Through `createWhatsAppCloudHandler`, the real
 * middleware and the Acme bot, on the memory store and on a real Redis; Meta is FakeGraphApi.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { channelContact } from '../../../src/agent/console/format.js';
import { createHandover } from '../../../src/app.js';
import { createWhatsAppCloudHandler, type WhatsAppCloudHandler } from '../../../src/channels/whatsapp/attach.js';
import { parseWhatsAppCloudConfig } from '../../../src/channels/whatsapp/cloud/cloud-config.js';
import { MemoryMessageIds } from '../../../src/channels/whatsapp/cloud/message-ids.js';
import type { ChannelLogger } from '../../../src/channels/whatsapp/shared/channel-logger.js';
import { ManualClock } from '../../../src/core/clock.js';
import { isHandoverError } from '../../../src/core/errors.js';
import { conversationId } from '../../../src/core/ids.js';
import { StaticCustomerDirectory } from '../../../src/core/static-customer-directory.js';
import { openStores, type OpenedStores } from '../../../src/store/open-stores.js';
import { RedisKeys } from '../../../src/store/redis/keys.js';
import { FakeGraphApi } from '../../support/fake-graph-api.js';
import { customers, manifest } from '../../support/harness.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../../support/redis.js';

const ENV = {
  WHATSAPP_VERIFY_TOKEN: 'verify-me-please',
  WHATSAPP_APP_SECRET: 'test-app-secret-0123456789',
  WHATSAPP_ACCESS_TOKEN: 'EAAG-test-access-token',
};
const ANA = '5511987654321';
const ID = conversationId(`whatsapp-cloud:${ANA}`);
const HOUR = 3_600_000;
const PHONE_ID = '000000000000000';

const sign = (raw: string): string => `sha256=${createHmac('sha256', ENV.WHATSAPP_APP_SECRET).update(raw).digest('hex')}`;

function memoryLogger(): ChannelLogger & { lines: Array<{ level: string; message: string; fields: Record<string, unknown> | undefined }> } {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> | undefined }> = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields });
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}

function webhook(messages: Array<Record<string, unknown>>): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: PHONE_ID },
              contacts: [{ profile: { name: 'Ana' }, wa_id: ANA }],
              messages,
            },
          },
        ],
      },
    ],
  });
}

const text = (id: string, body: string, atMs: number): Record<string, unknown> => ({ from: ANA, id, timestamp: String(Math.floor(atMs / 1000)), type: 'text', text: { body } });

interface World {
  graph: FakeGraphApi;
  stores: OpenedStores;
  clock: ManualClock;
  cloud: WhatsAppCloudHandler;
  logger: ReturnType<typeof memoryLogger>;
  /** Posts a signed body; resolves with the HTTP status once processed. */
  post(body: string): Promise<number>;
  /** The customer lines recorded for Ana. */
  customerLines(): Promise<string[]>;
  close(): Promise<void>;
}

async function world(store: 'memory' | 'redis', opts: { replayWindowHours?: number } = {}): Promise<World & { prefix: string }> {
  const graph = await FakeGraphApi.start();
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 15));
  const prefix = uniquePrefix();
  const stores = await openStores(store === 'memory' ? 'memory' : REDIS_URL, { prefix, clock });
  const local = {
    ...manifest,
    // every message is its own turn (no burst window to wait for on a manual clock)
    bursts: { ...manifest.bursts, windowSeconds: { ...manifest.bursts.windowSeconds, 'whatsapp-cloud': 0 } },
    whatsapp: {
      ...manifest.whatsapp,
      cloud: { ...manifest.whatsapp.cloud, graphBaseUrl: graph.baseUrl, ...(opts.replayWindowHours === undefined ? {} : { replayWindowHours: opts.replayWindowHours }) },
    },
  };
  const app = createHandover({ manifest: local, stores, clock, directory: new StaticCustomerDirectory(customers) });
  const logger = memoryLogger();
  const cloud = createWhatsAppCloudHandler({
    app,
    stores,
    manifest: local,
    env: ENV,
    logger,
    clock,
    sleep: async () => {},
    outboxTimer: false,
    // what `handover start` passes on Redis
    ...(stores.kind === 'redis' ? { messageIdLease: stores.lease } : {}),
  });
  await cloud.ready;
  const server: Server = createServer((req, res) => {
    void cloud.handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${cloud.path}`;
  return {
    prefix,
    graph,
    stores,
    clock,
    cloud,
    logger,
    post: async (body) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) }, body });
      await res.arrayBuffer();
      await cloud.handler.idle();
      return res.status;
    },
    customerLines: async () => (await stores.transcripts.read(ID)).filter((e) => e.from === 'customer' && e.type === 'message').map((e) => e.text ?? ''),
    close: async () => {
      await cloud.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await graph.close();
      await stores.close();
    },
  };
}

for (const store of ['memory', 'redis'] as const) {
  describe(`WhatsApp Cloud replays (${store} store)`, function () {
    this.timeout(60_000);
    let w: World & { prefix: string };
    beforeEach(async () => {
      w = await world(store);
    });
    afterEach(async () => {
      await w.close();
      if (store === 'redis') {
        const admin = await connectTestRedis();
        await deleteByPrefix(admin, w.prefix);
        await admin.close();
      }
    });

    it('a replay after 200 newer messages is still recognised and not processed', async () => {
      const first = webhook([text('wamid.FIRST', 'where is my order K48213', w.clock.now())]);
      assert.equal(await w.post(first), 200);
      // 200 newer messages (the conversation document remembers only the last 200 ids)
      for (let i = 0; i < 200; i += 20) {
        w.clock.advanceMs(1000);
        await w.post(webhook(Array.from({ length: 20 }, (_, j) => text(`wamid.N${i + j}`, `line ${i + j}`, w.clock.now()))));
      }
      assert.equal((await w.customerLines()).length, 201);
      w.clock.advanceMs(60_000);
      assert.equal(await w.post(first), 200, 'Meta (or whoever replays) still gets a 200');
      const lines = await w.customerLines();
      assert.equal(lines.length, 201, 'the replay was not processed again');
      assert.equal(lines.filter((l) => l === 'where is my order K48213').length, 1);
      assert.ok(w.logger.lines.some((l) => l.message === 'duplicate webhook message ignored' && l.fields?.['id'] === 'wamid.FIRST'));
    });

    it('a message stamped 2019 is answered 200, not processed, and logged', async () => {
      const old = webhook([text('wamid.2019', 'I want a refund', Date.UTC(2019, 5, 1, 12))]);
      assert.equal(await w.post(old), 200);
      assert.deepEqual(await w.customerLines(), []);
      const line = w.logger.lines.find((l) => l.message === 'WhatsApp message older than the replay window refused (not processed)');
      assert.ok(line !== undefined, 'logged');
      assert.equal(line.level, 'warn');
      assert.equal(line.fields?.['id'], 'wamid.2019');
      assert.equal(line.fields?.['sentAt'], '2019-06-01T12:00:00.000Z');
      assert.equal(line.fields?.['replayWindowHours'], 168);
    });

    it('a message Meta delivers 3 days late (its retries after an outage) is still processed; 8 days late is not', async () => {
      assert.equal(await w.post(webhook([text('wamid.LATE3', 'hello from monday', w.clock.now() - 3 * 24 * HOUR)])), 200);
      assert.equal(await w.post(webhook([text('wamid.LATE8', 'hello from last week', w.clock.now() - 8 * 24 * HOUR)])), 200);
      assert.deepEqual(await w.customerLines(), ['hello from monday']);
    });

    it('once a message has left the window, its replay is refused by its timestamp', async () => {
      const body = webhook([text('wamid.W1', 'track K48213', w.clock.now())]);
      await w.post(body);
      const answered = w.graph.delivered.length;
      assert.ok(answered > 0, 'the bot answered the message');
      w.clock.advanceMs(168 * HOUR + 1000);
      const linesBefore = await w.customerLines(); // (the memory store forgets an idle conversation after 4 h)
      assert.equal(await w.post(body), 200);
      assert.deepEqual(await w.customerLines(), linesBefore, 'not recorded again');
      assert.equal(w.graph.delivered.length, answered, 'not answered again');
      assert.ok(w.logger.lines.some((l) => l.message.startsWith('WhatsApp message older than the replay window') && l.fields?.['id'] === 'wamid.W1'));
    });

    if (store === 'redis') {
      it('keeps each id in Redis with a TTL (until its message leaves the window), never forever', async () => {
        await w.post(webhook([text('wamid.TTL', 'hi', w.clock.now() - 2 * 24 * HOUR)]));
        const admin = await connectTestRedis();
        try {
          const key = new RedisKeys(w.prefix).lease(`whatsapp-cloud:${PHONE_ID}:msg:wamid.TTL`);
          const ttl = await admin.pTTL(key);
          // 7 days − 2 days + 1 h of clock skew
          assert.ok(ttl > 5 * 24 * HOUR && ttl <= 5 * 24 * HOUR + HOUR, `PTTL ${ttl}`);
        } finally {
          await admin.close();
        }
      });
    }
  });
}

describe('WhatsApp Cloud replays: the window is configurable', () => {
  it('replayWindowHours defaults to 168 (Meta retries for 7 days) and refuses values outside 1..168 by name', () => {
    const base = { phoneNumberId: '1098765432', templates: { agent_reply: { name: 'agent_ready', language: 'pt_BR' } } };
    assert.equal(parseWhatsAppCloudConfig(base, ENV).replayWindowHours, 168);
    assert.equal(parseWhatsAppCloudConfig({ ...base, replayWindowHours: 24 }, ENV).replayWindowHours, 24);
    assert.throws(
      () => parseWhatsAppCloudConfig({ ...base, replayWindowHours: 720 }, ENV),
      (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID') && /whatsapp\.cloud\.replayWindowHours/.test((e as Error).message),
    );
  });

  it('a 24 h window (manifest) refuses a message 2 days old', async function () {
    this.timeout(30_000);
    const w = await world('memory', { replayWindowHours: 24 });
    try {
      await w.post(webhook([text('wamid.D2', 'two days ago', w.clock.now() - 48 * HOUR)]));
      await w.post(webhook([text('wamid.H2', 'two hours ago', w.clock.now() - 2 * HOUR)]));
      assert.deepEqual(await w.customerLines(), ['two hours ago']);
    } finally {
      await w.close();
    }
  });

  it('the in-process id ledger is bounded by count and by time', async () => {
    const clock = new ManualClock(0);
    const ids = new MemoryMessageIds({ maxIds: 1000, clock });
    for (let i = 0; i < 5000; i++) assert.equal(await ids.firstSeen(`m${i}`, HOUR), true);
    assert.equal(ids.size, 1000);
    assert.equal(await ids.firstSeen('m4999', HOUR), false);
    assert.equal(await ids.firstSeen('m0', HOUR), true, 'the oldest fell out past the bound');
    clock.advanceMs(HOUR + 1);
    assert.equal(await ids.firstSeen('m4998', HOUR), true, 'kept only for its time');
    assert.equal(ids.size, 1, 'expired ids are dropped as new ones come');
  });
});

describe('issue 14: what an agent reads of a WhatsApp customer', function () {
  this.timeout(30_000);
  it('contacts, an order and a message without a type are readable customer lines; the briefing names the WhatsApp profile', async () => {
    const w = await world('memory');
    try {
      const at = w.clock.now();
      await w.post(
        webhook([
          { from: ANA, id: 'wamid.C1', timestamp: String(Math.floor(at / 1000)), type: 'contacts', contacts: [{ name: { formatted_name: 'Barbara J. Johnson' }, phones: [{ phone: '+1 (415) 555-0123' }] }] },
          { from: ANA, id: 'wamid.O1', timestamp: String(Math.floor(at / 1000)), type: 'order', order: { catalog_id: 'c1', product_items: [{ product_retailer_id: 'SKU-1', quantity: '2', item_price: '30', currency: 'USD' }] } },
          // no `type` at all (a payload shape Meta does not document)
          { from: ANA, id: 'wamid.U1', timestamp: String(Math.floor(at / 1000)) },
        ]),
      );
      const lines = await w.customerLines();
      assert.equal(lines.length, 3);
      assert.match(lines[0]!, /Barbara J\. Johnson \+1 \(415\) 555-0123/);
      assert.match(lines[1]!, /^🛒 .*US\$ 60\.00.*2 × SKU-1/);
      assert.match(lines[2]!, /^⚠️ .*\(unknown\)$/);
      assert.ok(lines.every((l) => l.trim() !== ''), 'no empty customer line');
      const transcript = await w.stores.transcripts.read(ID);
      assert.deepEqual(channelContact(transcript), [
        ['WhatsApp name', 'Ana'],
        ['WhatsApp number', `+${ANA}`],
      ]);
    } finally {
      await w.close();
    }
  });
});
