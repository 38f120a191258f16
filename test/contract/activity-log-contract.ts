/**
 * The ActivityLog contract: the memory and the Redis web chat history must behave the same,
 * watermarks included (front doors de-duplicate live pushes against replayed history with them).
 * Call `describeActivityLogContract(name, factory)` from a spec file.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ActivityLog, ChannelActivity } from '../../src/core/ports/activity-log.js';
import { ManualClock } from '../../src/core/clock.js';
import { isHandoverError } from '../../src/core/errors.js';
import { initialState } from '../../src/core/handoff-state.js';
import { conversationId, queueId } from '../../src/core/ids.js';
import type { HandoffStore } from '../../src/core/ports/handoff-store.js';
import { queuedState } from '../support/states.js';

export interface ActivityLogCaps {
  readonly maxActivitiesPerConversation?: number;
  readonly maxConversations?: number;
  readonly retentionMs?: number;
  readonly keepRecentMs?: number;
}

export interface ActivityLogFixture {
  readonly log: ActivityLog;
  /** The handoff store of the same backend: a web chat conversation `x` is handoff `webchat:x` there. */
  readonly handoffs: HandoffStore;
  close(): Promise<void>;
}

/** Builds a log with these caps whose recency is read from `clock`. */
export type ActivityLogFactory = (caps: ActivityLogCaps, clock: ManualClock) => Promise<ActivityLogFixture>;

/** Puts web chat conversation `id` in a queue (a customer waiting for a person). */
async function waitForPerson(handoffs: HandoffStore, id: string, now: number): Promise<void> {
  const r = await handoffs.commit(conversationId(`webchat:${id}`), 0, queuedState({ queue: 'support', at: now }));
  assert.equal(r.ok, true);
}

const activity = (conversation: string, n: number, extra: Record<string, unknown> = {}): ChannelActivity => ({
  id: `${conversation}|${n}`,
  type: 'message',
  text: `m${n}`,
  ...extra,
});

