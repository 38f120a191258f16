/**
 * Customer lines are limited per widget socket, per conversation and per client address (issue
 * 14): past a bucket a line is refused by name (error frame HANDOVER_ERR_TOO_MANY_REQUESTS with
 * `retryAfterMs`; Direct Line 429 + Retry-After), neither stored nor answered; a socket that keeps
 * sending past its refusals is closed with 1008; typing past the limit is dropped. The buckets run
 * on a manual clock, so refills happen exactly when the test says. Plus the two Direct Line fixes:
 * malformed percent-encoding is a 400, and a conversation's token cannot be renewed past its
 * maximum age.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ManualClock } from '../../../src/core/clock.js';
import { ManifestSchema } from '../../../src/config/manifest-schema.js';
import { DEFAULT_MESSAGE_LIMITS } from '../../../src/channels/webchat/message-rate-limit.js';
import { startWebChatServer, type TestWebChatServer } from '../../support/webchat-server.js';
import { JsonSocket, UpgradeRefused, call } from '../../support/webchat-clients.js';

type Json = Record<string, unknown>;
const dl = '/v3/directline';
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

describe('web chat: message rate limits (per socket, conversation, address)', () => {
  let srv: TestWebChatServer;
  let clock: ManualClock;
  const sockets: JsonSocket[] = [];
  const open = async (localAddress?: string): Promise<JsonSocket> => {
    const s = await JsonSocket.open(`${srv.wsBase}/webchat/ws`, {}, localAddress);
    sockets.push(s);
    return s;
  };
  const startWidget = async (localAddress?: string): Promise<{ s: JsonSocket; conversationId: string; token: string }> => {
    const s = await open(localAddress);
    s.send({ type: 'start', locale: 'en' });
    const session = await s.waitFor((f) => f['type'] === 'session');
    return { s, conversationId: String(session['conversationId']), token: String(session['token']) };
  };
  /** Sends lines l0..l(n-1) at once and waits for the answer (ack or error) naming each. */
  const sendLines = async (s: JsonSocket, prefix: string, n: number): Promise<Json[]> => {
    const ids = Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    const answers = ids.map((id) => s.waitFor((f) => (f['type'] === 'ack' || f['type'] === 'error') && f['clientActivityId'] === id));
    for (const id of ids) s.send({ type: 'message', text: `line ${id}`, clientActivityId: id });
    return Promise.all(answers);
  };
  const stored = async (conversationId: string): Promise<string[]> =>
    (await srv.channel.adapter.activityLog.since(conversationId)).activities.filter((a) => (a['from'] as Json | undefined)?.['role'] === 'user' && a['type'] === 'message').map((a) => String(a['text']));
  const replies = async (conversationId: string): Promise<string[]> =>
    (await srv.channel.adapter.activityLog.since(conversationId)).activities.filter((a) => (a['from'] as Json | undefined)?.['role'] === 'bot' && typeof a['text'] === 'string' && a['text'].startsWith('You said')).map((a) => String(a['text']));

  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
    await srv.close();
  });

  it('widget socket: past its bucket a line is refused by name with the wait, not stored nor answered; after the wait the resend is stored', async () => {
    clock = new ManualClock(T0);
    srv = await startWebChatServer({
      clock,
      messageRateLimit: { perConnection: { burst: 5, perMinute: 60 }, perConversation: { burst: 100, perMinute: 600 }, perAddress: { burst: 100, perMinute: 600 }, closeAfterRefused: 1000 },
    });
    // start and the first lines: 1 frame (start) + 4 lines fit in the burst of 5
    const { s, conversationId } = await startWidget();
    const answers = await sendLines(s, 'a', 12);
    const acked = answers.filter((f) => f['type'] === 'ack').map((f) => f['clientActivityId']);
    const refused = answers.filter((f) => f['type'] === 'error');
    assert.deepEqual(acked, ['a0', 'a1', 'a2', 'a3']);
    assert.equal(refused.length, 8);
    for (const r of refused) {
      assert.equal(r['code'], 'HANDOVER_ERR_TOO_MANY_REQUESTS');
      // one token a second, the bucket empty: the next one is due in a second
      assert.equal(r['retryAfterMs'], 1000);
      assert.match(String(r['message']), /slow down/);
    }
    await srv.channel.adapter.drain();
    assert.deepEqual(await stored(conversationId), ['line a0', 'line a1', 'line a2', 'line a3']);
    assert.equal((await replies(conversationId)).length, 4, 'only stored lines are answered');
    // the widget waits retryAfterMs and sends the same line again: now it goes through
    clock.advanceMs(1000);
    s.send({ type: 'message', text: 'line a4', clientActivityId: 'a4' });
    const resent = await s.next((f) => f['clientActivityId'] === 'a4');
    assert.equal(resent['type'], 'ack');
    await srv.channel.adapter.drain();
    assert.deepEqual(await stored(conversationId), ['line a0', 'line a1', 'line a2', 'line a3', 'line a4']);
  });

  it('widget socket: typing past the bucket is dropped without a frame; a socket that keeps flooding is closed with 1008', async () => {
    clock = new ManualClock(T0);
    srv = await startWebChatServer({
      clock,
      messageRateLimit: { perConnection: { burst: 3, perMinute: 60 }, perConversation: { burst: 100, perMinute: 600 }, perAddress: { burst: 100, perMinute: 600 }, closeAfterRefused: 10 },
    });
    const { s, conversationId } = await startWidget();
    // 2 tokens left: two typing frames go; the next 5 are dropped without an answer
    for (let i = 0; i < 7; i++) s.send({ type: 'typing' });
    // a line after them is refused by name: the frames before it got no answer at all
    const [line] = await sendLines(s, 't', 1);
    assert.equal(line!['type'], 'error');
    assert.equal(s.frames.filter((f) => f['type'] === 'error').length, 1, 'dropped typing frames are not answered');
    await srv.channel.adapter.drain();
    const typing = (await srv.channel.adapter.activityLog.since(conversationId)).activities.filter((a) => a['type'] === 'typing' && (a['from'] as Json | undefined)?.['role'] === 'user');
    assert.ok(typing.length <= 2, `${typing.length} typing activities got through`);
    // 6 refusals so far in a row; 4 more and the socket goes
    for (let i = 0; i < 10; i++) s.send({ type: 'message', text: `flood ${i}`, clientActivityId: `f${i}` });
    const code = await new Promise<number>((resolve) => (s.closedWith !== undefined ? resolve(s.closedWith) : s.ws.once('close', (c) => resolve(c))));
    assert.equal(code, 1008);
    await srv.channel.adapter.drain();
    assert.deepEqual(await stored(conversationId), [], 'no refused line was stored');
  });

  it('a conversation has one bucket whatever socket or front door its lines (and resumes) come through; Direct Line gets 429 + Retry-After', async () => {
    clock = new ManualClock(T0);
    srv = await startWebChatServer({
      clock,
      messageRateLimit: { perConnection: { burst: 100, perMinute: 600 }, perConversation: { burst: 5, perMinute: 30 }, perAddress: { burst: 100, perMinute: 600 }, closeAfterRefused: 1000 },
    });
    const { s, conversationId, token } = await startWidget();
    const first = await sendLines(s, 'w', 3);
    assert.deepEqual(first.map((f) => f['type']), ['ack', 'ack', 'ack']);
    // a second tab on the same conversation (its resume replays the history: it takes a token too)
    const tab = await open();
    tab.send({ type: 'resume', conversationId, token });
    await tab.waitFor((f) => f['type'] === 'session');
    const second = await sendLines(tab, 'x', 2);
    assert.deepEqual(second.map((f) => f['type']), ['ack', 'error']);
    assert.equal(second[1]!['retryAfterMs'], 2000);
    // Direct Line on the same conversation: the bucket is empty
    const post = await call(srv.baseUrl, 'POST', `${dl}/conversations/${encodeURIComponent(conversationId)}/activities`, { token, body: { type: 'message', text: 'via direct line' } });
    assert.equal(post.status, 429);
    assert.equal(post.headers.get('retry-after'), '2');
    assert.equal((post.json['error'] as Json)['code'], 'HANDOVER_ERR_TOO_MANY_REQUESTS');
    // a third tab's resume is refused too, before any history is replayed to it
    const third = await open();
    third.send({ type: 'resume', conversationId, token });
    const hello = await third.waitFor((f) => f['type'] === 'error' || f['type'] === 'session');
    assert.equal(hello['code'], 'HANDOVER_ERR_TOO_MANY_REQUESTS');
    assert.ok(Number(hello['retryAfterMs']) > 0);
    assert.equal(third.frames.filter((f) => Array.isArray(f['activities'])).length, 0);
    await srv.channel.adapter.drain();
    assert.deepEqual(await stored(conversationId), ['line w0', 'line w1', 'line w2', 'line x0']);
    clock.advanceMs(2000);
    const later = await call(srv.baseUrl, 'POST', `${dl}/conversations/${encodeURIComponent(conversationId)}/activities`, { token, body: { type: 'message', text: 'via direct line' } });
    assert.equal(later.status, 200);
  });

  it('an address has one bucket over its conversations; another address is not affected', async () => {
    clock = new ManualClock(T0);
    srv = await startWebChatServer({
      clock,
      messageRateLimit: { perConnection: { burst: 100, perMinute: 600 }, perConversation: { burst: 100, perMinute: 600 }, perAddress: { burst: 5, perMinute: 60 }, closeAfterRefused: 1000 },
    });
    const a = await startWidget('127.0.0.1');
    const b = await startWidget('127.0.0.1');
    const other = await startWidget('127.0.0.2');
    const fromA = await sendLines(a.s, 'a', 3);
    const fromB = await sendLines(b.s, 'b', 3);
    const fromOther = await sendLines(other.s, 'o', 3);
    assert.deepEqual(fromA.map((f) => f['type']), ['ack', 'ack', 'ack']);
    assert.deepEqual(fromB.map((f) => f['type']), ['ack', 'ack', 'error']);
    assert.deepEqual(fromOther.map((f) => f['type']), ['ack', 'ack', 'ack']);
  });

  it('closes a widget socket that never says start or resume', async () => {
    srv = await startWebChatServer({ helloTimeoutMs: 200 });
    const idle = await open();
    const started = Date.now();
    const code = await new Promise<number>((resolve) => idle.ws.once('close', (c) => resolve(c)));
    assert.equal(code, 1008);
    assert.ok(Date.now() - started < 5000);
    // one that says hello in time stays
    const { s } = await startWidget();
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(s.closedWith, undefined);
  });
});

