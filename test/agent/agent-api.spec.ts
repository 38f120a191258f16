import assert from 'node:assert/strict';
import { API_ROUTES } from '../../src/agent/api-routes.js';
import { JsonSocket, UpgradeRefused } from '../support/webchat-clients.js';
import { apiCall, conversationPath, customerHandsOff, nextEvent, signIn, startTestService, type TestService } from '../support/agent-service.js';

type Json = Record<string, unknown>;
const DESK_TOKEN = 'desk-token-0123456789abcdef';

const errorCode = (r: { json: Json }): string => ((r.json['error'] as Json | undefined)?.['code'] as string | undefined) ?? '(no error body)';

describe('agent console API (the real start composition, memory store)', function () {
  this.timeout(30_000);
  let t: TestService;
  let ana: string;
  let bruno: string;
  let sam: string;

  before(async () => {
    t = await startTestService({ env: { HANDOVER_API_TOKENS: `helpdesk:${DESK_TOKEN}` } });
    [ana, bruno, sam] = await Promise.all([signIn(t.base, 'ana'), signIn(t.base, 'bruno'), signIn(t.base, 'sam')]);
  });
  after(async () => {
    await t?.close();
  });
  afterEach(() => {
    assert.deepEqual(t.errors, [], 'the service logged no errors');
  });

  describe('sign-in', () => {
    it('sets an HttpOnly, SameSite=Strict session cookie that expires with sessionTtlMinutes', async () => {
      const r = await apiCall(t.base, 'POST', '/api/login', { body: { id: 'ana', password: 'ana-demo-password' } });
      assert.equal(r.status, 200);
      assert.deepEqual((r.json['caller'] as Json)['queues'], ['support', 'support_l2', 'billing']);
      const cookie = r.headers.get('set-cookie') ?? '';
      assert.match(cookie, /^handover_agent=[A-Za-z0-9_-]{43};/);
      assert.match(cookie, /; HttpOnly/);
      assert.match(cookie, /; SameSite=Strict/);
      assert.match(cookie, /; Max-Age=28800/, '480 minutes from manifest.json');
      assert.match(cookie, /; Expires=/);
      assert.match(cookie, /; Path=\//);
    });

    it('refuses a wrong password and an unknown id alike (401)', async () => {
      const wrong = await apiCall(t.base, 'POST', '/api/login', { body: { id: 'ana', password: 'nope' } });
      const unknown = await apiCall(t.base, 'POST', '/api/login', { body: { id: 'mallory', password: 'x' } });
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      assert.deepEqual(wrong.json, unknown.json, 'same answer: ids cannot be probed');
      assert.equal(wrong.headers.get('set-cookie'), null);
    });

    it('slows guessing: the 6th wrong password in a row is 429', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await apiCall(t.base, 'POST', '/api/login', { body: { id: 'bruno', password: `guess-${i}` } })).status);
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
      const r = await apiCall(t.base, 'POST', '/api/login', { body: { id: 'bruno', password: 'bruno-demo-password' } });
      assert.equal(r.status, 429, 'even the right password waits out the window');
      assert.equal(errorCode(r), 'HANDOVER_ERR_TOO_MANY_REQUESTS');
    });

    it('answers malformed JSON with 400, a wrong shape with 400, a huge body with 413', async () => {
      const bad = await apiCall(t.base, 'POST', '/api/login', { rawBody: '{"id": "ana", ' });
      assert.equal(bad.status, 400);
      assert.equal(errorCode(bad), 'HANDOVER_ERR_BAD_REQUEST');
      const shape = await apiCall(t.base, 'POST', '/api/login', { body: { id: 'ana' } });
      assert.equal(shape.status, 400);
      assert.match(String((shape.json['error'] as Json)['message']), /password/);
      const empty = await apiCall(t.base, 'POST', '/api/login');
      assert.equal(empty.status, 400);
      const huge = await apiCall(t.base, 'POST', '/api/login', { rawBody: JSON.stringify({ id: 'ana', password: 'x'.repeat(200_000) }) });
      assert.equal(huge.status, 413);
      assert.equal(errorCode(huge), 'HANDOVER_ERR_PAYLOAD_TOO_LARGE');
    });

    it('signs out: the cookie is cleared and no longer works', async () => {
      const cookie = await signIn(t.base, 'ana');
      assert.equal((await apiCall(t.base, 'GET', '/api/me', { cookie })).status, 200);
      const out = await apiCall(t.base, 'POST', '/api/logout', { cookie });
      assert.equal(out.status, 204);
      assert.match(out.headers.get('set-cookie') ?? '', /handover_agent=; .*Max-Age=0/);
      assert.equal((await apiCall(t.base, 'GET', '/api/me', { cookie })).status, 401);
    });
  });

  describe('nothing works without a session', () => {
    it('every authenticated route answers 401 without credentials, and 401 with a bad bearer token', async () => {
      for (const r of API_ROUTES.filter((x) => x.auth)) {
        const path = r.path.replace('{queue}', 'support').replace('{conversationId}', 'webchat%3Anope');
        const none = await apiCall(t.base, r.method, path, r.method === 'POST' ? { body: {} } : {});
        assert.equal(none.status, 401, `${r.method} ${r.path}`);
        assert.equal(errorCode(none), 'HANDOVER_ERR_UNAUTHORIZED');
        const forged = await apiCall(t.base, r.method, path, { bearer: 'not-a-token-000000000', cookie: ana, ...(r.method === 'POST' ? { body: {} } : {}) });
        assert.equal(forged.status, 401, `a bad bearer token is judged alone, even with a cookie: ${r.method} ${r.path}`);
      }
      const forgedCookie = await apiCall(t.base, 'GET', '/api/me', { cookie: 'handover_agent=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
      assert.equal(forgedCookie.status, 401);
    });

    it('the console page shows only the sign-in form (401) and the socket refuses the upgrade', async () => {
      const page = await fetch(`${t.base}/agent`);
      assert.equal(page.status, 401);
      assert.match(await page.text(), /data-view="login"/);
      assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      const signedIn = await fetch(`${t.base}/agent`, { headers: { Cookie: ana } });
      assert.equal(signedIn.status, 200);
      assert.match(await signedIn.text(), /data-view="console"/);
      await assert.rejects(JsonSocket.open(`${t.ws}/agent/ws`), (e: unknown) => e instanceof UpgradeRefused && e.status === 401);
      await assert.rejects(JsonSocket.open(`${t.ws}/agent/ws`, { Cookie: ana, Origin: 'https://evil.example' }), (e: unknown) => e instanceof UpgradeRefused && e.status === 403);
    });
  });

  describe('routing errors', () => {
    it('answers a wrong method with 405 and Allow, an unknown path with 404', async () => {
      const del = await apiCall(t.base, 'DELETE', conversationPath('webchat:x'), { cookie: ana });
      assert.equal(del.status, 405);
      assert.equal(del.headers.get('allow'), 'GET');
      assert.equal(errorCode(del), 'HANDOVER_ERR_METHOD_NOT_ALLOWED');
      const get = await apiCall(t.base, 'GET', '/api/login');
      assert.equal(get.status, 405);
      assert.equal(get.headers.get('allow'), 'POST');
      const nope = await apiCall(t.base, 'GET', '/api/nothing-here', { cookie: ana });
      assert.equal(nope.status, 404);
      assert.equal(errorCode(nope), 'HANDOVER_ERR_NOT_FOUND');
    });

    it('refuses a cross-site POST riding on the cookie (403)', async () => {
      const r = await apiCall(t.base, 'POST', conversationPath('webchat:x', 'accept'), { cookie: ana, body: {}, headers: { Origin: 'https://evil.example' } });
      assert.equal(r.status, 403);
    });
  });

  describe('queues', () => {
    it('an agent sees their own queues; a supervisor sees every queue', async () => {
      const a = await apiCall(t.base, 'GET', '/api/queues', { cookie: ana });
      assert.deepEqual((a.json['queues'] as Json[]).map((q) => q['id']), ['support', 'support_l2', 'billing']);
      assert.deepEqual((a.json['queues'] as Json[]).map((q) => q['label']), ['Customer support', 'Support, level 2', 'Billing'], 'labels for people beside the ids');
      const me = await apiCall(t.base, 'GET', '/api/me', { cookie: ana });
      assert.equal((me.json['queueLabels'] as Json)['senior'], 'Senior agents');
      const s = await apiCall(t.base, 'GET', '/api/queues', { cookie: sam });
      assert.deepEqual((s.json['queues'] as Json[]).map((q) => q['id']), ['support', 'support_l2', 'billing', 'sales', 'retention', 'fraud', 'senior']);
    });

    it('another queue is 403, an unknown queue 404', async () => {
      const other = await apiCall(t.base, 'GET', '/api/queues/sales', { cookie: ana });
      assert.equal(other.status, 403);
      assert.equal(errorCode(other), 'HANDOVER_ERR_FORBIDDEN');
      const unknown = await apiCall(t.base, 'GET', '/api/queues/nope', { cookie: ana });
      assert.equal(unknown.status, 404);
      assert.equal(errorCode(unknown), 'HANDOVER_ERR_UNKNOWN_QUEUE');
    });
  });

  describe('a conversation, from handoff to return', () => {
    it('queues, briefs, refuses the wrong agent, lets exactly one of two racing claims win, and relays both ways', async () => {
      const customer = await customerHandsOff(t);
      const id = customer.conversationId;

      const q = await apiCall(t.base, 'GET', '/api/queues/support', { cookie: ana });
      assert.equal(q.status, 200);
      const item = (q.json['conversations'] as Json[]).find((c) => c['conversationId'] === id);
      assert.ok(item, 'the conversation waits in support');
      assert.equal(item['reason'], 'customer_request');
      assert.equal(typeof item['slaDeadline'], 'number');

      const wrong = await apiCall(t.base, 'GET', conversationPath(id), { cookie: bruno });
      assert.equal(wrong.status, 403, 'bruno works sales and retention');
      assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'accept'), { cookie: bruno, body: {} })).status, 403);
      assert.equal((await apiCall(t.base, 'GET', conversationPath('webchat:no-such-conversation'), { cookie: ana })).status, 404);

      const view = await apiCall(t.base, 'GET', conversationPath(id), { cookie: ana });
      assert.equal(view.status, 200);
      const briefing = view.json['briefing'] as Json;
      assert.equal(briefing['reason'], 'customer_request');
      assert.ok(Array.isArray(briefing['trace']) && (briefing['trace'] as string[]).length > 0);
      assert.equal(typeof briefing['summary'], 'string');
      assert.ok(Array.isArray(briefing['sentiment']));
      assert.ok(Array.isArray(briefing['steps']));
      assert.equal(briefing['transcript'], undefined, 'the briefing does not repeat the transcript');
      const lines = view.json['transcript'] as Json[];
      assert.ok(lines.some((l) => l['from'] === 'customer' && l['text'] === 'I want to talk to a real person'));

      // Two agents click Accept at the same instant: one wins, the other gets 409.
      const [x, y] = await Promise.all([
        apiCall(t.base, 'POST', conversationPath(id, 'accept'), { cookie: ana, body: {} }),
        apiCall(t.base, 'POST', conversationPath(id, 'accept'), { cookie: sam, body: {} }),
      ]);
      assert.deepEqual([x.status, y.status].sort(), [200, 409]);
      const loser = x.status === 409 ? x : y;
      assert.equal(errorCode(loser), 'HANDOVER_ERR_ALREADY_TAKEN');
      const winner = x.status === 200 ? 'ana' : 'sam';
      const winnerCookie = winner === 'ana' ? ana : sam;
      const loserCookie = winner === 'ana' ? sam : ana;
      const accepted = x.status === 200 ? x : y;
      assert.equal((accepted.json['state'] as Json)['agentId'], winner);
      assert.ok((accepted.json['briefing'] as Json)['reason'], 'accept answers with the briefing');
      assert.ok(Array.isArray(accepted.json['macros']));
      assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'accept'), { cookie: loserCookie, body: {} })).status, 409, 'a late claim is 409 too');

      const me = await apiCall(t.base, 'GET', '/api/me', { cookie: winnerCookie });
      assert.deepEqual((me.json['active'] as Json[]).map((a) => a['conversationId']), [id]);

      // Only the owner writes to the customer.
      const notOwner = await apiCall(t.base, 'POST', conversationPath(id, 'messages'), { cookie: loserCookie, body: { text: 'hi' } });
      assert.equal(notOwner.status, 403);
      assert.equal(errorCode(notOwner), 'HANDOVER_ERR_NOT_ASSIGNED_TO_AGENT');
      assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'messages'), { cookie: winnerCookie, body: { text: '   ' } })).status, 400);
      assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'messages'), { cookie: winnerCookie, body: { text: 'hi', extra: 1 } })).status, 400, 'unknown fields are refused');
      assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'messages'), { cookie: winnerCookie, body: { text: 'x'.repeat(4001) } })).status, 400);
      assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'messages'), { cookie: winnerCookie, body: { text: 'hi', agentId: 'bruno' } })).status, 403, 'an agent acts as themself');

      const sent = await apiCall(t.base, 'POST', conversationPath(id, 'messages'), { cookie: winnerCookie, body: { text: 'Hi, I can help with that.' } });
      assert.equal(sent.status, 202);
      const reply = await customer.waitForText('Hi, I can help with that.');
      assert.equal(((reply['channelData'] as Json)['handover'] as Json)['role'], 'agent');

      const heard = nextEvent(t, (e) => e.type === 'customer.message' && e.conversationId === id);
      customer.say('thanks, my order is late');
      assert.equal((await heard).type, 'customer.message');
      const after = await apiCall(t.base, 'GET', conversationPath(id), { cookie: winnerCookie });
      assert.ok((after.json['transcript'] as Json[]).some((l) => l['from'] === 'customer' && l['text'] === 'thanks, my order is late'));

      // an unknown queue is one answer wherever it is named (path or body): 404 HANDOVER_ERR_UNKNOWN_QUEUE (issue 18)
      const nowhere = await apiCall(t.base, 'POST', conversationPath(id, 'transfer'), { cookie: winnerCookie, body: { queue: 'nowhere' } });
      assert.equal(nowhere.status, 404);
      assert.equal(errorCode(nowhere), 'HANDOVER_ERR_UNKNOWN_QUEUE');
      assert.match((nowhere.json['error'] as Json)['message'] as string, /^unknown queue "nowhere"; queues: support, /);
      assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'return'), { cookie: winnerCookie, body: { collected: { 'bad key': 'x' } } })).status, 400);
      assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'resolve'), { cookie: loserCookie, body: {} })).status, 403);

      const back = await apiCall(t.base, 'POST', conversationPath(id, 'return'), { cookie: winnerCookie, body: { collected: { order_number: 'A12345' }, note: 'order found' } });
      assert.equal(back.status, 200);
      assert.equal((back.json['state'] as Json)['status'], 'returned');
      assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'resolve'), { cookie: winnerCookie, body: {} })).status, 409, 'nothing to resolve once returned');
      const gone = await apiCall(t.base, 'GET', '/api/me', { cookie: winnerCookie });
      assert.deepEqual(gone.json['active'], []);
      await customer.socket.close();
    });

    it('transfers with a note and resolves', async () => {
      const customer = await customerHandsOff(t);
      const id = customer.conversationId;
      assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'accept'), { cookie: ana, body: {} })).status, 200);
      const moved = await apiCall(t.base, 'POST', conversationPath(id, 'transfer'), { cookie: ana, body: { queue: 'billing', note: 'refund question' } });
      assert.equal(moved.status, 200);
      assert.equal((moved.json['state'] as Json)['queue'], 'billing');
      assert.equal((moved.json['state'] as Json)['status'], 'queued');
      const line = (moved.json['transcript'] as Json[]).find((l) => (l['meta'] as Json | undefined)?.['name'] === 'handoff.transferred');
      assert.equal((line?.['meta'] as Json)['note'], 'refund question');
      assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'accept'), { cookie: ana, body: {} })).status, 200, 'ana also works billing');
      const done = await apiCall(t.base, 'POST', conversationPath(id, 'resolve'), { cookie: ana, body: {} });
      assert.equal(done.status, 200);
      assert.equal((done.json['state'] as Json)['status'], 'resolved');
      await customer.socket.close();
    });
  });

  describe('help desks with a bearer token (HANDOVER_API_TOKENS)', () => {
    it('see every queue and act as the agent they name', async () => {
      const customer = await customerHandsOff(t);
      const id = customer.conversationId;
      const queues = await apiCall(t.base, 'GET', '/api/queues', { bearer: DESK_TOKEN });
      assert.equal(queues.status, 200);
      assert.equal((queues.json['queues'] as Json[]).length, 7);
      const anonymous = await apiCall(t.base, 'POST', conversationPath(id, 'accept'), { bearer: DESK_TOKEN, body: {} });
      assert.equal(anonymous.status, 400, 'a desk must say which of its agents acts');
      const ok = await apiCall(t.base, 'POST', conversationPath(id, 'accept'), { bearer: DESK_TOKEN, body: { agentId: 'zd-42', agentName: 'Rita' } });
      assert.equal(ok.status, 200);
      const joined = await customer.waitForText(/Rita/);
      assert.ok(joined);
      assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'messages'), { bearer: DESK_TOKEN, body: { agentId: 'zd-42', agentName: 'Rita', text: 'Rita here.' } })).status, 202);
      await customer.waitForText('Rita here.');
      assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'resolve'), { bearer: DESK_TOKEN, body: { agentId: 'zd-41' } })).status, 403, 'another desk agent does not own it');
      assert.equal((await apiCall(t.base, 'POST', conversationPath(id, 'resolve'), { bearer: DESK_TOKEN, body: { agentId: 'zd-42' } })).status, 200);
      await customer.socket.close();
    });
  });

  describe('live updates on /agent/ws', () => {
    it('pushes new handoffs of the agent’s queues and the customer’s messages as they arrive', async () => {
      const sock = await JsonSocket.open(`${t.ws}/agent/ws`, { Cookie: ana });
      const hello = await sock.waitFor((f) => f['type'] === 'hello');
      assert.equal((hello['caller'] as Json)['id'], 'ana');
      const customer = await customerHandsOff(t);
      const requested = await sock.waitFor((f) => f['type'] === 'event' && (f['event'] as Json)['type'] === 'handoff.requested' && (f['event'] as Json)['conversationId'] === customer.conversationId);
      assert.equal((requested['event'] as Json)['queue'], 'support');
      customer.say('hello? anyone?');
      const msg = await sock.waitFor((f) => f['type'] === 'event' && (f['event'] as Json)['type'] === 'customer.message' && (f['event'] as Json)['text'] === 'hello? anyone?');
      assert.equal((msg['event'] as Json)['conversationId'], customer.conversationId);
      // Signing out closes the session's sockets.
      const closed = new Promise<number>((resolve) => sock.ws.once('close', (code) => resolve(code)));
      await apiCall(t.base, 'POST', '/api/logout', { cookie: ana });
      assert.equal(await closed, 4401);
      ana = await signIn(t.base, 'ana');
      await customer.socket.close();
    });
  });

  describe('OpenAPI', () => {
    it('serves an OpenAPI 3 document listing every route with its method', async () => {
      const r = await apiCall(t.base, 'GET', '/api/openapi.json');
      assert.equal(r.status, 200);
      assert.match(String(r.json['openapi']), /^3\.\d+\.\d+$/);
      const paths = r.json['paths'] as Record<string, Record<string, Json>>;
      for (const route of API_ROUTES) {
        const op = paths[route.path]?.[route.method.toLowerCase()];
        assert.ok(op, `${route.method} ${route.path} is documented`);
        assert.equal(op['operationId'], route.operationId);
        assert.ok(op['responses'], `${route.path} documents its answers`);
      }
      const documented = Object.entries(paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
      assert.deepEqual(documented.sort(), API_ROUTES.map((x) => `${x.method} ${x.path}`).sort(), 'and nothing else');
      const schemes = (r.json['components'] as Json)['securitySchemes'] as Json;
      assert.deepEqual(Object.keys(schemes).sort(), ['bearerToken', 'sessionCookie']);
      assert.match(String((r.json['info'] as Json)['description']), /HANDOVER_API_TOKENS/);
    });

    it('every documented route exists on the server (never 404 NOT_FOUND)', async () => {
      for (const route of API_ROUTES) {
        const path = route.path.replace('{queue}', 'support').replace('{conversationId}', 'webchat%3Anope');
        const r = await apiCall(t.base, route.method, path, { cookie: sam, ...(route.method === 'POST' ? { body: {} } : {}) });
        assert.notEqual(errorCode(r), 'HANDOVER_ERR_NOT_FOUND', `${route.method} ${route.path}`);
        assert.ok(r.status < 500, `${route.method} ${route.path} answered ${r.status}`);
      }
      sam = await signIn(t.base, 'sam'); // the logout route above ended sam's session
    });
  });
});