const texts = (activities: readonly ChannelActivity[]) => activities.map((a) => a.text);
const unknownConversation = (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_UNKNOWN_CONVERSATION');

export function describeActivityLogContract(name: string, factory: ActivityLogFactory): void {
  describe(`activity log contract: ${name}`, function () {
    const open: ActivityLogFixture[] = [];
    let clock = new ManualClock(Date.UTC(2026, 0, 5, 9));
    let fixture: ActivityLogFixture | undefined;
    const make = async (caps: ActivityLogCaps = {}): Promise<ActivityLog> => {
      clock = new ManualClock(Date.UTC(2026, 0, 5, 9));
      fixture = await factory(caps, clock);
      open.push(fixture);
      return fixture.log;
    };
    /** Moves the clock on by `ms` (every write below is then that much later). */
    const later = (ms = 1): void => clock.set(clock.now() + ms);
    afterEach(async () => {
      await Promise.all(open.splice(0).map((f) => f.close()));
    });
    const cid = () => `webchat-${randomUUID()}`;

    it('registers a conversation once; exists tells registered from unknown', async () => {
      const log = await make();
      const c = cid();
      assert.equal(await log.exists(c), false);
      await log.create(c);
      await log.create(c); // idempotent
      assert.equal(await log.exists(c), true);
      assert.deepEqual(await log.since(c), { activities: [], watermark: '0' });
    });

    it('rejects append and since on an unregistered conversation with HANDOVER_ERR_UNKNOWN_CONVERSATION', async () => {
      const log = await make();
      const c = cid();
      await assert.rejects(log.append(c, activity(c, 1)), unknownConversation);
      await assert.rejects(log.since(c, '0'), unknownConversation);
      assert.equal(await log.exists(c), false, 'a refused append does not register it');
    });

    it('numbers activities from "1" and returns them whole, in order', async () => {
      const log = await make();
      const c = cid();
      await log.create(c);
      const rich = activity(c, 1, { from: { id: 'u1', role: 'user' }, attachments: [{ contentType: 'image/png', contentUrl: 'https://x/y.png' }], locale: 'pt-BR' });
      assert.equal(await log.append(c, rich), '1');
      assert.equal(await log.append(c, activity(c, 2)), '2');
      assert.equal(await log.append(c, activity(c, 3)), '3');
      const page = await log.since(c, '0');
      assert.deepEqual(page.activities[0], rich);
      assert.deepEqual(texts(page.activities), ['m1', 'm2', 'm3']);
      assert.equal(page.watermark, '3');
    });

    it('returns only what is newer than a watermark, and the watermark after it', async () => {
      const log = await make();
      const c = cid();
      await log.create(c);
      for (let n = 1; n <= 4; n++) await log.append(c, activity(c, n));
      assert.deepEqual(texts((await log.since(c, '2')).activities), ['m3', 'm4']);
      assert.deepEqual(await log.since(c, '4'), { activities: [], watermark: '4' });
      assert.deepEqual(await log.since(c, '99'), { activities: [], watermark: '4' }, 'a watermark from the future replays nothing');
      for (const everything of [undefined, '', '0', 'garbage', '-3', '1.5', '1e3']) {
        assert.deepEqual(texts((await log.since(c, everything)).activities), ['m1', 'm2', 'm3', 'm4'], String(everything));
      }
    });

    it('keeps the last N activities; watermarks keep growing past the trimmed ones', async () => {
      const log = await make({ maxActivitiesPerConversation: 3 });
      const c = cid();
      await log.create(c);
      for (let n = 1; n <= 5; n++) assert.equal(await log.append(c, activity(c, n)), String(n));
      assert.deepEqual(await log.since(c, '0').then((p) => [texts(p.activities), p.watermark]), [['m3', 'm4', 'm5'], '5']);
      assert.deepEqual(texts((await log.since(c, '1')).activities), ['m3', 'm4', 'm5'], 'older than what is kept: everything kept');
      assert.deepEqual(texts((await log.since(c, '3')).activities), ['m4', 'm5']);
      assert.equal(await log.append(c, activity(c, 6)), '6');
    });

    it('does not reset a conversation registered again', async () => {
      const log = await make();
      const c = cid();
      await log.create(c);
      await log.append(c, activity(c, 1));
      await log.create(c);
      assert.equal(await log.append(c, activity(c, 2)), '2');
      assert.deepEqual(texts((await log.since(c)).activities), ['m1', 'm2']);
    });

    it('forgets the least recently written conversations beyond the cap (with no "recent" window)', async () => {
      const log = await make({ maxConversations: 2, keepRecentMs: 0 });
      const [a, b, c, d] = [cid(), cid(), cid(), cid()];
      await log.create(a);
      later();
      await log.create(b);
      later();
      await log.create(c);
      assert.deepEqual(await Promise.all([a, b, c].map((x) => log.exists(x))), [false, true, true]);
      later();
      await log.append(b, activity(b, 1)); // b is now the most recently written
      later();
      await log.create(d);
      assert.deepEqual(await Promise.all([b, c, d].map((x) => log.exists(x))), [true, false, true]);
      await assert.rejects(log.since(c), unknownConversation);
      await log.create(c); // a forgotten conversation starts again from nothing
      assert.deepEqual(await log.since(c), { activities: [], watermark: '0' });
    });

    it('beyond the cap, never forgets a conversation active within the recent window: the cap gives way', async () => {
      const log = await make({ maxConversations: 2, keepRecentMs: 60_000 });
      const [a, b, c] = [cid(), cid(), cid()];
      await log.create(a);
      later(30_000);
      await log.create(b);
      later(30_001);
      await log.create(c); // a is idle 60 001 ms: forgotten; b only 30 001 ms: kept although over the cap
      assert.deepEqual(await Promise.all([a, b, c].map((x) => log.exists(x))), [false, true, true]);
      const d = cid();
      await log.create(d);
      assert.deepEqual(await Promise.all([b, c, d].map((x) => log.exists(x))), [true, true, true], 'three kept with a cap of two');
    });

    it('forgets a conversation idle longer than the retention age, whatever the cap', async () => {
      const log = await make({ retentionMs: 3_600_000 });
      const [old, recent, next] = [cid(), cid(), cid()];
      await log.create(old);
      later(1_800_000);
      await log.create(recent);
      later(1_800_001);
      await log.create(next);
      assert.deepEqual(await Promise.all([old, recent, next].map((x) => log.exists(x))), [false, true, true]);
    });

    it('never forgets a conversation whose customer waits for a person, past the retention age or over the cap', async () => {
      const log = await make({ maxConversations: 3, keepRecentMs: 0, retentionMs: 3_600_000 });
      const handoffs = fixture!.handoffs;
      const waiting = cid();
      await log.create(waiting);
      await log.append(waiting, activity(waiting, 1));
      await waitForPerson(handoffs, waiting, clock.now());
      // 20 anonymous conversations, a minute apart: waiting is the oldest all along, and idle past the retention at the end.
      const anonymous: string[] = [];
      for (let n = 0; n < 20; n++) {
        later(4 * 60_000);
        const x = cid();
        anonymous.push(x);
        await log.create(x);
      }
      assert.equal(await log.exists(waiting), true);
      assert.deepEqual(texts((await log.since(waiting)).activities), ['m1']);
      assert.equal(await log.append(waiting, activity(waiting, 2)), '2', 'the agent still reaches the customer');
      assert.deepEqual(await Promise.all(anonymous.slice(-2).map((x) => log.exists(x))), [true, true]);
      assert.equal((await Promise.all(anonymous.map((x) => log.exists(x)))).filter(Boolean).length, 2, 'the cap still holds for the others');
    });

    it('appends once per once-key: a second append answers the first position and adds nothing', async () => {
      const log = await make();
      const c = cid();
      await log.create(c);
      assert.equal(await log.append(c, activity(c, 1), { onceKey: 'relay-1' }), '1');
      assert.equal(await log.append(c, activity(c, 2)), '2');
      assert.equal(await log.append(c, activity(c, 1), { onceKey: 'relay-1' }), '1');
      assert.equal(await log.append(c, activity(c, 3), { onceKey: 'relay-3' }), '3');
      assert.deepEqual(texts((await log.since(c)).activities), ['m1', 'm2', 'm3']);
    });

    it('keeps conversations apart', async () => {
      const log = await make();
      const [a, b] = [cid(), cid()];
      await log.create(a);
      await log.create(b);
      await log.append(a, activity(a, 1));
      await log.append(b, activity(b, 1));
      await log.append(a, activity(a, 2));
      assert.deepEqual(await log.since(a).then((p) => [p.activities.map((x) => x.id), p.watermark]), [[`${a}|1`, `${a}|2`], '2']);
      assert.deepEqual(await log.since(b).then((p) => [p.activities.map((x) => x.id), p.watermark]), [[`${b}|1`], '1']);
    });

    it('gives concurrent appends distinct watermarks matching the order they are replayed in', async () => {
      const log = await make();
      const c = cid();
      await log.create(c);
      const marks = await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(c, activity(c, i + 1))));
      assert.deepEqual([...marks].map(Number).sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => i + 1));
      const page = await log.since(c);
      assert.equal(page.watermark, '20');
      // the activity appended with watermark w is the w-th one replayed
      marks.forEach((w, i) => assert.equal(page.activities[Number(w) - 1]?.text, `m${i + 1}`));
    });

    it('stores a customer line once per client key: a resend answers the first id and watermark and appends nothing', async () => {
      const log = await make();
      const c = cid();
      await log.create(c);
      assert.ok(log.appendIncoming !== undefined, 'the log takes customer lines in one step');
      const first = await log.appendIncoming(c, activity(c, 1), { clientKey: 'k-1' });
      assert.deepEqual({ ...first, inboxed: false }, { id: `${c}|1`, watermark: '1', duplicate: false, inboxed: false });
      await log.appendIncoming(c, activity(c, 2));
      // the same line sent again after a lost acknowledgement (a new server-side id each time)
      const again = await log.appendIncoming(c, activity(c, 3, { text: 'm1' }), { clientKey: 'k-1' });
      assert.deepEqual(again, { id: `${c}|1`, watermark: '1', duplicate: true, inboxed: false });
      await log.appendIncoming(c, activity(c, 4), { clientKey: 'k-4' });
      assert.deepEqual(texts((await log.since(c)).activities), ['m1', 'm2', 'm4']);
      // client keys are per conversation
      const other = cid();
      await log.create(other);
      assert.equal((await log.appendIncoming(other, activity(other, 1), { clientKey: 'k-1' })).duplicate, false);
      await assert.rejects(log.appendIncoming(cid(), activity(c, 9), { clientKey: 'k-9' }), unknownConversation);
    });
  });
}