describe('web chat: malformed percent-encoding and the token maximum age', () => {
  let srv: TestWebChatServer;
  const sockets: JsonSocket[] = [];
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
    await srv.close();
  });

  it('answers malformed percent-encoding in a conversation id with 400 on every Direct Line route, never 500', async () => {
    srv = await startWebChatServer();
    const start = await call(srv.baseUrl, 'POST', `${dl}/conversations`, { body: {} });
    const token = String(start.json['token']);
    for (const [method, path] of [
      ['GET', `${dl}/conversations/%E0%A4%A`],
      ['GET', `${dl}/conversations/%E0%A4%A/activities`],
      ['POST', `${dl}/conversations/%E0%A4%A/activities`],
      ['POST', `${dl}/conversations/%/upload`],
    ] as const) {
      const r = await call(srv.baseUrl, method, path, { token, ...(method === 'POST' ? { body: { type: 'message', text: 'x' } } : {}) });
      assert.equal(r.status, 400, `${method} ${path}`);
      assert.equal((r.json['error'] as Json)['code'], 'HANDOVER_ERR_BAD_REQUEST');
    }
    await assert.rejects(JsonSocket.open(`${srv.wsBase}${dl}/conversations/%E0%A4%A/stream?t=${encodeURIComponent(token)}`), (e: unknown) => e instanceof UpgradeRefused && e.status === 400);
  });

  it('renews a conversation token (refresh, reconnect, widget resume) only up to the maximum age after its first token', async () => {
    const clock = new ManualClock(T0);
    const hour = 3_600_000;
    srv = await startWebChatServer({ clock, tokenMaxAgeMs: 24 * hour });
    const start = await call(srv.baseUrl, 'POST', `${dl}/conversations`, { body: {} });
    const conversationId = String(start.json['conversationId']);
    let token = String(start.json['token']);
    assert.equal(start.json['expires_in'], 3600);
    // refreshed every 50 minutes for 23 h 20 min: each refresh works
    for (let i = 0; i < 28; i++) {
      clock.advanceMs(50 * 60_000);
      const r = await call(srv.baseUrl, 'POST', `${dl}/tokens/refresh`, { token });
      assert.equal(r.status, 200, `refresh ${i}`);
      token = String(r.json['token']);
    }
    // at 23 h 20 min: a refresh gets a token that ends at the 24 h mark, not an hour later
    const last = await call(srv.baseUrl, 'POST', `${dl}/tokens/refresh`, { token });
    assert.equal(last.status, 200);
    assert.equal(last.json['expires_in'], 40 * 60);
    token = String(last.json['token']);
    const reconnect = await call(srv.baseUrl, 'GET', `${dl}/conversations/${conversationId}`, { token });
    assert.equal(reconnect.status, 200);
    assert.equal(reconnect.json['expires_in'], 40 * 60);
    // past 24 h: the token expired and no renewal brings it back
    clock.advanceMs(40 * 60_000);
    const refused = await call(srv.baseUrl, 'POST', `${dl}/tokens/refresh`, { token });
    assert.equal(refused.status, 403);
    const gone = await call(srv.baseUrl, 'GET', `${dl}/conversations/${conversationId}`, { token });
    assert.equal(gone.status, 403);
    // the widget's resume with such a token is refused the same way (and the widget starts a new conversation)
    const w = await JsonSocket.open(`${srv.wsBase}/webchat/ws`);
    try {
      w.send({ type: 'resume', conversationId, token });
      const err = await w.waitFor((f) => f['type'] === 'error' || f['type'] === 'session');
      assert.equal(err['code'], 'HANDOVER_ERR_FORBIDDEN');
    } finally {
      await w.close();
    }
  });

  it('a widget session refreshes its token up to the maximum age, then is refused', async () => {
    const clock = new ManualClock(T0);
    const hour = 3_600_000;
    srv = await startWebChatServer({ clock, tokenMaxAgeMs: 2 * hour, tokenTtlMs: hour });
    const w = await JsonSocket.open(`${srv.wsBase}/webchat/ws`);
    try {
      w.send({ type: 'start', locale: 'en' });
      const first = await w.waitFor((f) => f['type'] === 'session');
      // a resume 45 minutes later (another page load) gets a fresh hour and keeps the first token's time
      clock.advanceMs(0.75 * hour);
      const again = await JsonSocket.open(`${srv.wsBase}/webchat/ws`);
      sockets.push(again);
      again.send({ type: 'resume', conversationId: first['conversationId'], token: first['token'] });
      const resumed = await again.waitFor((f) => f['type'] === 'session' || f['type'] === 'error');
      assert.equal(resumed['type'], 'session');
      assert.equal(resumed['expiresIn'], 3600);
      // at 1 h 30 min the refresh ends at the maximum age
      clock.advanceMs(0.75 * hour);
      again.send({ type: 'refresh' });
      const refreshed = await again.next((f) => f['type'] === 'error' || f['type'] === 'session');
      assert.equal(refreshed['expiresIn'], 30 * 60, 'the renewed token ends at the maximum age');
      clock.advanceMs(30 * 60_000);
      again.send({ type: 'refresh' });
      const refused = await again.next((f) => f['type'] === 'error' || f['type'] === 'session');
      assert.equal(refused['type'], 'error');
      assert.equal(refused['code'], 'HANDOVER_ERR_FORBIDDEN');
    } finally {
      await w.close();
    }
  });
});

