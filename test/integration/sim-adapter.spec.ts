import assert from 'node:assert/strict';
import { SimAdapter } from '../../src/channels/sim/sim-adapter.js';

describe('SimAdapter', () => {
  it('keeps what was sent per conversation by default, and returns each turn its own replies', async () => {
    const adapter = new SimAdapter('webchat');
    const echo = async (ctx: import('botbuilder').TurnContext) => {
      await ctx.sendActivity(`you said ${ctx.activity.text}`);
      await ctx.sendActivity({ type: 'typing' });
    };
    assert.deepEqual((await adapter.receive({ conversationId: 'k1', userId: 'u', text: 'a' }, echo)).map((a) => a.text ?? a.type), ['you said a', 'typing']);
    assert.deepEqual((await adapter.receive({ conversationId: 'k1', userId: 'u', text: 'b' }, echo)).map((a) => a.text ?? a.type), ['you said b', 'typing']);
    assert.equal(adapter.sent.get('k1')?.length, 4);
  });

  it('with keepSent: false, returns the turn replies and keeps nothing', async () => {
    const adapter = new SimAdapter('webchat', { keepSent: false });
    const echo = async (ctx: import('botbuilder').TurnContext) => {
      await ctx.sendActivities([{ type: 'message', text: `1 ${ctx.activity.text}` }, { type: 'trace' }, { type: 'message', text: `2 ${ctx.activity.text}` }]);
    };
    assert.deepEqual((await adapter.receive({ conversationId: 'k2', userId: 'u', text: 'a' }, echo)).map((a) => a.text), ['1 a', '2 a']);
    assert.deepEqual((await adapter.receive({ conversationId: 'k2', userId: 'u', text: 'b' }, echo)).map((a) => a.text), ['1 b', '2 b']);
    assert.equal(adapter.sent.size, 0);
  });
});
