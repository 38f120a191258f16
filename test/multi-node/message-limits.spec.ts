/**
 * The message limits are one bucket per conversation for the whole deployment (issue 14): two real
 * `handover start` processes on one Redis, one customer whose conversation is open on both (two
 * tabs); the lines it sends through either process draw from the same bucket (manifest.json
 * defaults: 20 at once, then 60 a minute; the second tab's resume takes one), and Direct Line on the
 * other process is refused too.
 */
import assert from 'node:assert/strict';
import { spawnHandover, type HandoverProcess } from '../support/handover-processes.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';
import { JsonSocket } from '../support/webchat-clients.js';

type Json = Record<string, unknown>;

describe('handover start × 2 on one Redis: one message bucket per conversation', function () {
  this.timeout(60_000);
  const prefix = uniquePrefix();
  const procs: HandoverProcess[] = [];
  const sockets: JsonSocket[] = [];

  after(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
    await Promise.all(procs.splice(0).map((p) => p.stop()));
    const redis = await connectTestRedis();
    await deleteByPrefix(redis, prefix);
    await redis.close();
  });

  it('lines through either process draw from one bucket; past it both refuse (error frame, 429)', async () => {
    const env = { REDIS_URL, REDIS_PREFIX: prefix, HANDOVER_ALLOW_VOLATILE_REDIS: '1', WEBCHAT_MESSAGE_LIMITS: 'on' };
    procs.push(...(await Promise.all([spawnHandover(env), spawnHandover(env)])));
    const [a, b] = procs as [HandoverProcess, HandoverProcess];
    const tabA = await JsonSocket.open(`${a.ws}/webchat/ws`);
    sockets.push(tabA);
    tabA.send({ type: 'start', locale: 'en' });
    const session = await tabA.waitFor((f) => f['type'] === 'session');
    const conversationId = String(session['conversationId']);
    const token = String(session['token']);
    const tabB = await JsonSocket.open(`${b.ws}/webchat/ws`);
    sockets.push(tabB);
    tabB.send({ type: 'resume', conversationId, token });
    await tabB.waitFor((f) => f['type'] === 'session');

    // 12 lines on each tab, alternating: 24 in well under a second against a burst of 20
    const answers: Array<Promise<Json>> = [];
    for (let i = 0; i < 12; i++) {
      for (const [tab, name] of [[tabA, 'a'], [tabB, 'b']] as const) {
        const id = `${name}${i}`;
        answers.push(tab.waitFor((f) => (f['type'] === 'ack' || f['type'] === 'error') && f['clientActivityId'] === id));
        tab.send({ type: 'message', text: 'thanks', clientActivityId: id });
      }
    }
    const got = await Promise.all(answers);
    const acked = got.filter((f) => f['type'] === 'ack');
    const refused = got.filter((f) => f['type'] === 'error');
    const dl = await fetch(`${b.base}/v3/directline/conversations/${encodeURIComponent(conversationId)}/activities`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'thanks' }),
    });
    process.stdout.write(
      `      24 lines over two processes: ${acked.length} accepted (a: ${acked.filter((f) => String(f['clientActivityId']).startsWith('a')).length}, b: ${acked.filter((f) => String(f['clientActivityId']).startsWith('b')).length}), ${refused.length} refused; Direct Line after: ${dl.status} Retry-After ${dl.headers.get('retry-after')}\n`,
    );
    // 20 at once less the token tab B's resume took, plus at most a token or two refilled (one a
    // second) while they were sent; with a bucket per process each would have taken all 12
    assert.ok(acked.length >= 19 && acked.length <= 21, `${acked.length} accepted`);
    assert.equal(acked.length + refused.length, 24);
    for (const r of refused) assert.equal(r['code'], 'HANDOVER_ERR_TOO_MANY_REQUESTS');
    assert.equal(dl.status, 429);
    assert.ok(Number(dl.headers.get('retry-after')) >= 1);
  });
});
