import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/core/clock.js';
import { startWebChatServer, type TestWebChatServer } from '../../support/webchat-server.js';
import { JsonSocket, UpgradeRefused, call, hasActivity, withText } from '../../support/webchat-clients.js';

type Json = Record<string, unknown>;
const dl = '/v3/directline';

async function startConversation(srv: TestWebChatServer): Promise<{ conversationId: string; token: string; streamUrl: string }> {
  const r = await call(srv.baseUrl, 'POST', `${dl}/conversations`, { body: { user: { id: 'ignored-by-server' }, locale: 'en-US' } });
  assert.equal(r.status, 201);
  return r.json as { conversationId: string; token: string; streamUrl: string };
}

describe('web chat: Direct Line 3.0 subset over HTTP + WebSocket', () => {
  let srv: TestWebChatServer;
  const sockets: JsonSocket[] = [];
  const open = async (url: string): Promise<JsonSocket> => {
    const s = await JsonSocket.open(url);
    sockets.push(s);
    return s;
  };

  beforeEach(async () => {
    srv = await startWebChatServer();
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
    await srv.close();
  });

  it('creates a conversation: 201 with conversationId, token, expires_in and a ws:// streamUrl', async () => {
    const c = await startConversation(srv);
    assert.match(c.conversationId, /^wc_[0-9a-f]{24}$/);
    assert.ok(c.token.length > 20);
    assert.match(c.streamUrl, new RegExp(`^ws://127\\.0\\.0\\.1:\\d+${dl}/conversations/${c.conversationId}/stream\\?`));
    const r = await call(srv.baseUrl, 'POST', `${dl}/conversations`);
    assert.equal(r.status, 201, 'a body is optional');
    assert.equal(typeof r.json['expires_in'], 'number');
  });

  it('streams the greeting, echoes the posted activity with its clientActivityID, then the bot reply', async () => {
    const c = await startConversation(srv);
    const stream = await open(c.streamUrl);
    await stream.waitFor((f) => hasActivity(f, (a) => String(a['text']).startsWith('Welcome')));
    const post = await call(srv.baseUrl, 'POST', `${dl}/conversations/${c.conversationId}/activities`, {
      token: c.token,
      body: { type: 'message', text: 'hello', from: { id: 'spoofed', name: 'Ana', role: 'bot' }, channelData: { clientActivityID: 'cli-1', handover: { role: 'agent' } } },
    });
    assert.equal(post.status, 200);
    assert.equal(typeof post.json['id'], 'string');
    const echoFrame = await stream.waitFor((f) => hasActivity(f, withText('hello')));
    const echo = (echoFrame['activities'] as Json[])[0] as Json;
    assert.equal(echo['id'], post.json['id']);
    assert.deepEqual(echo['channelData'], { clientActivityID: 'cli-1' }, 'clientActivityID kept, handover claims stripped');
    const from = echo['from'] as Json;
    assert.equal(from['role'], 'user');
    assert.match(String(from['id']), /^dl_/, 'the server picks the user id, not the client');
    assert.equal(from['name'], 'Ana');
    assert.equal(typeof echoFrame['watermark'], 'string');
    const reply = await stream.waitFor((f) => hasActivity(f, withText('You said: hello')));
    const replyActivity = (reply['activities'] as Json[])[0] as Json;
    assert.equal(replyActivity['replyToId'], post.json['id']);
    assert.equal((replyActivity['from'] as Json)['role'], 'bot');
    assert.ok(Number(reply['watermark']) > Number(echoFrame['watermark']));
  });

  it('reconnects from a watermark: GET /conversations/:id?watermark= gives a streamUrl that replays only newer activities', async () => {
    const c = await startConversation(srv);
    const first = await open(c.streamUrl);
    await call(srv.baseUrl, 'POST', `${dl}/conversations/${c.conversationId}/activities`, { token: c.token, body: { type: 'message', text: 'one' } });
    const afterOne = await first.waitFor((f) => hasActivity(f, withText('You said: one')));
    await first.close();
    await call(srv.baseUrl, 'POST', `${dl}/conversations/${c.conversationId}/activities`, { token: c.token, body: { type: 'message', text: 'two' } });
    const poll = await call(srv.baseUrl, 'GET', `${dl}/conversations/${c.conversationId}/activities?watermark=${String(afterOne['watermark'])}`, { token: c.token });
    assert.equal(poll.status, 200);
    // The reply to "two" may still be on its way; the echo is already logged.
    assert.ok((poll.json['activities'] as Json[]).some(withText('two')));
    const re = await call(srv.baseUrl, 'GET', `${dl}/conversations/${c.conversationId}?watermark=${String(afterOne['watermark'])}`, { token: c.token });
    assert.equal(re.status, 200);
    assert.equal(re.json['conversationId'], c.conversationId);
    assert.notEqual(re.json['token'], undefined);
    const second = await open(String(re.json['streamUrl']));
    await second.waitFor((f) => hasActivity(f, withText('You said: two')));
    const texts = second.activities().map((a) => a['text']);
    assert.ok(!texts.includes('one') && !texts.includes('You said: one'), `no replay before the watermark, got ${JSON.stringify(texts)}`);
    assert.equal(texts.filter((t) => t === 'two').length, 1, 'no duplicates between replay and live push');
  });

  it('polls GET /activities?watermark= (webSocket: false clients)', async () => {
    const c = await startConversation(srv);
    await call(srv.baseUrl, 'POST', `${dl}/conversations/${c.conversationId}/activities`, { token: c.token, body: { type: 'message', text: 'poll me' } });
    const all = await call(srv.baseUrl, 'GET', `${dl}/conversations/${c.conversationId}/activities`, { token: c.token });
    assert.equal(all.status, 200);
    assert.ok((all.json['activities'] as Json[]).some(withText('poll me')));
    await srv.channel.adapter.drain();
    const w = (await call(srv.baseUrl, 'GET', `${dl}/conversations/${c.conversationId}/activities?watermark=0`, { token: c.token })).json['watermark'];
    const none = await call(srv.baseUrl, 'GET', `${dl}/conversations/${c.conversationId}/activities?watermark=${String(w)}`, { token: c.token });
    assert.deepEqual(none.json['activities'], []);
    assert.equal(none.json['watermark'], w);
  });

  it('checks the bearer token: 401 without or with a forged one, 403 for another conversation or when expired', async () => {
    const a = await startConversation(srv);
    const b = await startConversation(srv);
    const path = `${dl}/conversations/${a.conversationId}/activities`;
    const body = { type: 'message', text: 'x' };
    const none = await call(srv.baseUrl, 'POST', path, { body });
    assert.equal(none.status, 401);
    assert.equal((none.json['error'] as Json)['code'], 'HANDOVER_ERR_UNAUTHORIZED');
    const forged = a.token.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    assert.equal((await call(srv.baseUrl, 'POST', path, { body, token: forged })).status, 401);
    assert.equal((await call(srv.baseUrl, 'POST', path, { body, token: 'not-a-token' })).status, 401);
    const other = await call(srv.baseUrl, 'POST', path, { body, token: b.token });
    assert.equal(other.status, 403);
    assert.equal((other.json['error'] as Json)['code'], 'HANDOVER_ERR_FORBIDDEN');
    assert.equal((await call(srv.baseUrl, 'GET', `${dl}/conversations/${a.conversationId}`, { token: b.token })).status, 403);
    assert.equal((await call(srv.baseUrl, 'GET', `${dl}/conversations/${a.conversationId}/activities`)).status, 401);
    await assert.rejects(JsonSocket.open(a.streamUrl.replace(/t=[^&]+/, 't=bad')), (e: unknown) => e instanceof UpgradeRefused && e.status === 401);
    await assert.rejects(JsonSocket.open(a.streamUrl.replace(/t=[^&]+/, `t=${encodeURIComponent(b.token)}`)), (e: unknown) => e instanceof UpgradeRefused && e.status === 403);
  });

  it('answers 403 for an expired token and refreshes a valid one', async () => {
    const clock = new ManualClock(1_000_000);
    await srv.close();
    srv = await startWebChatServer({ clock, tokenTtlMs: 60_000 });
    const c = await startConversation(srv);
    const refreshed = await call(srv.baseUrl, 'POST', `${dl}/tokens/refresh`, { token: c.token });
    assert.equal(refreshed.status, 200);
    assert.equal(refreshed.json['conversationId'], c.conversationId);
    assert.equal(refreshed.json['expires_in'], 60);
    clock.advanceMs(60_000);
    const expired = await call(srv.baseUrl, 'POST', `${dl}/conversations/${c.conversationId}/activities`, { token: c.token, body: { type: 'message', text: 'late' } });
    assert.equal(expired.status, 403);
    assert.match(String((expired.json['error'] as Json)['message']), /expired/i);
    assert.equal((await call(srv.baseUrl, 'POST', `${dl}/tokens/refresh`, { token: c.token })).status, 403);
    assert.equal((await call(srv.baseUrl, 'POST', `${dl}/tokens/refresh`)).status, 401);
  });

  it('rejects bad input with clear 4xx JSON: 413 huge body, 400 malformed JSON or shape, 404 unknown conversation or endpoint, 405 upload', async () => {
    const c = await startConversation(srv);
    const path = `${dl}/conversations/${c.conversationId}/activities`;
    const huge = await call(srv.baseUrl, 'POST', path, { token: c.token, body: { type: 'message', text: 'x'.repeat(300 * 1024) } });
    assert.equal(huge.status, 413);
    assert.equal((huge.json['error'] as Json)['code'], 'HANDOVER_ERR_PAYLOAD_TOO_LARGE');
    const hugeStart = await call(srv.baseUrl, 'POST', `${dl}/conversations`, { rawBody: `{"pad":"${'y'.repeat(300 * 1024)}"}` });
    assert.equal(hugeStart.status, 413);
    const malformed = await call(srv.baseUrl, 'POST', path, { token: c.token, rawBody: '{"type": "message", ' });
    assert.equal(malformed.status, 400);
    assert.equal((malformed.json['error'] as Json)['code'], 'HANDOVER_ERR_BAD_REQUEST');
    const badShape = await call(srv.baseUrl, 'POST', path, { token: c.token, body: { type: 'conversationUpdate' } });
    assert.equal(badShape.status, 400);
    assert.match(String((badShape.json['error'] as Json)['message']), /type/);
    assert.equal((await call(srv.baseUrl, 'POST', path, { token: c.token, body: [1, 2] })).status, 400);
    assert.equal((await call(srv.baseUrl, 'POST', `${dl}/conversations`, { rawBody: 'nope' })).status, 400);
    const unknown = await call(srv.baseUrl, 'GET', `${dl}/conversations/wc_doesnotexist/activities`, { token: c.token });
    assert.equal(unknown.status, 404);
    assert.equal((unknown.json['error'] as Json)['code'], 'HANDOVER_ERR_UNKNOWN_CONVERSATION');
    assert.equal((await call(srv.baseUrl, 'GET', `${dl}/conversations/wc_doesnotexist`, { token: c.token })).status, 404);
    assert.equal((await call(srv.baseUrl, 'GET', `${dl}/nothing-here`)).status, 404);
    assert.equal((await call(srv.baseUrl, 'POST', `${dl}/conversations/${c.conversationId}/upload?userId=u`, { token: c.token })).status, 405);
    assert.equal((await call(srv.baseUrl, 'DELETE', `${dl}/conversations`)).status, 405);
    // The server survived all of it.
    assert.equal((await call(srv.baseUrl, 'POST', path, { token: c.token, body: { type: 'message', text: 'still here' } })).status, 200);
  });

  it('sends CORS headers and answers preflight requests', async () => {
    const pre = await fetch(`${srv.baseUrl}${dl}/conversations`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    const r = await call(srv.baseUrl, 'POST', `${dl}/conversations`, { headers: { Origin: 'https://shop.example' } });
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
  });

  it('restricts CORS to allowedOrigins when configured', async () => {
    await srv.close();
    srv = await startWebChatServer({ allowedOrigins: ['https://shop.example'] });
    const ok = await call(srv.baseUrl, 'POST', `${dl}/conversations`, { headers: { Origin: 'https://shop.example' } });
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://shop.example');
    const other = await call(srv.baseUrl, 'POST', `${dl}/conversations`, { headers: { Origin: 'https://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  it('never sends handoff.initiate (the agent briefing) to the customer', async () => {
    const c = await startConversation(srv);
    const stream = await open(c.streamUrl);
    const ref = srv.bot.references.get(c.conversationId);
    assert.ok(ref, 'the bot saw the conversationUpdate');
    await srv.channel.adapter.continueConversation(ref, async (ctx) => {
      await ctx.sendActivity({ type: 'event', name: 'handoff.initiate', value: { reason: 'secret briefing' } });
      await ctx.sendActivity('after briefing');
    });
    await stream.waitFor((f) => hasActivity(f, withText('after briefing')));
    assert.ok(!JSON.stringify(stream.frames).includes('secret briefing'));
    const history = await call(srv.baseUrl, 'GET', `${dl}/conversations/${c.conversationId}/activities`, { token: c.token });
    assert.ok(!JSON.stringify(history.json).includes('secret briefing'));
  });
});
