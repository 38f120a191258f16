import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/clock.js';
import { conversationId } from '../../src/core/ids.js';
import { PresenceBook } from '../../src/staffing/presence.js';
import { JsonSocket } from '../support/webchat-clients.js';
import { apiCall, conversationPath, customerHandsOff, signIn, startTestService, type TestService } from '../support/agent-service.js';
import { MON_0700, eventually } from '../support/staffed.js';

type Json = Record<string, unknown>;
const DESK_TOKEN = 'desk-token-0123456789abcdef';
const code = (r: { json: Json }): string => ((r.json['error'] as Json | undefined)?.['code'] as string | undefined) ?? '(none)';

describe('agent console: presence, shifts and booked callbacks (the real start composition, memory store)', function () {
  this.timeout(30_000);
  let t: TestService;
  let clock: ManualClock;
  let ana: string;
  let sam: string;

  before(async () => {
    clock = new ManualClock(MON_0700);
    t = await startTestService({ clock, env: { HANDOVER_API_TOKENS: `helpdesk:${DESK_TOKEN}` } });
    [ana, sam] = await Promise.all([signIn(t.base, 'ana'), signIn(t.base, 'sam')]);
  });
  after(async () => {
    await t?.close();
  });
  afterEach(() => {
    assert.deepEqual(t.errors, [], 'the service logged no errors');
  });

  const presenceOf = async (cookie: string): Promise<Json> => (await apiCall(t.base, 'GET', '/api/me', { cookie })).json['presence'] as Json;

  it('signing in is online; an agent sets away and back; a help desk has no presence', async () => {
    assert.equal((await presenceOf(ana))['status'], 'online');
    const away = await apiCall(t.base, 'POST', '/api/me/presence', { cookie: ana, body: { status: 'away' } });
    assert.equal(away.status, 200);
    assert.deepEqual((away.json['presence'] as Json)['status'], 'away');
    assert.equal((await presenceOf(ana))['status'], 'away');
    assert.equal((await apiCall(t.base, 'POST', '/api/me/presence', { cookie: ana, body: { status: 'busy' } })).status, 400);
    const desk = await apiCall(t.base, 'POST', '/api/me/presence', { bearer: DESK_TOKEN, body: { status: 'online' } });
    assert.equal(desk.status, 403);
    assert.equal((await apiCall(t.base, 'GET', '/api/me', { bearer: DESK_TOKEN })).json['presence'], null);
    assert.equal((await apiCall(t.base, 'POST', '/api/me/presence', { cookie: ana, body: { status: 'online' } })).status, 200);
  });

  it("the console's socket is the agent's presence: a lost connection is away only after console.awayAfterSeconds", async () => {
    const sock = await JsonSocket.open(`${t.ws}/agent/ws`, { Cookie: ana });
    await sock.waitFor((f) => f['type'] === 'hello');
    const presence = new PresenceBook({ documents: t.svc.stores.documents, clock, graceMs: 60_000 });
    await eventually(async () => (await presence.read('ana')).connections === 1, 'the socket counted in the presence');
    sock.close();
    await eventually(async () => (await presence.read('ana')).connections === 0, 'the closed socket written');
    clock.advanceMs(59_000);
    assert.equal((await presenceOf(ana))['status'], 'online', 'within the grace period');
    clock.advanceMs(2_000);
    const p = await presenceOf(ana);
    assert.equal(p['status'], 'away');
    assert.equal(p['chosen'], 'online');
    assert.equal((await apiCall(t.base, 'POST', '/api/me/presence', { cookie: ana, body: { status: 'online' } })).json['presence'] !== undefined, true);
  });

  it('supervisors see every agent and set shifts (validated, stored, back to manifest.json with null); agents cannot', async () => {
    assert.equal((await apiCall(t.base, 'GET', '/api/staff', { cookie: ana })).status, 403);
    const staff = await apiCall(t.base, 'GET', '/api/staff', { cookie: sam });
    assert.equal(staff.status, 200);
    const agents = staff.json['agents'] as Json[];
    assert.deepEqual(agents.map((a) => a['id']), ['ana', 'bruno', 'sam']);
    assert.equal(staff.json['timezone'], 'America/Los_Angeles');
    assert.deepEqual((agents[0]!['presence'] as Json)['status'], 'online');
    assert.equal(agents[1]!['shiftsFrom'], 'none');

    const shifts = { mon: [['09:00', '13:00'], ['14:00', '18:00']], exceptions: { '2026-12-25': [] } };
    const set = await apiCall(t.base, 'POST', '/api/staff/bruno/shifts', { cookie: sam, body: { shifts } });
    assert.equal(set.status, 200, JSON.stringify(set.json));
    assert.deepEqual((set.json['agent'] as Json)['shifts'], shifts);
    assert.equal((set.json['agent'] as Json)['shiftsFrom'], 'console');
    assert.deepEqual(set.json['rechecked'], { moved: 0, cancelled: 0 });
    // stored: any process on the store reads it
    const again = (await apiCall(t.base, 'GET', '/api/staff', { bearer: DESK_TOKEN })).json['agents'] as Json[];
    assert.deepEqual(again.find((a) => a['id'] === 'bruno')!['shifts'], shifts);

    const bad = await apiCall(t.base, 'POST', '/api/staff/bruno/shifts', { cookie: sam, body: { shifts: { mon: [['18:00', '09:00']] } } });
    assert.equal(bad.status, 400);
    assert.match(String((bad.json['error'] as Json)['message']), /ends after it starts/);
    assert.equal((await apiCall(t.base, 'POST', '/api/staff/mallory/shifts', { cookie: sam, body: { shifts: null } })).status, 404);
    assert.equal((await apiCall(t.base, 'POST', '/api/staff/bruno/shifts', { cookie: ana, body: { shifts: null } })).status, 403);
    const reset = await apiCall(t.base, 'POST', '/api/staff/bruno/shifts', { cookie: sam, body: { shifts: null } });
    assert.equal((reset.json['agent'] as Json)['shiftsFrom'], 'none');
  });

  it('the agent who takes a due callback sees the booked time with the briefing; the queue lists its slots', async () => {
    const customer = await customerHandsOff(t);
    const id = conversationId(customer.conversationId);
    const app = t.svc.app;
    const slot = await app.callbacks.offer('support', 0, 0, { conversationId: id });
    assert.ok(slot !== null);
    assert.deepEqual(await app.callbacks.book(id, 'support', slot.start), { ok: true, at: slot.start });
    const listed = await apiCall(t.base, 'GET', '/api/queues/support/callbacks', { cookie: ana });
    assert.equal(listed.status, 200);
    const slots = listed.json['slots'] as Json[];
    assert.equal(slots.find((s) => s['start'] === slot.start)?.['booked'], 1);
    assert.ok(slots.every((s) => typeof s['free'] === 'number'));
    assert.equal((await apiCall(t.base, 'GET', '/api/queues/sales/callbacks', { cookie: ana })).status, 403, 'not her queue');

    const scheduled = await apiCall(t.base, 'GET', conversationPath(id), { cookie: ana });
    assert.equal((scheduled.json['state'] as Json)['callbackAt'], slot.start);
    assert.equal((scheduled.json['callback'] as Json)['at'], slot.start);

    clock.set(slot.start + 1000);
    await app.service.escalateDue();
    const accepted = await apiCall(t.base, 'POST', conversationPath(id, 'accept'), { cookie: ana, body: {} });
    assert.equal(accepted.status, 200, code(accepted));
    const callback = accepted.json['callback'] as Json;
    assert.equal(callback['at'], slot.start, 'the time the customer was promised, with the briefing');
    assert.equal(typeof callback['bookedAt'], 'number');
    assert.ok(accepted.json['briefing'] !== null);
  });
});
