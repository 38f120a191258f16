import assert from 'node:assert/strict';
import { once } from 'node:events';
import { ActivityHandler } from 'botbuilder';
import { ManualClock } from '../../../src/core/clock.js';
import type { Lease } from '../../../src/core/ports/lease.js';
import { MemoryLease } from '../../../src/store/memory/memory-lease.js';
import type { ChannelLogger } from '../../../src/channels/whatsapp/shared/channel-logger.js';
import type { Sleep } from '../../../src/channels/whatsapp/shared/sleep.js';
import { WhatsAppWebAdapter } from '../../../src/channels/whatsapp/web/whatsapp-web-adapter.js';
import {
  WhatsAppWebSupervisor,
  type WhatsAppWebSupervisorOptions,
} from '../../../src/channels/whatsapp/web/whatsapp-web-supervisor.js';
import { FakeWwebjsClient } from '../../support/fake-wwebjs-client.js';

const CUSTOMER = '5511987654321@c.us';

/** Yields to the event loop instead of waiting; resolves early on abort. Records what was asked. */
function fastSleep(): { sleep: Sleep; asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    sleep: (ms, signal) => {
      asked.push(ms);
      return new Promise<void>((resolve) => {
        if (signal?.aborted === true) return resolve();
        setImmediate(resolve);
      });
    },
  };
}

function memoryLogger(): ChannelLogger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (m: string, f?: Record<string, unknown>) => void lines.push(`${level} ${m} ${f === undefined ? '' : JSON.stringify(f)}`);
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}

/** Resolves once `predicate` holds, polling on the event loop (no timing assertions). */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setImmediate(r));
}

/** A lease wrapper that can be cut off from the store (a network partition) and counts calls. */
class FlakyLease implements Lease {
  partitioned = false;
  acquires = 0;
  constructor(private readonly inner: Lease) {}
  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    this.acquires += 1;
    if (this.partitioned) throw new Error('ECONNRESET');
    return this.inner.acquire(name, holder, ttlMs);
  }
  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    if (this.partitioned) throw new Error('ECONNRESET');
    return this.inner.renew(name, holder, ttlMs);
  }
  async release(name: string, holder: string): Promise<void> {
    if (this.partitioned) throw new Error('ECONNRESET');
    return this.inner.release(name, holder);
  }
}

function supervisor(client: FakeWwebjsClient, extra: Partial<WhatsAppWebSupervisorOptions> = {}) {
  const logger = memoryLogger();
  const qrs: string[] = [];
  const s = new WhatsAppWebSupervisor({
    client,
    logger,
    sleep: fastSleep().sleep,
    printQr: (qr) => void qrs.push(qr),
    backoff: { initialMs: 100, maxMs: 350, factor: 2 },
    ...extra,
  });
  return { s, logger, qrs };
}

