import assert from 'node:assert/strict';
import { CustomerTokens, signCustomerToken } from '../../../src/channels/webchat/customer-token.js';
import { startTestService, nextEvent, type TestService } from '../../support/agent-service.js';
import { JsonSocket } from '../../support/webchat-clients.js';

type Json = Record<string, unknown>;

const SECRET = 'site-customer-secret-0123456789abcdef';
const sign = (sub: string, opts: { name?: string; ttlSeconds?: number; exp?: number } = {}): string => signCustomerToken(SECRET, { sub, ...opts });
const texts = (activities: Json[]): string[] => activities.filter((a) => a['type'] === 'message').map((a) => String(a['text'] ?? ''));

/** Direct Line GET …/activities until one bot message matches. */
async function pollFor(base: string, conversationId: string, token: string, match: RegExp): Promise<Json[]> {
  for (let i = 0; i < 250; i++) {
    const r = await fetch(`${base}/v3/directline/conversations/${encodeURIComponent(conversationId)}/activities`, { headers: { Authorization: `Bearer ${token}` } });
    const page = (await r.json()) as { activities: Json[] };
    if (page.activities.some((a) => (a['from'] as Json | undefined)?.['role'] === 'bot' && match.test(String(a['text'] ?? '')))) return page.activities;
    await new Promise((r2) => setTimeout(r2, 40));
  }
  throw new Error(`no bot message matching ${match} in ${conversationId}`);
}

describe('web chat: signed-in customers (customer token on the widget socket and Direct Line)', function () {
  this.timeout(30_000);
  let t: TestService;

  before(async () => {
    t = await startTestService({ env: { WEBCHAT_CUSTOMER_SECRET: SECRET } });
  });
  after(async () => {
    await t?.close();
  });

  async function widgetStart(frame: Json): Promise<JsonSocket> {
    const socket = await JsonSocket.open(`${t.ws}/webchat/ws`);
    socket.send({ type: 'start', locale: 'en', ...frame });
    return socket;
  }
  const botSaid = (socket: JsonSocket, match: RegExp): Promise<Json> =>
    socket.waitFor((f) => Array.isArray(f['activities']) && (f['activities'] as Json[]).some((a) => (a['from'] as Json)?.['role'] === 'bot' && match.test(String(a['text'] ?? ''))));

  it('widget: a customer token makes the conversation that customer\'s — greeted by name, and the order is found', async () => {
    const socket = await widgetStart({ customerToken: sign('c-1001', { name: 'Dana Reyes' }) });
    const session = await socket.waitFor((f) => f['type'] === 'session');
    assert.equal(session['userId'], 'c-1001', 'the user id is the customer id');
    await botSaid(socket, /^Hi, Dana! I'm the Acme Shop assistant/);
    socket.send({ type: 'message', text: 'where is my order?' });
    await botSaid(socket, /order number/i);
    socket.send({ type: 'message', text: 'A12345' });
    await botSaid(socket, /^Order A12345 is shipped\.$/);
    assert.ok(!texts(socket.activities()).some((x) => /couldn't find/.test(x)), texts(socket.activities()).join(' | '));
    await socket.close();
  });

  it('widget: an expired or forged token is refused with an error frame and no conversation starts', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await widgetStart({ customerToken: sign('c-1001', { exp: now - 120 }) });
    const e1 = await expired.waitFor((f) => f['type'] === 'error');
    assert.equal(e1['code'], 'HANDOVER_ERR_CUSTOMER_TOKEN_EXPIRED');
    assert.match(String(e1['message']), /expired/);
    const forgedToken = signCustomerToken('someone-elses-secret-0123456789abcdef', { sub: 'c-1001' });
    const forged = await widgetStart({ customerToken: forgedToken });
    const e2 = await forged.waitFor((f) => f['type'] === 'error');
    assert.equal(e2['code'], 'HANDOVER_ERR_CUSTOMER_TOKEN_INVALID');
    // a tampered payload (c-3001's token claiming c-1001)
    const [h, , s] = sign('c-3001').split('.');
    const tampered = await widgetStart({ customerToken: `${h}.${Buffer.from(JSON.stringify({ sub: 'c-1001', exp: now + 600 })).toString('base64url')}.${s}` });
    assert.equal((await tampered.waitFor((f) => f['type'] === 'error'))['code'], 'HANDOVER_ERR_CUSTOMER_TOKEN_INVALID');
    for (const c of [expired, forged, tampered]) {
      assert.equal(c.frames.filter((f) => f['type'] === 'session').length, 0, 'no session for a refused token');
      await c.close();
    }
  });

  it('Direct Line: POST /conversations with the customer token as the bearer finds the customer\'s order', async () => {
    const start = await fetch(`${t.base}/v3/directline/conversations`, { method: 'POST', headers: { Authorization: `Bearer ${sign('c-1001', { name: 'Dana Reyes' })}` } });
    assert.equal(start.status, 201);
    const { conversationId, token } = (await start.json()) as { conversationId: string; token: string };
    await pollFor(t.base, conversationId, token, /^Hi, Dana!/);
    const post = (text: string): Promise<Response> =>
      fetch(`${t.base}/v3/directline/conversations/${encodeURIComponent(conversationId)}/activities`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        // the id a client claims is ignored: the token's customer is who this is
        body: JSON.stringify({ type: 'message', text, from: { id: 'c-2001' } }),
      });
    assert.equal((await post('where is my order?')).status, 200);
    await pollFor(t.base, conversationId, token, /order number/i);
    assert.equal((await post('A12345')).status, 200);
    const activities = await pollFor(t.base, conversationId, token, /^Order A12345 is shipped\.$/);
    const mine = activities.filter((a) => (a['from'] as Json)['role'] === 'user');
    assert.ok(mine.length >= 2 && mine.every((a) => (a['from'] as Json)['id'] === 'c-1001'), JSON.stringify(mine.map((a) => a['from'])));
  });

  it('Direct Line: expired and forged tokens are 401 with their code; no token is anonymous and the order is not theirs', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await fetch(`${t.base}/v3/directline/conversations`, { method: 'POST', headers: { Authorization: `Bearer ${sign('c-1001', { exp: now - 600 })}` } });
    assert.equal(expired.status, 401);
    assert.equal(((await expired.json()) as { error: { code: string } }).error.code, 'HANDOVER_ERR_CUSTOMER_TOKEN_EXPIRED');
    const forged = await fetch(`${t.base}/v3/directline/conversations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${new CustomerTokens({ secret: 'another-secret-0123456789abcdefghijkl' }).sign({ sub: 'c-1001' })}` },
    });
    assert.equal(forged.status, 401);
    assert.equal(((await forged.json()) as { error: { code: string } }).error.code, 'HANDOVER_ERR_CUSTOMER_TOKEN_INVALID');

    // botframework-directlinejs without a token sends "Bearer undefined": anonymous, as before
    const dljs = await fetch(`${t.base}/v3/directline/conversations`, { method: 'POST', headers: { Authorization: 'Bearer undefined' } });
    assert.equal(dljs.status, 201);
    const anon = await fetch(`${t.base}/v3/directline/conversations`, { method: 'POST' });
    assert.equal(anon.status, 201);
    const { conversationId, token } = (await anon.json()) as { conversationId: string; token: string };
    const post = (text: string): Promise<Response> =>
      fetch(`${t.base}/v3/directline/conversations/${encodeURIComponent(conversationId)}/activities`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'message', text }),
      });
    await post('where is my order?');
    await pollFor(t.base, conversationId, token, /order number/i);
    await post('A12345');
    await pollFor(t.base, conversationId, token, /couldn't find order A12345/);
  });

  it('an anonymous visitor who asks for a person is named so in the briefing, never "a standard customer"', async () => {
    const socket = await widgetStart({});
    const session = await socket.waitFor((f) => f['type'] === 'session');
    const key = `webchat:${String(session['conversationId'])}`;
    const queued = nextEvent(t, (e) => e.type === 'handoff.requested' && e.conversationId === key);
    socket.send({ type: 'message', text: 'I want to talk to a real person' });
    const requested = await queued;
    assert.equal(requested.type, 'handoff.requested');
    const packet = requested.type === 'handoff.requested' ? await t.svc.stores.packets.get(requested.handoffId) : undefined;
    const summary = packet?.summary ?? '';
    assert.match(summary, /^An anonymous web chat visitor/, summary);
    assert.doesNotMatch(summary, /standard customer/);
    await socket.close();
  });
});

