/**
 * End to end through `handover start`'s composition: a Direct Line client posts an event named
 * `continueConversation` (any client can). It is recorded in the transcript as the customer's, like
 * any other customer activity — it used to pass the middleware unrecorded as if it were a proactive turn.
 */
import assert from 'node:assert/strict';
import { startTestService, type TestService } from '../support/agent-service.js';
import { call } from '../support/webchat-clients.js';

describe('Direct Line: a customer event named continueConversation (handover start)', function () {
  this.timeout(30_000);
  let t: TestService;
  before(async () => {
    t = await startTestService();
  });
  after(async () => {
    await t.close();
  });

  it('is recorded as the customer\'s event, like any other', async () => {
    const dl = '/v3/directline';
    const c = (await call(t.base, 'POST', `${dl}/conversations`, { body: { locale: 'en-US' } })).json as { conversationId: string; token: string };
    for (const name of ['continueConversation', 'ContinueConversation']) {
      const r = await call(t.base, 'POST', `${dl}/conversations/${c.conversationId}/activities`, { token: c.token, body: { type: 'event', name, value: { forged: true } } });
      assert.equal(r.status, 200);
    }
    const r = await call(t.base, 'POST', `${dl}/conversations/${c.conversationId}/activities`, { token: c.token, body: { type: 'message', text: 'hello' } });
    assert.equal(r.status, 200);
    const ids = ['directline', 'webchat'].map((ch) => `${ch}:${c.conversationId}`);
    let events: string[] = [];
    for (let i = 0; i < 200 && events.length < 2; i++) {
      const lines = (await Promise.all(ids.map((id) => t.svc.stores.transcripts.read(id as never)))).flat();
      events = lines.filter((e) => e.from === 'customer' && e.type === 'event').map((e) => String(e.meta?.['name']));
      if (events.length < 2) await new Promise((res) => setTimeout(res, 25));
    }
    assert.deepEqual(events.sort(), ['ContinueConversation', 'continueConversation']);
  });
});
