import assert from 'node:assert/strict';
import { SlaWatcher, type SlaTimer } from '../../../src/handoff/sla-watcher.js';
import type { DomainEvent } from '../../../src/core/events.js';
import { harness, manifest, type Harness } from '../../support/harness.js';

/** A timer the test fires by hand: no sleeping, no real intervals. */
class ManualTimer implements SlaTimer {
  ticks: (() => void) | undefined;
  periodMs: number | undefined;
  cancelled = 0;
  every(ms: number, tick: () => void): () => void {
    this.periodMs = ms;
    this.ticks = tick;
    return () => {
      this.cancelled++;
      this.ticks = undefined;
    };
  }
  fire(): void {
    this.ticks?.();
  }
}

/** Resolves when every microtask and pending promise job queued so far has run. */
const settle = () => new Promise((r) => setImmediate(r));

describe('SlaWatcher', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('escalates a breached handoff once per SLA period, on the manifest\'s period, on the memory store', async () => {
    const hh = await harness();
    h = hh;
    const escalated: DomainEvent[] = [];
    hh.stores.events.subscribe((e) => {
      if (e.type === 'handoff.escalated') escalated.push(e);
    });
    const timer = new ManualTimer();
    const sweeps: number[] = [];
    const watcher = new SlaWatcher({ service: hh.app.service, manifest, timer, onSweep: (n) => sweeps.push(n) });
    watcher.start();
    assert.equal(timer.periodMs, manifest.policy.sla.checkEverySeconds * 1000);
    assert.equal(watcher.running, true);

    await hh.say('I want to talk to a real person', 0);
    const queued = await hh.app.service.state(hh.id);
    assert.equal(queued.status, 'queued');
    const slaMs = manifest.queues[queued.queue!]!.slaSeconds * 1000;

    timer.fire();
    await settle();
    assert.equal(escalated.length, 0, 'not due yet');

    hh.clock.advanceMs(slaMs); // the deadline is reached (deadline <= now counts)
    timer.fire();
    await settle();
    assert.equal(escalated.length, 1);
    const after = await hh.app.service.state(hh.id);
    assert.equal(after.priority, queued.priority + manifest.policy.sla.escalationPriorityBoost);
    assert.equal(after.escalations, 1);

    for (let i = 0; i < 3; i++) {
      timer.fire();
      await settle();
    }
    assert.equal(escalated.length, 1, 'the same breach is not escalated again');

    hh.clock.advanceMs(slaMs); // a whole new SLA period without an agent
    timer.fire();
    await settle();
    assert.equal(escalated.length, 2);
    assert.deepEqual(sweeps.filter((n) => n > 0), [1, 1]);

    await watcher.stop();
    assert.equal(timer.cancelled, 1);
    assert.equal(watcher.running, false);
    hh.clock.advanceMs(slaMs);
    timer.fire(); // a stopped watcher's timer is gone: nothing happens
    await settle();
    assert.equal(escalated.length, 2);
  });

  it('reports a failing sweep to onError, never throws, and the next tick works', async () => {
    const errors: unknown[] = [];
    let fail = true;
    let calls = 0;
    const service = {
      escalateDue: async () => {
        calls++;
        if (fail) throw new Error('store down');
        return 0;
      },
    };
    const timer = new ManualTimer();
    const watcher = new SlaWatcher({ service, manifest, timer, onError: (e) => errors.push(e) });
    watcher.start();
    timer.fire();
    await settle();
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /store down/);
    assert.equal(await watcher.sweep(), 0);
    assert.equal(errors.length, 2);
    fail = false;
    timer.fire();
    await settle();
    assert.equal(calls, 3);
    assert.equal(errors.length, 2);
    await watcher.stop();
  });

  it('survives an onError and an onSweep that throw', async () => {
    const watcher = new SlaWatcher({
      service: { escalateDue: async () => Promise.reject(new Error('down')) },
      manifest,
      timer: new ManualTimer(),
      onError: () => {
        throw new Error('logger broke');
      },
      onSweep: () => {
        throw new Error('metrics broke');
      },
    });
    assert.equal(await watcher.sweep(), 0);
  });

  it('never runs two sweeps at once: a tick during a slow sweep is skipped', async () => {
    let release: () => void = () => {};
    let calls = 0;
    const service = {
      escalateDue: () => {
        calls++;
        return new Promise<number>((resolve) => {
          release = () => resolve(0);
        });
      },
    };
    const timer = new ManualTimer();
    const watcher = new SlaWatcher({ service, manifest, timer });
    watcher.start();
    timer.fire();
    timer.fire();
    timer.fire();
    const joined = watcher.sweep(); // a manual sweep joins the one in progress
    await settle();
    assert.equal(calls, 1);
    const stopped = watcher.stop(); // waits for the sweep in progress
    let done = false;
    void stopped.then(() => (done = true));
    await settle();
    assert.equal(done, false);
    release();
    await stopped;
    assert.equal(await joined, 0);
    assert.equal(calls, 1);
  });

  it('drains a backlog in batches within one sweep, up to its cap', async () => {
    const backlog = [3, 3, 1, 0];
    const asked: number[] = [];
    const service = {
      escalateDue: async (limit?: number) => {
        asked.push(limit ?? -1);
        return backlog.shift() ?? 0;
      },
    };
    const watcher = new SlaWatcher({ service, manifest, everyMs: 50, batchSize: 3, timer: new ManualTimer() });
    assert.equal(watcher.everyMs, 50);
    assert.equal(await watcher.sweep(), 7);
    assert.deepEqual(asked, [3, 3, 3]);

    const endless = new SlaWatcher({ service: { escalateDue: async (limit?: number) => limit ?? 0 }, manifest, batchSize: 2, maxBatchesPerSweep: 4, timer: new ManualTimer() });
    assert.equal(await endless.sweep(), 8, 'stops after maxBatchesPerSweep; the next tick goes on');
  });

  it('starts once, however often start() is called, and runs on setInterval by default', async () => {
    const timer = new ManualTimer();
    let registered = 0;
    const counting: SlaTimer = {
      every: (ms, tick) => {
        registered++;
        return timer.every(ms, tick);
      },
    };
    const watcher = new SlaWatcher({ service: { escalateDue: async () => 0 }, manifest, timer: counting });
    watcher.start();
    watcher.start();
    assert.equal(registered, 1);
    await watcher.stop();
    await watcher.stop();

    // the default timer: real setInterval, unref'd; wait (no time assertion) until it has ticked
    let sweeps = 0;
    const real = new SlaWatcher({ service: { escalateDue: async () => 0 }, manifest, everyMs: 5, onSweep: () => sweeps++ });
    real.start();
    while (sweeps < 2) await new Promise((r) => setTimeout(r, 5));
    await real.stop();
  });
});