describe('WhatsAppWebSupervisor (connection, reconnect, lease)', () => {
  const running: WhatsAppWebSupervisor[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  it('initializes the client, prints the QR, and becomes ready', async () => {
    const client = new FakeWwebjsClient();
    const { s, qrs, logger } = supervisor(client);
    running.push(s);
    const qrEvent = once(s, 'qr');
    const ready = once(s, 'ready');
    s.start();
    await ready;
    assert.deepEqual(await qrEvent, ['qr-1']);
    assert.deepEqual(qrs, ['qr-1']);
    assert.equal(s.state, 'ready');
    assert.equal(s.isReady, true);
    assert.ok(logger.lines.some((l) => l.includes('scan this QR code')));
  });

  it('reconnects after a disconnect with capped exponential backoff, keeping outgoing messages until ready', async () => {
    const client = new FakeWwebjsClient();
    const { s, logger } = supervisor(client);
    running.push(s);
    const adapter = new WhatsAppWebAdapter({ client, gate: s, minSendGapMs: 0, logger });
    const bot = new ActivityHandler();
    adapter.listen((ctx) => bot.run(ctx));
    const reconnects: Array<{ attempt: number; delayMs: number }> = [];
    s.on('reconnecting', (r) => void reconnects.push(r));

    const firstReady = once(s, 'ready');
    s.start();
    await firstReady;

    client.failNextInitializations = 3; // Chromium cannot reach WhatsApp for a while
    client.disconnect('NAVIGATION');
    assert.equal(s.isReady, false);

    // An agent writes while we are down: the message must be kept, not dropped.
    const ref = { channelId: 'whatsapp', serviceUrl: 'whatsapp-web:', conversation: { id: CUSTOMER, isGroup: false, conversationType: 'personal', name: '' } };
    await adapter.continueConversation(ref, async (ctx) => {
      await ctx.sendActivity('Agent: still there?');
    });
    assert.equal(client.sent.length, 0);
    assert.equal(adapter.pendingSends, 1);

    await once(s, 'ready');
    await adapter.whenIdle();
    assert.deepEqual(client.sent.map((m) => m.content), ['Agent: still there?']);
    // 1 disconnect + 3 failed initializations = 4 restarts: 100, 200, 350 (capped), 350.
    assert.deepEqual(reconnects.map((r) => r.delayMs), [100, 200, 350, 350]);
    assert.ok(client.destroyCalls >= 4, 'each restart destroys the old browser first');
    assert.ok(logger.lines.some((l) => l.startsWith('warn disconnected')));
    assert.ok(logger.lines.some((l) => l.includes('client initialize failed')));
  });

  it('restarts on auth_failure and on an unusable change_state, and resets the backoff after ready', async () => {
    const client = new FakeWwebjsClient();
    const { s } = supervisor(client);
    running.push(s);
    const reconnects: Array<{ delayMs: number; reason: string }> = [];
    s.on('reconnecting', (r) => void reconnects.push(r));
    let ready = once(s, 'ready');
    s.start();
    await ready;
    ready = once(s, 'ready');
    client.emit('auth_failure', 'session expired');
    await ready;
    ready = once(s, 'ready');
    client.emit('change_state', 'CONNECTED'); // healthy: ignored
    client.emit('change_state', 'CONFLICT');
    await ready;
    assert.deepEqual(reconnects.map((r) => r.delayMs), [100, 100]);
    assert.match(reconnects[0]!.reason, /auth_failure/);
    assert.match(reconnects[1]!.reason, /CONFLICT/);
  });

  it('restarts when ready never follows authenticated (watchdog)', async () => {
    const client = new FakeWwebjsClient();
    client.emitReady = false;
    const { s } = supervisor(client, { readyTimeoutMs: 5000 });
    running.push(s);
    const reconnecting = once(s, 'reconnecting');
    s.start();
    const [info] = (await reconnecting) as [{ reason: string }];
    assert.equal(info.reason, 'ready timeout');
    client.emitReady = true;
    await once(s, 'ready');
  });

  it('a second process does not start while the first holds the lease, and takes over when it lapses', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryLease(clock);
    const leaseA = new FlakyLease(store);
    const leaseB = new FlakyLease(store);
    const clientA = new FakeWwebjsClient();
    const clientB = new FakeWwebjsClient();
    const a = supervisor(clientA, { lease: leaseA, holderId: 'A', leaseName: 'whatsapp-web:main', leaseTtlMs: 30_000, clock }).s;
    const b = supervisor(clientB, { lease: leaseB, holderId: 'B', leaseName: 'whatsapp-web:main', leaseTtlMs: 30_000, clock }).s;
    running.push(a, b);

    const aReady = once(a, 'ready');
    a.start();
    await aReady;
    b.start();
    await until(() => leaseB.acquires >= 5);
    assert.equal(clientB.initializeCalls, 0, 'B never opened the session while A held the lease');
    assert.equal(b.state, 'waiting_for_lease');

    // A is cut off from the lease store (it cannot renew); after the TTL, B may take over and A must close.
    const aLost = once(a, 'lease_lost');
    const bReady = once(b, 'ready');
    leaseA.partitioned = true;
    clock.advanceMs(30_001);
    await Promise.all([aLost, bReady]);
    assert.equal(clientB.initializeCalls, 1);
    assert.ok(clientA.destroyCalls >= 1, 'A destroyed its client when it lost the lease');
    assert.equal(a.isReady, false);
    assert.equal(b.isReady, true);
  });

  it('a clean stop releases the lease so the standby takes over at once', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryLease(clock);
    const clientA = new FakeWwebjsClient();
    const clientB = new FakeWwebjsClient();
    const a = supervisor(clientA, { lease: store, holderId: 'A', clock }).s;
    const b = supervisor(clientB, { lease: store, holderId: 'B', clock }).s;
    running.push(b);
    const aReady = once(a, 'ready');
    a.start();
    await aReady;
    b.start();
    await until(() => b.state === 'waiting_for_lease');
    const bReady = once(b, 'ready');
    await a.stop();
    assert.equal(a.state, 'stopped');
    assert.ok(clientA.destroyCalls >= 1);
    await bReady;
    assert.equal(clock.now(), 0, 'no time had to pass');
  });
});
