/**
 * What a customer line gets when the store cannot take it, on both front doors: stored once and
 * acknowledged, or clearly refused (503 + Retry-After, an error frame naming the line) and stored
 * once when sent again; `status` frames while the store is away; new anonymous conversations
 * limited per client IP; and the adapter's use of the turn inbox (settle after the turn, keep the
 * line when its reply could not be stored, take over claimed lines).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { HandoverError } from '../../../src/core/errors.js';
import type { ChannelActivity, IncomingOptions, IncomingResult } from '../../../src/core/ports/activity-log.js';
import type { InboxEntry, TurnInbox } from '../../../src/core/ports/turn-inbox.js';
import { MemoryActivityLog } from '../../../src/store/memory/memory-activity-log.js';
import { WebChatAdapter } from '../../../src/channels/webchat/webchat-adapter.js';
import { clientAddress } from '../../../src/channels/webchat/start-rate-limit.js';
import { startWebChatServer, type TestWebChatServer } from '../../support/webchat-server.js';
import { JsonSocket, call, hasActivity, withText } from '../../support/webchat-clients.js';

type Json = Record<string, unknown>;
const dl = '/v3/directline';
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** A history whose writes can be switched off, as a Redis outage does, telling watchers like the Redis one. */
class FlakyLog extends MemoryActivityLog {
  down = false;
  private readonly listeners = new Set<(up: boolean) => void>();
  setDown(down: boolean): void {
    this.down = down;
    for (const l of this.listeners) l(!down);
  }
  override async appendIncoming(conversationId: string, activity: ChannelActivity, options?: IncomingOptions): Promise<IncomingResult> {
    if (this.down) throw new HandoverError('HANDOVER_ERR_STORE_UNAVAILABLE', 'Redis cannot store a customer line now (not connected)');
    return super.appendIncoming(conversationId, activity, options);
  }
  override async exists(conversationId: string): Promise<boolean> {
    if (this.down) throw new HandoverError('HANDOVER_ERR_STORE_UNAVAILABLE', 'Redis cannot read a web chat conversation now (not connected)');
    return super.exists(conversationId);
  }
  watchAvailability(listener: (up: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const userLines = (activities: readonly ChannelActivity[], text: string): number =>
  activities.filter((a) => a['text'] === text && (a['from'] as Json | undefined)?.['role'] === 'user').length;

describe('web chat: lines during an outage, resends, and the start rate limit', function () {
  this.timeout(20_000);
  let srv: TestWebChatServer;
  let log: FlakyLog;
  const sockets: JsonSocket[] = [];

  beforeEach(async () => {
    log = new FlakyLog();
    srv = await startWebChatServer({ activityLog: log, startRateLimit: { burst: 3, perMinute: 1 } });
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
    await srv.close();
  });

  async function widget(localAddress?: string): Promise<JsonSocket> {
    const s = await JsonSocket.open(`${srv.wsBase}/webchat/ws`, {}, localAddress);
    sockets.push(s);
    return s;
  }

  async function started(): Promise<{ ws: JsonSocket; conversationId: string }> {
    const ws = await widget();
    ws.send({ type: 'start' });
    const session = await ws.waitFor((f) => f['type'] === 'session');
    await ws.waitFor((f) => hasActivity(f, (a) => String(a['text']).startsWith('Welcome')));
    return { ws, conversationId: String(session['conversationId']) };
  }

  it('widget: acknowledges a line by its client id; a resend of it is acknowledged with the same id and stored once', async () => {
    const { ws, conversationId } = await started();
    ws.send({ type: 'message', text: 'hello', clientActivityId: 'w-1' });
    const ack = await ws.waitFor((f) => f['type'] === 'ack' && f['clientActivityId'] === 'w-1');
    await ws.waitFor((f) => hasActivity(f, withText('You said: hello')));
    // the ack was lost, say: the widget sends the same line again
    ws.send({ type: 'message', text: 'hello', clientActivityId: 'w-1' });
    const again = await ws.next((f) => f['type'] === 'ack' && f['clientActivityId'] === 'w-1');
    assert.equal(again['id'], ack['id']);
    assert.equal(again['watermark'], ack['watermark']);
    await new Promise((r) => setTimeout(r, 100));
    const history = (await log.since(conversationId)).activities;
    assert.equal(userLines(history, 'hello'), 1, 'stored once');
    assert.equal(history.filter((a) => a['text'] === 'You said: hello').length, 1, 'answered once');
  });

  it('widget: while the store is away a line is refused by name with a wait, the socket hears status changes, and the resend is stored', async () => {
    const { ws, conversationId } = await started();
    log.setDown(true);
    await ws.waitFor((f) => f['type'] === 'status' && f['sending'] === false);
    ws.send({ type: 'message', text: 'where is my order', clientActivityId: 'w-2' });
    const refused = await ws.waitFor((f) => f['type'] === 'error' && f['clientActivityId'] === 'w-2');
    assert.equal(refused['code'], 'HANDOVER_ERR_STORE_UNAVAILABLE');
    assert.equal(refused['retryAfterMs'], 2000);
    assert.doesNotMatch(String(refused['message']), /Redis/, "the store's own words stay in the log");
    assert.equal(userLines((await log.since(conversationId)).activities, 'where is my order'), 0, 'not stored');
    // a socket that connects during the outage is told at once
    const late = await widget();
    const session = (await ws.waitFor((f) => f['type'] === 'session')) as Json;
    late.send({ type: 'resume', conversationId, token: String(session['token']) });
    await late.waitFor((f) => f['type'] === 'error' && f['code'] === 'HANDOVER_ERR_STORE_UNAVAILABLE');
    log.setDown(false);
    await ws.waitFor((f) => f['type'] === 'status' && f['sending'] === true);
    ws.send({ type: 'message', text: 'where is my order', clientActivityId: 'w-2' });
    await ws.waitFor((f) => f['type'] === 'ack' && f['clientActivityId'] === 'w-2');
    await ws.waitFor((f) => hasActivity(f, withText('You said: where is my order')));
    assert.equal(userLines((await log.since(conversationId)).activities, 'where is my order'), 1);
  });

  it('Direct Line: POST during an outage is 503 with Retry-After, never 500; the resend is 200 and a second resend stores nothing', async () => {
    const start = await call(srv.baseUrl, 'POST', `${dl}/conversations`);
    const { conversationId, token } = start.json as { conversationId: string; token: string };
    const post = () =>
      call(srv.baseUrl, 'POST', `${dl}/conversations/${conversationId}/activities`, { token, body: { type: 'message', text: 'hi there', channelData: { clientActivityID: 'dl-1' } } });
    log.setDown(true);
    const refused = await post();
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '2');
    assert.match(refused.headers.get('access-control-expose-headers') ?? '', /Retry-After/, 'a cross-origin client may read it');
    assert.equal((refused.json['error'] as Json)['code'], 'HANDOVER_ERR_STORE_UNAVAILABLE');
    log.setDown(false);
    const ok = await post();
    assert.equal(ok.status, 200);
    const dup = await post();
    assert.equal(dup.status, 200);
    assert.equal(dup.json['id'], ok.json['id'], 'the same line, the same id');
    assert.equal(userLines((await log.since(conversationId)).activities, 'hi there'), 1);
  });

  it('limits new anonymous conversations per client IP on both front doors (429 + Retry-After); another IP is not affected', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await call(srv.baseUrl, 'POST', `${dl}/conversations`)).status, 201);
    const limited = await call(srv.baseUrl, 'POST', `${dl}/conversations`);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1 && Number(limited.headers.get('retry-after')) <= 60, `Retry-After ${limited.headers.get('retry-after')}`);
    assert.equal((limited.json['error'] as Json)['code'], 'HANDOVER_ERR_TOO_MANY_REQUESTS');
    const ws = await widget();
    ws.send({ type: 'start' });
    const refused = await ws.waitFor((f) => f['type'] === 'error');
    assert.equal(refused['code'], 'HANDOVER_ERR_TOO_MANY_REQUESTS');
    assert.ok(Number(refused['retryAfterMs']) > 0);
    // another address on the same machine (loopback is a /8)
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${srv.baseUrl}${dl}/conversations`, { method: 'POST', localAddress: '127.0.0.2' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.once('error', reject);
      req.end();
    });
    assert.equal(status, 201);
    const other = await widget('127.0.0.2');
    other.send({ type: 'start' });
    await other.waitFor((f) => f['type'] === 'session');
  });
});

describe('web chat: the client address a rate limit counts', () => {
  const req = (remoteAddress: string, xff?: string) => ({ socket: { remoteAddress }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as http.IncomingMessage;
  it('uses the socket peer unless proxies are trusted, then the address the outermost one saw; IPv6 by /64', () => {
    assert.equal(clientAddress(req('203.0.113.7', '1.2.3.4'), 0), '203.0.113.7', 'a header is not trusted by default');
    assert.equal(clientAddress(req('10.0.0.1', '1.2.3.4, 198.51.100.9'), 1), '198.51.100.9', 'a spoofed left part is ignored');
    assert.equal(clientAddress(req('10.0.0.1', '198.51.100.9, 10.0.0.2'), 2), '198.51.100.9');
    assert.equal(clientAddress(req('::ffff:192.0.2.1'), 0), '192.0.2.1');
    assert.equal(clientAddress(req('2001:db8:0:12:aaaa::1'), 0), '2001:db8:0:12/64');
    assert.equal(clientAddress(req('2001:db8::1'), 0), '2001:db8:0:0/64');
  });
});

/** A turn inbox in memory that records what the adapter does with it. */
class RecordingInbox implements TurnInbox {
  readonly owner = 'test-node';
  readonly held: string[] = [];
  readonly settled: string[] = [];
  readonly released: string[] = [];
  claims: InboxEntry[] = [];
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  hold(c: string, id: string): void {
    this.held.push(`${c} ${id}`);
  }
  release(c: string, id: string): void {
    this.released.push(`${c} ${id}`);
  }
  settle(c: string, id: string): void {
    this.settled.push(`${c} ${id}`);
  }
  async claim(): Promise<InboxEntry[]> {
    return this.claims.splice(0);
  }
}

/** A history that says every line went into the inbox, and can refuse the bot's replies. */
class InboxLog extends MemoryActivityLog {
  refuseReplies = false;
  override async appendIncoming(conversationId: string, activity: ChannelActivity, options?: IncomingOptions): Promise<IncomingResult> {
    return { ...(await super.appendIncoming(conversationId, activity, options)), inboxed: options?.inboxOwner !== undefined };
  }
  override async append(conversationId: string, activity: ChannelActivity, options?: { onceKey?: string }): Promise<string> {
    if (this.refuseReplies && (activity['from'] as Json | undefined)?.['role'] !== 'user') throw new HandoverError('HANDOVER_ERR_STORE_UNAVAILABLE', 'away');
    return super.append(conversationId, activity, options);
  }
}

describe('web chat adapter: the turn inbox', () => {
  let inbox: RecordingInbox;
  let log: InboxLog;
  let adapter: WebChatAdapter;
  const turns: string[] = [];
  beforeEach(() => {
    inbox = new RecordingInbox();
    log = new InboxLog();
    turns.length = 0;
    adapter = new WebChatAdapter({
      activityLog: log,
      log: quiet,
      turnInbox: inbox,
      inboxSweepMs: 3_600_000,
      conversationUpdateOnStart: false,
      logic: async (ctx) => {
        turns.push(ctx.activity.text ?? '');
        await ctx.sendActivity(`re: ${ctx.activity.text}`);
      },
    });
  });
  afterEach(async () => {
    await adapter.drain();
    await adapter.stopInbox();
  });

  it('holds a line while its turn is queued, settles it once the turn ran, and keeps it when the reply could not be stored', async () => {
    const { conversationId: c } = await adapter.startConversation({ userId: 'u' });
    const a = await adapter.receive(c, 'u', { type: 'message', text: 'one' });
    await adapter.drain();
    assert.deepEqual(inbox.held, [`${c} ${a.id}`]);
    assert.deepEqual(inbox.settled, [`${c} ${a.id}`]);
    log.refuseReplies = true;
    const b = await adapter.receive(c, 'u', { type: 'message', text: 'two' });
    await adapter.drain();
    assert.deepEqual(inbox.released, [`${c} ${b.id}`], 'its reply was refused: the line stays for a later sweep');
    assert.deepEqual(inbox.settled, [`${c} ${a.id}`]);
  });

  it("runs the turns of claimed lines in their order, and only settles a line that was already answered", async () => {
    const { conversationId: c } = await adapter.startConversation({ userId: 'u' });
    // line 1 was answered by its (dead) process, lines 2 and 3 were not
    const stored: ChannelActivity[] = [];
    for (const text of ['one', 'two', 'three']) {
      const act = { id: `x-${text}`, type: 'message', text, conversation: { id: c }, from: { id: 'u', role: 'user' }, channelId: 'webchat', serviceUrl: 'urn:handover:webchat', recipient: { id: 'bot' } };
      await log.append(c, act);
      stored.push(act);
      if (text === 'one') await log.append(c, { id: 'r1', type: 'message', text: 're: one', replyToId: 'x-one', from: { id: 'bot', role: 'bot' } });
    }
    inbox.claims = [3, 1, 2].map((n) => ({ conversationId: c, activity: stored[n - 1]!, position: n === 1 ? 1 : n + 1, attempts: 1, owner: 'test-node', claimedFrom: 'dead-node' }));
    assert.equal(await adapter.sweepInbox(), 2);
    await adapter.drain();
    assert.deepEqual(turns, ['two', 'three'], 'in position order; the answered one is not run again');
    assert.deepEqual(new Set(inbox.settled), new Set([`${c} x-one`, `${c} x-two`, `${c} x-three`]));
  });

  it('gives a line up (reported) after too many attempts', async () => {
    const { conversationId: c } = await adapter.startConversation({ userId: 'u' });
    const act = { id: 'x-1', type: 'message', text: 'one', conversation: { id: c }, from: { id: 'u', role: 'user' } };
    await log.append(c, act);
    inbox.claims = [{ conversationId: c, activity: act, position: 1, attempts: 6, owner: 'test-node', claimedFrom: 'test-node' }];
    assert.equal(await adapter.sweepInbox(), 0);
    assert.deepEqual(inbox.settled, [`${c} x-1`]);
    assert.deepEqual(turns, []);
  });
});