describe('web chat: a site that allows signed-in customers only (WEBCHAT_ANONYMOUS=off)', function () {
  this.timeout(20_000);
  it('refuses a visitor without a token on both front doors and lets a signed-in one in', async () => {
    const t = await startTestService({ env: { WEBCHAT_CUSTOMER_SECRET: SECRET, WEBCHAT_ANONYMOUS: 'off' } });
    try {
      const r = await fetch(`${t.base}/v3/directline/conversations`, { method: 'POST' });
      assert.equal(r.status, 401);
      assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'HANDOVER_ERR_UNAUTHORIZED');
      const anon = await JsonSocket.open(`${t.ws}/webchat/ws`);
      anon.send({ type: 'start', locale: 'en' });
      assert.equal((await anon.waitFor((f) => f['type'] === 'error'))['code'], 'HANDOVER_ERR_UNAUTHORIZED');
      await anon.close();
      const signed = await JsonSocket.open(`${t.ws}/webchat/ws`);
      signed.send({ type: 'start', locale: 'en', customerToken: sign('c-2001') });
      assert.equal((await signed.waitFor((f) => f['type'] === 'session'))['userId'], 'c-2001');
      await signed.close();
    } finally {
      await t.close();
    }
  });
});

describe('web chat: signed-in starts and the per-address limit on anonymous conversations', function () {
  this.timeout(20_000);
  it('past WEBCHAT_START_BURST anonymous starts are 429, a signed-in customer from the same address still starts', async () => {
    const t = await startTestService({ env: { WEBCHAT_CUSTOMER_SECRET: SECRET, WEBCHAT_START_BURST: '2', WEBCHAT_START_PER_MINUTE: '1' } });
    try {
      const start = (headers: Record<string, string> = {}): Promise<Response> => fetch(`${t.base}/v3/directline/conversations`, { method: 'POST', headers });
      assert.deepEqual([(await start()).status, (await start()).status, (await start()).status], [201, 201, 429]);
      const signed = await start({ Authorization: `Bearer ${sign('c-1001')}` });
      assert.equal(signed.status, 201, 'a verified customer is not an anonymous conversation');
      const socket = await JsonSocket.open(`${t.ws}/webchat/ws`);
      socket.send({ type: 'start', locale: 'en', customerToken: sign('c-2001') });
      assert.equal((await socket.waitFor((f) => f['type'] === 'session' || f['type'] === 'error'))['userId'], 'c-2001');
      await socket.close();
    } finally {
      await t.close();
    }
  });
});