describe('manifest.json limits', () => {
  const manifest = (): Record<string, unknown> => JSON.parse(readFileSync('manifest.json', 'utf8')) as Record<string, unknown>;

  it('has defaults for every limit, the same as the channel defaults', () => {
    const m = ManifestSchema.parse(manifest());
    assert.deepEqual(m.limits.messages, DEFAULT_MESSAGE_LIMITS);
    assert.deepEqual(m.limits.http, { headersTimeoutSeconds: 10, requestTimeoutSeconds: 30, bodyIdleTimeoutSeconds: 10, keepAliveTimeoutSeconds: 5, webSocketIdleSeconds: 90, webSocketHelloSeconds: 15 });
    assert.equal(m.limits.webchatTokens.maxAgeHours, 24);
  });

  it('refuses bad values naming the field', () => {
    const r = ManifestSchema.safeParse({
      ...manifest(),
      limits: { messages: { perConversation: { burst: 0 }, perAddress: { perMinute: -1 } }, http: { headersTimeoutSeconds: 0 }, webchatTokens: { maxAgeHours: 100_000 } },
    });
    assert.equal(r.success, false);
    const issues = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    assert.ok(issues.includes('limits.messages.perConversation.burst: at least 1 line'), issues.join('\n'));
    assert.ok(issues.includes('limits.messages.perAddress.perMinute: more than 0 a minute'), issues.join('\n'));
    assert.ok(issues.includes('limits.http.headersTimeoutSeconds: more than 0 seconds'), issues.join('\n'));
    assert.ok(issues.includes('limits.webchatTokens.maxAgeHours: at most 720 hours (30 days)'), issues.join('\n'));
  });
});
