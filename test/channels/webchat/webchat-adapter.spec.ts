import assert from 'node:assert/strict';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { WebChatAdapter } from '../../../src/channels/webchat/webchat-adapter.js';
import { MemoryActivityLog } from '../../../src/store/memory/memory-activity-log.js';
import { ManualClock } from '../../../src/core/clock.js';
import { isHandoverError } from '../../../src/core/errors.js';
import type { StreamBatch } from '../../../src/channels/webchat/webchat-adapter.js';
import type { AppendNotice, AppendOptions, ChannelActivity } from '../../../src/core/ports/activity-log.js';

/**
 * A history shared with "other processes": appends made through `elsewhere` are announced only when
 * the test says so (`announce`), so notices can be lost, late or out of order; the adapter's own
 * appends are announced at once, as Redis does.
 */
class SharedLog extends MemoryActivityLog {
  private onAppend: ((n: AppendNotice) => void) | undefined;
  private onResync: (() => void) | undefined;
  readonly made: AppendNotice[] = [];

  async watch(onAppend: (n: AppendNotice) => void, onResync: () => void): Promise<() => Promise<void>> {
    this.onAppend = onAppend;
    this.onResync = onResync;
    return async () => {
      this.onAppend = undefined;
    };
  }

  override async append(conversationId: string, activity: ChannelActivity, options?: AppendOptions): Promise<string> {
    const watermark = await super.append(conversationId, activity, options);
    this.onAppend?.({ conversationId, watermark, activity });
    return watermark;
  }

  /** Another process appends; its notice is kept for `announce`. */
  async elsewhere(conversationId: string, text: string): Promise<AppendNotice> {
    const activity = { id: `x-${text}`, type: 'message', text };
    const watermark = await super.append(conversationId, activity);
    const n = { conversationId, watermark, activity };
    this.made.push(n);
    return n;
  }

  announce(n: AppendNotice): void {
    this.onAppend?.(n);
  }

