/**
 * MetricsRecorder keys counts by UTC day; the day is formatted once per day, so the test walks a
 * clock across midnight (and back, as a corrected clock may) and reads each day's document.
 */
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/core/clock.js';
import { MetricsRecorder } from '../../../src/handoff/metrics.js';
import { MemoryDocumentStore } from '../../../src/store/memory/index.js';

describe('MetricsRecorder (counts by UTC day)', () => {
  it('puts counts on either side of midnight UTC into their own days, also when the clock steps back', async () => {
    const docs = new MemoryDocumentStore();
    const clock = new ManualClock(Date.UTC(2026, 11, 1, 23, 59, 59, 999));
    const m = new MetricsRecorder(docs, clock);
    m.count({ botTurns: 1 });
    m.count({ botTurns: 1 });
    clock.advanceMs(1); // 2026-12-02T00:00:00.000Z
    m.count({ botTurns: 1 });
    clock.advanceMs(-2); // back to the 1st
    m.count({ handoffs: 1 });
    await m.flush();
    const first = (await docs.read<{ botTurns: number; handoffs: number }>('metrics:2026-12-01'))?.value;
    const second = (await docs.read<{ botTurns: number; handoffs: number }>('metrics:2026-12-02'))?.value;
    assert.equal(first?.botTurns, 2);
    assert.equal(first?.handoffs, 1);
    assert.equal(second?.botTurns, 1);
    assert.equal(second?.handoffs, 0);
  });
});
