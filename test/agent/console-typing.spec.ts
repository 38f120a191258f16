/**
 * The console's typing signal (issue 16) on the real `handover start` composition: a `typing`
 * frame on /agent/ws for a conversation the agent owns becomes an `agent.typing` event and a
 * typing activity from the agent on the customer's widget socket (no watermark: not history);
 * a conversation the agent does not own, and a repeat within the throttle, are ignored.
 */
import assert from 'node:assert/strict';
import type { DomainEvent } from '../../src/core/events.js';
import { JsonSocket } from '../support/webchat-clients.js';
import { apiCall, conversationPath, customerHandsOff, signIn, startTestService, type TestService } from '../support/agent-service.js';

type Json = Record<string, unknown>;

describe('console typing signal → the customer\'s web chat (issue 16)', function () {
  this.timeout(30_000);
  let t: TestService;
  const sockets: JsonSocket[] = [];

  before(async () => {
    t = await startTestService();
  });
  after(async () => {
    for (const s of sockets) await s.close();
    await t?.close();
  });

  it('passes an owner\'s typing on (once per throttle window), ignores a conversation not theirs', async () => {
    const a = await customerHandsOff(t);
    const waiting = await customerHandsOff(t);
    const c = await customerHandsOff(t);
    sockets.push(a.socket, waiting.socket, c.socket);
    const cookie = await signIn(t.base, 'ana');
    for (const mine of [a, c]) assert.equal((await apiCall(t.base, 'POST', conversationPath(mine.conversationId, 'accept'), { cookie, body: {} })).status, 200);

    const typed: DomainEvent[] = [];
    const off = t.svc.stores.events.subscribe((e) => {
      if (e.type === 'agent.typing') typed.push(e);
    });
    const consoleSocket = await JsonSocket.open(`${t.ws}/agent/ws`, { Cookie: cookie });
    sockets.push(consoleSocket);
    await consoleSocket.waitFor((f) => f['type'] === 'hello');
    try {
      // one socket, in order: not hers (still waiting in her queue), hers, hers again at once (throttled), her other one
      for (const id of [waiting.conversationId, a.conversationId, a.conversationId, c.conversationId]) consoleSocket.send({ type: 'typing', conversationId: id });
      consoleSocket.send({ type: 'something else' });
      const agentTyping = (x: Json): boolean => x['type'] === 'typing' && (x['from'] as Json)['id'] === 'agent:ana';
      const onC = await c.socket.waitFor((f) => Array.isArray(f['activities']) && (f['activities'] as Json[]).some(agentTyping));
      const typing = (onC['activities'] as Json[]).find(agentTyping)!;
      assert.deepEqual(typing['from'], { id: 'agent:ana', name: 'Ana', role: 'bot' });
      assert.equal(onC['watermark'], undefined, 'not part of the history');
      const onA = await a.socket.waitFor((f) => Array.isArray(f['activities']) && (f['activities'] as Json[]).some(agentTyping));
      assert.ok(onA);
      assert.deepEqual(
        typed.map((e) => [e.conversationId, 'agentName' in e ? e.agentName : undefined]),
        [
          [a.conversationId, 'Ana'],
          [c.conversationId, 'Ana'],
        ],
      );
      assert.equal(waiting.socket.frames.some((f) => Array.isArray(f['activities']) && (f['activities'] as Json[]).some(agentTyping)), false);
      // consoles are not sent typing events
      assert.equal(consoleSocket.frames.some((f) => f['type'] === 'event' && (f['event'] as Json)['type'] === 'agent.typing'), false);
      assert.deepEqual(t.errors, []);
    } finally {
      off();
    }
  });
});
