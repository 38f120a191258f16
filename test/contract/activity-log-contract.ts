/**
 * The ActivityLog contract: the memory and the Redis web chat history must behave the same,
 * watermarks included (front doors de-duplicate live pushes against replayed history with them).
 * Call `describeActivityLogContract(name, factory)` from a spec file.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ActivityLog, ChannelActivity } from '../../src/core/ports/activity-log.js';
import { isHandoverError } from '../../src/core/errors.js';

export interface ActivityLogCaps {
  readonly maxActivitiesPerConversation?: number;
  readonly maxConversations?: number;
}

export interface ActivityLogFixture {
  readonly log: ActivityLog;
  close(): Promise<void>;
}

export type ActivityLogFactory = (caps?: ActivityLogCaps) => Promise<ActivityLogFixture>;

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
    const make = async (caps?: ActivityLogCaps): Promise<ActivityLog> => {
      const f = await factory(caps);
      open.push(f);
      return f.log;
    };
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

    it('forgets the least recently written conversations beyond the cap', async () => {
      const log = await make({ maxConversations: 2 });
      const [a, b, c, d] = [cid(), cid(), cid(), cid()];
      await log.create(a);
      await log.create(b);
      await log.create(c);
      assert.deepEqual(await Promise.all([a, b, c].map((x) => log.exists(x))), [false, true, true]);
      await log.append(b, activity(b, 1)); // b is now the most recently written
      await log.create(d);
      assert.deepEqual(await Promise.all([b, c, d].map((x) => log.exists(x))), [true, false, true]);
      await assert.rejects(log.since(c), unknownConversation);
      await log.create(c); // a forgotten conversation starts again from nothing
      assert.deepEqual(await log.since(c), { activities: [], watermark: '0' });
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
  });
}
