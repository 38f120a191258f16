import assert from 'node:assert/strict';
import type { RecognizerResult, TurnContext } from 'botbuilder';
import { createHandover } from '../../src/app.js';
import { SimAdapter } from '../../src/channels/sim/sim-adapter.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { manifest, customers } from '../support/harness.js';
import type { BotRecognizer } from '../../src/dialogs/dialog-bot.js';

/** A stand-in for LUIS/CLU: answers from a table, as a remote recogniser would. */
class TableRecognizer implements BotRecognizer {
  constructor(private readonly table: Record<string, [string, number]>) {}
  async recognize(context: TurnContext): Promise<RecognizerResult> {
    const [intent, score] = this.table[context.activity.text ?? ''] ?? ['None', 0.9];
    return { text: context.activity.text ?? '', intents: { [intent]: { score } }, entities: {} };
  }
}

describe('a botbuilder recogniser replaces the built-in one', () => {
  it('drives the dialogs and the policy with its own intents and scores', async () => {
    const recognizer = new TableRecognizer({
      'yo': ['greeting', 0.97],
      'mumble': ['store_info', 0.41],
      'mumble again': ['order_status', 0.32],
    });
    const stores = createMemoryStores();
    const decisions: (string | null)[] = [];
    const app = createHandover({
      manifest,
      stores,
      directory: new StaticCustomerDirectory(customers),
      recognizer,
      onDecision: (e) => decisions.push(e.handoff === null ? null : e.handoff.reason),
    });
    const adapter = new SimAdapter('webchat');
    adapter.use(app.middleware);
    const say = async (text: string) =>
      (await adapter.receive({ conversationId: 'r1', userId: 'c-1001', text }, (ctx) => app.bot.run(ctx))).filter((a) => a.type === 'message').map((a) => a.text);
    assert.match((await say('yo'))[0] ?? '', /Acme Shop assistant/);
    // an intent the dialogs do not know ("None") is a fallback, whatever its score
    assert.match((await say('something else'))[0] ?? '', /didn't understand/);
    // "something else" (no known intent) and "mumble" (0.41) are two consecutive turns under 0.60
    const out = await say('mumble');
    assert.match(out.join(' '), /connecting you with a person/);
    assert.deepEqual(decisions, [null, null, 'low_confidence']);
    assert.deepEqual(await say('mumble again'), [], 'the bot is silent once a person owns the chat');
  });
});
