import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startWebhooks, type WebhookPayload } from '../../src/agent/webhooks.js';
import { isHandoverError } from '../../src/core/errors.js';
import type { DomainEvent } from '../../src/core/events.js';
import { conversationId, handoffId, queueId, agentId } from '../../src/core/ids.js';
import { MemoryDocumentStore, MemoryEventBus } from '../../src/store/memory/index.js';
import { apiCall, conversationPath, customerHandsOff, signIn, startTestService } from '../support/agent-service.js';

const SECRET = 'webhook-secret-0123456789';

interface Received {
  readonly raw: Buffer;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: WebhookPayload;
}

/** A local receiver: answers with the next status of `script` (then 200), records every POST. */
class Receiver {
  readonly received: Received[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];
  /** Requests held open (for the "never blocks" test). */
  readonly held: http.ServerResponse[] = [];
  script: (number | 'hold')[] = [];
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      this.received.push({ raw, headers: req.headers, body: JSON.parse(raw.toString('utf8')) as WebhookPayload });
      this.waiters = this.waiters.filter((w) => (this.received.length >= w.n ? (w.resolve(), false) : true));
      const next = this.script.shift() ?? 200;
      if (next === 'hold') this.held.push(res);
      else res.writeHead(next).end();
    });
  });
  url = '';
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }
  count(n: number): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
  async close(): Promise<void> {
    for (const r of this.held) r.writeHead(200).end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The check a receiver does: HMAC-SHA256 of the raw body with the shared secret. */
function signatureValid(r: Received, secret = SECRET): boolean {
  const header = String(r.headers['x-handover-signature'] ?? '');
  const expected = `sha256=${createHmac('sha256', secret).update(r.raw).digest('hex')}`;
  return header.length === expected.length && timingSafeEqual(Buffer.from(header), Buffer.from(expected));
}

const requested = (n: number): DomainEvent => ({
  type: 'handoff.requested',
  conversationId: conversationId(`webchat:${n}`),
  at: 1_700_000_000_000 + n,
  handoffId: handoffId(`h-${n}`),
  queue: queueId('support'),
  priority: 1,
  reason: 'customer_request',
  slaDeadline: 1_700_000_600_000,
});

describe('outgoing webhooks', function () {
  this.timeout(20_000);
  let receiver: Receiver;
  const errors: string[] = [];
  const log = { info: () => {}, error: (m: string) => errors.push(m) };
  const env = { HOOK_SECRET: SECRET };

  beforeEach(async () => {
    errors.length = 0;
    receiver = new Receiver();
    await receiver.start();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('POSTs the listed events, signed with HMAC-SHA256 of the raw body, with a timestamp', async () => {
    const bus = new MemoryEventBus();
    const hooks = startWebhooks({ webhooks: [{ url: receiver.url, events: ['handoff.requested', 'handoff.accepted'], secretEnv: 'HOOK_SECRET' }], events: bus, env, log });
    await bus.publish({ type: 'customer.message', conversationId: conversationId('webchat:1'), at: 1, text: 'not listed', activityType: 'message' });
    await bus.publish({ type: 'handoff.resolved', conversationId: conversationId('webchat:1'), at: 2, handoffId: handoffId('h'), agentId: agentId('ana') });
    await bus.publish(requested(1));
    await hooks.idle();
    assert.equal(receiver.received.length, 1, 'only listed event types go out');
    const r = receiver.received[0]!;
    assert.ok(signatureValid(r), 'the signature verifies against the raw body');
    assert.equal(signatureValid(r, 'another-secret-000000'), false);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['x-handover-event'], 'handoff.requested');
    assert.equal(r.body.type, 'handoff.requested');
    assert.deepEqual(r.body.event, requested(1));
    assert.equal(String(r.body.timestamp), r.headers['x-handover-timestamp'], 'the timestamp is in the signed body too');
    assert.equal(r.body.id, r.headers['x-handover-delivery']);
    await hooks.close();
    assert.deepEqual(errors, []);
  });

  it('retries 5xx and network errors with backoff, keeping the delivery id; gives up on other 4xx', async () => {
    const bus = new MemoryEventBus();
    receiver.script = [503, 500, 200, 404];
    const hooks = startWebhooks({ webhooks: [{ url: receiver.url, events: ['handoff.requested'], secretEnv: 'HOOK_SECRET' }], events: bus, env, log, baseDelayMs: 5, attempts: 4 });
    await bus.publish(requested(1));
    await hooks.idle();
    assert.equal(receiver.received.length, 3);
    assert.equal(new Set(receiver.received.map((r) => r.body.id)).size, 1, 'one delivery id across retries');
    assert.ok(receiver.received.every((r) => signatureValid(r)), 'every attempt is signed');
    assert.deepEqual(
      hooks.deliveries.map((d) => [d.ok, d.attempts, d.status]),
      [[true, 3, 200]],
    );
    await bus.publish(requested(2));
    await hooks.idle();
    assert.equal(receiver.received.length, 4, 'a 404 is not retried');
    assert.deepEqual([hooks.deliveries[1]!.ok, hooks.deliveries[1]!.attempts, hooks.deliveries[1]!.status], [false, 1, 404]);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /did not take handoff.requested/);

    // Nobody listening at all: network errors are retried, then reported.
    const deadUrl = receiver.url;
    await receiver.close();
    const dead = startWebhooks({ webhooks: [{ url: deadUrl, events: ['handoff.requested'], secretEnv: 'HOOK_SECRET' }], events: bus, env, log, baseDelayMs: 5, attempts: 3 });
    await bus.publish(requested(3));
    await dead.idle();
    const d = dead.deliveries[0]!;
    assert.equal(d.ok, false);
    assert.equal(d.attempts, 3);
    assert.match(d.error ?? '', /fetch failed|ECONNREFUSED/);
    await hooks.close();
    await dead.close();
    receiver = new Receiver();
    await receiver.start();
  });

  it('never makes the publisher wait for the receiver', async () => {
    const bus = new MemoryEventBus();
    receiver.script = ['hold'];
    const hooks = startWebhooks({ webhooks: [{ url: receiver.url, events: ['handoff.requested'], secretEnv: 'HOOK_SECRET' }], events: bus, env, log });
    await bus.publish(requested(1)); // resolves while the receiver still holds the request
    await receiver.count(1);
    assert.equal(receiver.held.length, 1, 'the receiver has not answered yet');
    assert.equal(hooks.deliveries.length, 0);
    receiver.held.shift()!.writeHead(200).end();
    await hooks.idle();
    assert.equal(hooks.deliveries[0]?.ok, true);
    await hooks.close();
  });

  it('goes out once even when several processes hear the event (claim in the shared store)', async () => {
    const bus = new MemoryEventBus();
    const shared = new MemoryDocumentStore();
    const hook = { url: receiver.url, events: ['handoff.requested' as const], secretEnv: 'HOOK_SECRET' };
    const a = startWebhooks({ webhooks: [hook], events: bus, env, log, dedupe: shared });
    const b = startWebhooks({ webhooks: [hook], events: bus, env, log, dedupe: shared });
    await bus.publish(requested(1));
    await bus.publish(requested(2));
    await Promise.all([a.idle(), b.idle()]);
    assert.equal(receiver.received.length, 2);
    await Promise.all([a.close(), b.close()]);
  });

  it('refuses to start without the secret, naming the variable', () => {
    assert.throws(
      () => startWebhooks({ webhooks: [{ url: receiver.url, events: ['handoff.requested'], secretEnv: 'MISSING_SECRET' }], events: new MemoryEventBus(), env: {} }),
      (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID') && e.message.includes('MISSING_SECRET'),
    );
  });

  it('fires handoff.requested, .accepted and .resolved from the running service', async () => {
    // The real composition with a manifest that lists a webhook.
    const root = mkdtempSync(path.join(tmpdir(), 'handover-hooks-'));
    try {
      const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as Record<string, unknown>;
      manifest['webhooks'] = [{ url: receiver.url, events: ['handoff.requested', 'handoff.accepted', 'handoff.resolved'], secretEnv: 'HOOK_SECRET' }];
      writeFileSync(path.join(root, 'manifest.json'), JSON.stringify(manifest));
      for (const dir of ['dialogs', 'locales', 'data', 'nlu']) symlinkSync(path.resolve(dir), path.join(root, dir));
      const t = await startTestService({ root, env });
      try {
        const customer = await customerHandsOff(t);
        const ana = await signIn(t.base, 'ana');
        assert.equal((await apiCall(t.base, 'POST', conversationPath(customer.conversationId, 'accept'), { cookie: ana, body: {} })).status, 200);
        assert.equal((await apiCall(t.base, 'POST', conversationPath(customer.conversationId, 'resolve'), { cookie: ana, body: {} })).status, 200);
        await receiver.count(3);
        // Deliveries run concurrently: compare as a set.
        assert.deepEqual(receiver.received.map((r) => r.body.type).sort(), ['handoff.accepted', 'handoff.requested', 'handoff.resolved']);
        assert.ok(receiver.received.every((r) => signatureValid(r) && r.body.event.conversationId === customer.conversationId));
        await customer.socket.close();
      } finally {
        await t.close();
      }
      assert.deepEqual(t.errors, []);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
