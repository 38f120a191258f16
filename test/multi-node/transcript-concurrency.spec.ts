/**
 * Transcripts under ordinary concurrency on a real Redis: one process (one handover node: the real
 * middleware, the sample bot, the Redis stores) and 200 customers talking at once. Every line the
 * customer sent and every message the customer received is in the conversation's transcript
 * exactly once, in the order it happened — nothing duplicated, nothing missing, nothing from
 * another conversation.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../src/core/clock.js';
import { conversationId } from '../../src/core/ids.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { connectTestRedis, deleteByPrefix, uniquePrefix } from '../support/redis.js';
import { startNode, type HandoverNode } from './nodes.js';

const CUSTOMERS = 200;
const LINES = ['hi', 'what time do you open on saturday?', 'thanks'];

/** Mismatches between what a conversation's transcript holds and what really happened in it. */
interface Tally {
  duplicated: number;
  missing: number;
  outOfOrder: number;
  conversationsWithDuplicates: number;
}

function compare(expected: readonly string[], actual: readonly string[], tally: Tally): void {
  const count = (xs: readonly string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const want = count(expected);
  const got = count(actual);
  let dup = 0;
  for (const [line, n] of got) dup += Math.max(0, n - (want.get(line) ?? 0));
  for (const [line, n] of want) tally.missing += Math.max(0, n - (got.get(line) ?? 0));
  tally.duplicated += dup;
  if (dup > 0) tally.conversationsWithDuplicates++;
  if (dup === 0 && actual.join('\n') !== expected.join('\n')) tally.outOfOrder++;
}

describe('transcripts on Redis: every line exactly once, in order, whatever the concurrency', function () {
  this.timeout(60_000);
  let admin: RedisClient;
  let prefix: string;
  let node: HandoverNode;

  before(async () => {
    admin = await connectTestRedis();
  });
  after(async () => {
    await admin.close();
  });
  beforeEach(async () => {
    prefix = uniquePrefix();
    node = await startNode({ name: 'node1', prefix, clock: new ManualClock(Date.UTC(2026, 0, 5, 15)) });
  });
  afterEach(async () => {
    await node.close();
    await deleteByPrefix(admin, prefix);
  });

  /** Customer lines and the messages sent back, as `from: text`, from the transcript. */
  const transcriptOf = async (conversation: string): Promise<string[]> =>
    (await node.stores.transcripts.read(conversationId(`webchat:${conversation}`))).filter((e) => e.type === 'message').map((e) => `${e.from}: ${e.text ?? ''}`);

  it('200 customers × 3 lines at once: 0 duplicated, 0 missing, in order', async () => {
    const conversations = Array.from({ length: CUSTOMERS }, () => `t-${randomUUID().slice(0, 12)}`);
    const happened = new Map<string, string[]>(conversations.map((c) => [c, []]));
    await Promise.all(
      conversations.map(async (conversation) => {
        for (const line of LINES) {
          const replies = await node.say(conversation, line);
          happened.get(conversation)!.push(`customer: ${line}`, ...replies.filter((a) => a.type === 'message').map((a) => `bot: ${a.text ?? ''}`));
        }
      }),
    );
    const tally: Tally = { duplicated: 0, missing: 0, outOfOrder: 0, conversationsWithDuplicates: 0 };
    for (const conversation of conversations) {
      const expected = happened.get(conversation)!;
      assert.equal(expected.length, LINES.length * 2, `every line of ${conversation} was answered`);
      compare(expected, await transcriptOf(conversation), tally);
    }
    assert.deepEqual(tally, { duplicated: 0, missing: 0, outOfOrder: 0, conversationsWithDuplicates: 0 }, `transcripts of ${CUSTOMERS} conversations`);
    assert.equal(node.app.middleware.pendingTranscriptLines, 0);
    assert.deepEqual(node.errors, []);
  });

  it("a customer's 3 lines sent at once, 200 customers at once: each line once, in the order sent", async () => {
    const conversations = Array.from({ length: CUSTOMERS }, () => `u-${randomUUID().slice(0, 12)}`);
    // Every turn starts before any finishes: the turns of one conversation overlap as well.
    await Promise.all(conversations.flatMap((conversation) => LINES.map((line) => node.say(conversation, line))));
    const tally: Tally = { duplicated: 0, missing: 0, outOfOrder: 0, conversationsWithDuplicates: 0 };
    for (const conversation of conversations) {
      const log = await transcriptOf(conversation);
      // the customer's lines: exactly the lines sent, in the order sent
      compare(LINES.map((l) => `customer: ${l}`), log.filter((l) => l.startsWith('customer: ')), tally);
      // what the bot said: each message the customer got is there once (their order across overlapping turns is the bot's)
      const got = node.sentTexts(conversation).map((t) => `bot: ${t}`);
      assert.ok(got.length >= LINES.length, `${conversation} got an answer to each line`);
      compare([...got].sort(), log.filter((l) => l.startsWith('bot: ')).sort(), tally);
    }
    assert.deepEqual(tally, { duplicated: 0, missing: 0, outOfOrder: 0, conversationsWithDuplicates: 0 }, `transcripts of ${CUSTOMERS} conversations`);
    assert.equal(node.app.middleware.pendingTranscriptLines, 0);
  });
});