  resync(): void {
    this.onResync?.();
  }
}

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('web chat: WebChatAdapter', () => {
  it('no-ops trace, sleeps on delay through the injected sleep, logs and publishes messages', async () => {
    const slept: number[] = [];
    const log = new MemoryActivityLog();
    const adapter = new WebChatAdapter({
      activityLog: log,
      clock: new ManualClock(Date.UTC(2026, 0, 1)),
      log: quiet,
      conversationUpdateOnStart: false,
      sleep: async (ms) => void slept.push(ms),
      logic: async (ctx: TurnContext) => {
        await ctx.sendActivities([
          { type: ActivityTypes.Trace, name: 'debug', value: { secret: 1 } },
          { type: 'delay', value: 750 },
          { type: ActivityTypes.Message, text: 'after delay' },
        ]);
      },
    });
    const { conversationId } = await adapter.startConversation({ userId: 'u1' });
    const got: StreamBatch[] = [];
    const stop = await adapter.openStream(conversationId, undefined, (b) => got.push(b));
    await adapter.receive(conversationId, 'u1', { type: 'message', text: 'hi' });
    await adapter.drain();
    stop();
    assert.deepEqual(slept, [750]);
    const page = await log.since(conversationId);
    assert.deepEqual(page.activities.map((a) => [a.type, a['text']]), [['message', 'hi'], ['message', 'after delay']]);
    assert.equal(page.activities[1]?.['timestamp'], '2026-01-01T00:00:00.000Z');
    assert.ok(!JSON.stringify(got).includes('secret'));
    assert.deepEqual(got.map((b) => b.watermark), ['0', '1', '2']);
  });

  it('runs the turns of one conversation one after the other', async () => {
    const events: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const adapter = new WebChatAdapter({
      activityLog: new MemoryActivityLog(),
      log: quiet,
      conversationUpdateOnStart: false,
      logic: async (ctx) => {
        events.push(`start ${ctx.activity.text}`);
        if (ctx.activity.text === 'first') await gate;
        events.push(`end ${ctx.activity.text}`);
      },
    });
    const { conversationId } = await adapter.startConversation({ userId: 'u1' });
    await adapter.receive(conversationId, 'u1', { type: 'message', text: 'first' });
    await adapter.receive(conversationId, 'u1', { type: 'message', text: 'second' });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(events, ['start first']);
    release();
    await adapter.drain();
    assert.deepEqual(events, ['start first', 'end first', 'start second', 'end second']);
  });

  it('keeps failing turns from breaking the conversation and reports them to onTurnError', async () => {
    const errors: string[] = [];
    const adapter = new WebChatAdapter({
      activityLog: new MemoryActivityLog(),
      log: quiet,
      conversationUpdateOnStart: false,
      logic: async (ctx) => {
        if (ctx.activity.text === 'boom') throw new Error('bot failed');
        await ctx.sendActivity('ok');
      },
    });
    adapter.onTurnError = async (_ctx, e) => void errors.push(e.message);
    const { conversationId } = await adapter.startConversation({ userId: 'u1' });
    await adapter.receive(conversationId, 'u1', { type: 'message', text: 'boom' });
    await adapter.receive(conversationId, 'u1', { type: 'message', text: 'fine' });
    await adapter.drain();
    assert.deepEqual(errors, ['bot failed']);
    const page = await adapter.activityLog.since(conversationId);
    assert.equal(page.activities.at(-1)?.['text'], 'ok');
  });

  it('on a shared history, streams what other processes append once and in order, filling lost notices from the history', async () => {
    const log = new SharedLog();
    const adapter = new WebChatAdapter({
      activityLog: log,
      log: quiet,
      conversationUpdateOnStart: false,
      logic: async (ctx) => void (await ctx.sendActivity(`echo ${ctx.activity.text}`)),
    });
    const { conversationId } = await adapter.startConversation({ userId: 'u1' });
    const got: StreamBatch[] = [];
    const stop = await adapter.openStream(conversationId, undefined, (b) => got.push(b));
    const texts = (): unknown[] => got.flatMap((b) => b.activities.map((a) => a['text']));
    const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 10));

    log.announce(await log.elsewhere(conversationId, 'a1')); // heard
    await log.elsewhere(conversationId, 'a2'); // its notice is lost…
    const a3 = await log.elsewhere(conversationId, 'a3');
    log.announce(a3); // …which the next notice reveals: a2 and a3 are read from the history
    await settle();
    log.announce(log.made[1]!); // a2's notice, late: already sent
    log.announce(a3); // and a3's again
    await log.elsewhere(conversationId, 'a4'); // lost, and nothing follows it…
    log.resync(); // …until the feed reconnects
    await settle();
    await adapter.receive(conversationId, 'u1', { type: 'message', text: 'hi' }); // this process's own turn (published and announced)
    await adapter.drain();
    stop();
    assert.deepEqual(texts(), ['a1', 'a2', 'a3', 'a4', 'hi', 'echo hi']);
    assert.deepEqual(got.map((b) => b.watermark), ['0', '1', '3', '4', '5', '6']);
  });

  it('refuses update/delete and unknown conversations with HandoverError codes', async () => {
    const adapter = new WebChatAdapter({ activityLog: new MemoryActivityLog(), log: quiet, logic: async () => {} });
    await assert.rejects(adapter.updateActivity(), (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_NOT_SUPPORTED'));
    await assert.rejects(adapter.deleteActivity(), (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_NOT_SUPPORTED'));
    await assert.rejects(adapter.receive('wc_nope', 'u', { type: 'message', text: 'x' }), (e: unknown) =>
      isHandoverError(e, 'HANDOVER_ERR_UNKNOWN_CONVERSATION'),
    );
  });
});

describe('web chat: MemoryActivityLog', () => {
  it('returns growing watermarks, slices by watermark and trims old activities without reusing positions', async () => {
    let t = 0;
    const log = new MemoryActivityLog({ maxActivitiesPerConversation: 3, maxConversations: 2, keepRecentMs: 0, now: () => ++t });
    await log.create('c');
    for (let i = 1; i <= 5; i++) assert.equal(await log.append('c', { id: `a${i}`, type: 'message' }), String(i));
    assert.deepEqual((await log.since('c')).activities.map((a) => a.id), ['a3', 'a4', 'a5']);
    assert.deepEqual((await log.since('c', '4')).activities.map((a) => a.id), ['a5']);
    assert.deepEqual(await log.since('c', '5'), { activities: [], watermark: '5' });
    assert.deepEqual((await log.since('c', 'garbage')).watermark, '5');
    await log.create('d');
    await log.create('e');
    assert.equal(await log.exists('c'), false, 'least recently written conversation evicted');
    assert.equal(await log.exists('e'), true);
  });
});
