import assert from 'node:assert/strict';
import { startWebChatServer, type TestWebChatServer } from '../../support/webchat-server.js';
import { JsonSocket, hasActivity, withText } from '../../support/webchat-clients.js';

type Json = Record<string, unknown>;
const isSession = (f: Json): boolean => f['type'] === 'session';
const isError = (code: string) => (f: Json): boolean => f['type'] === 'error' && f['code'] === code;

describe('web chat: widget WebSocket protocol', () => {
  let srv: TestWebChatServer;
  const sockets: JsonSocket[] = [];
  const connect = async (): Promise<JsonSocket> => {
    const s = await JsonSocket.open(`${srv.wsBase}/webchat/ws`);
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

  it('starts a conversation, sends a message, gets the echo (clientActivityId kept) and the reply', async () => {
    const ws = await connect();
    ws.send({ type: 'start', locale: 'pt-BR' });
    const session = await ws.waitFor(isSession);
    assert.match(String(session['conversationId']), /^wc_/);
    assert.equal(session['resumed'], false);
    await ws.waitFor((f) => hasActivity(f, (a) => String(a['text']).startsWith('Welcome')));
    ws.send({ type: 'message', text: 'olá', clientActivityId: 'w-1' });
    const echo = await ws.waitFor((f) => hasActivity(f, withText('olá')));
    const a = (echo['activities'] as Json[])[0] as Json;
    assert.deepEqual(a['channelData'], { clientActivityID: 'w-1' });
    assert.equal(a['locale'], 'pt-BR', 'the session locale travels on every message');
    assert.equal((a['from'] as Json)['role'], 'user');
    await ws.waitFor((f) => hasActivity(f, withText('You said: olá')));
  });

  it('resumes with id + token after a dropped socket: history from the watermark, no duplicates', async () => {
    const first = await connect();
    first.send({ type: 'start' });
    const session = await first.waitFor(isSession);
    first.send({ type: 'message', text: 'before drop' });
    const reply = await first.waitFor((f) => hasActivity(f, withText('You said: before drop')));
    await first.close();

    const again = await connect();
    again.send({ type: 'resume', conversationId: session['conversationId'], token: session['token'], watermark: reply['watermark'] });
    const resumed = await again.waitFor(isSession);
    assert.equal(resumed['resumed'], true);
    assert.equal(resumed['conversationId'], session['conversationId']);
    again.send({ type: 'message', text: 'after drop' });
    await again.waitFor((f) => hasActivity(f, withText('You said: after drop')));
    assert.ok(!again.activities().some(withText('before drop')), 'nothing before the watermark is replayed');

    // A page reload has no watermark: the whole history comes back, in order.
    const reload = await connect();
    reload.send({ type: 'resume', conversationId: resumed['conversationId'], token: resumed['token'] });
    const history = await reload.waitFor((f) => hasActivity(f, withText('You said: after drop')));
    const texts = (history['activities'] as Json[]).map((x) => x['text']);
    assert.deepEqual(texts.slice(1), ['before drop', 'You said: before drop', 'after drop', 'You said: after drop']);
  });

  it('answers protocol errors with an error frame and keeps the socket usable', async () => {
    const other = await connect();
    other.send({ type: 'start' });
    const otherSession = await other.waitFor(isSession);

    const ws = await connect();
    ws.send({ type: 'message', text: 'too early' });
    await ws.waitFor(isError('HANDOVER_ERR_BAD_REQUEST'));
    ws.ws.send('{not json');
    await ws.next(isError('HANDOVER_ERR_BAD_REQUEST'));
    ws.send({ type: 'resume', conversationId: otherSession['conversationId'], token: 'forged.token' });
    await ws.waitFor(isError('HANDOVER_ERR_UNAUTHORIZED'));
    ws.send({ type: 'resume', conversationId: 'wc_unknown', token: otherSession['token'] });
    await ws.waitFor(isError('HANDOVER_ERR_UNKNOWN_CONVERSATION'));
    ws.send({ type: 'start' });
    const mine = await ws.waitFor(isSession);
    ws.send({ type: 'resume', conversationId: otherSession['conversationId'], token: mine['token'] });
    await ws.waitFor(isError('HANDOVER_ERR_FORBIDDEN'));
    ws.send({ type: 'message', text: '' });
    await ws.next(isError('HANDOVER_ERR_BAD_REQUEST'));
    ws.send({ type: 'message', text: 'still fine' });
    await ws.waitFor((f) => hasActivity(f, withText('You said: still fine')));
  });

  it('closes the socket on an oversized frame (1009) without hurting the server', async () => {
    const ws = await connect();
    ws.send({ type: 'message', text: 'x'.repeat(64 * 1024) });
    assert.equal(await ws.close(), 1009);
    const ok = await connect();
    ok.send({ type: 'start' });
    await ok.waitFor(isSession);
  });

  it('forwards typing (not kept in history) and suggested actions', async () => {
    const ws = await connect();
    ws.send({ type: 'start' });
    const session = await ws.waitFor(isSession);
    ws.send({ type: 'typing' });
    ws.send({ type: 'message', text: 'menu' });
    const typing = await ws.waitFor((f) => hasActivity(f, (a) => a['type'] === 'typing'));
    assert.equal(typing['watermark'], undefined);
    const menu = await ws.waitFor((f) => hasActivity(f, withText('What can I help you with?')));
    const actions = ((menu['activities'] as Json[])[0] as { suggestedActions: { actions: Json[] } }).suggestedActions.actions;
    assert.deepEqual(actions.map((x) => x['title']), ['Track my order', 'Talk to a person']);
    const page = await srv.channel.adapter.activityLog.since(String(session['conversationId']));
    assert.ok(!page.activities.some((a) => a.type === 'typing'), 'typing is ephemeral');
  });

  it('delivers a proactive agent message (continueConversation) to the connected socket and the history', async () => {
    const ws = await connect();
    ws.send({ type: 'start' });
    const session = await ws.waitFor(isSession);
    const conversationId = String(session['conversationId']);
    await ws.waitFor((f) => hasActivity(f, (a) => String(a['text']).startsWith('Welcome')));
    const reference = srv.bot.references.get(conversationId);
    assert.ok(reference);
    await srv.channel.adapter.continueConversation(reference, async (ctx) => {
      await ctx.sendActivity({ type: 'event', name: 'handover.agent_joined', channelData: { handover: { joined: true, agentName: 'Ana' } } });
      await ctx.sendActivity({ type: 'message', text: 'Hi, I am Ana from support.', channelData: { handover: { role: 'agent', agentName: 'Ana', agentId: 'a-7' } } });
    });
    const frame = await ws.waitFor((f) => hasActivity(f, withText('Hi, I am Ana from support.')));
    const msg = (frame['activities'] as Json[])[0] as Json;
    assert.equal((msg['from'] as Json)['name'], 'Ana', 'the agent name is carried on from.name too');
    assert.deepEqual((msg['channelData'] as Json)['handover'], { role: 'agent', agentName: 'Ana', agentId: 'a-7' });
    assert.ok(ws.activities().some((a) => a['name'] === 'handover.agent_joined'));
    const page = await srv.channel.adapter.activityLog.since(conversationId, '0');
    assert.ok(page.activities.some((a) => a['text'] === 'Hi, I am Ana from support.'));
  });
});
