import assert from 'node:assert/strict';
import { candidateSlots, formatSlot, isOpen, localTime, slotCapacity } from '../../../src/handoff/callback-slots.js';
import { QueueSchema } from '../../../src/config/manifest-schema.js';

const cfg = { enabled: true, offerWhenWaitAboveMinutes: 15, slotMinutes: 30, horizonHours: 72, timezone: 'America/Los_Angeles', priority: 4 };
// Monday 2026-01-05 15:00 UTC = 07:00 in Los Angeles
const MON_0700_LA = Date.UTC(2026, 0, 5, 15, 0);

describe('callback slots', () => {
  const staffed = QueueSchema.parse({ label: 'Support', slaSeconds: 600, agents: 2, avgHandleSeconds: 600, hours: { mon: ['09:00', '17:00'], tue: ['09:00', '17:00'] } });

  it('computes capacity from agents, slot length and handling time', () => {
    assert.equal(slotCapacity(staffed, 30), 6); // 2 agents × 30 min ÷ 10 min
    assert.equal(slotCapacity(QueueSchema.parse({ label: 'x', slaSeconds: 60, agents: 1, avgHandleSeconds: 3600 }), 30), 0);
  });

  it('reads local weekday and time in the configured zone', () => {
    assert.deepEqual(localTime(MON_0700_LA, 'America/Los_Angeles'), { day: 'mon', minutes: 7 * 60 });
    assert.deepEqual(localTime(MON_0700_LA, 'Asia/Tokyo'), { day: 'tue', minutes: 0 });
  });

  it('offers only slots inside opening hours, from the first one after the queue drains', () => {
    const slots = candidateSlots(staffed, cfg, MON_0700_LA + 20 * 60_000, MON_0700_LA);
    const first = slots[0]!;
    assert.deepEqual(localTime(first.start, cfg.timezone), { day: 'mon', minutes: 9 * 60 });
    assert.equal(first.capacity, 6);
    assert.ok(slots.every((s) => isOpen(staffed, s.start, s.end, cfg.timezone)));
    // Monday 09:00–17:00 and Tuesday 09:00–17:00 within 72 h: 16 + 16 slots of 30 minutes
    assert.equal(slots.length, 32);
    assert.ok(slots.every((s) => s.end <= MON_0700_LA + 72 * 3_600_000));
  });

  it('offers around the clock for a queue without hours, aligned to the slot grid', () => {
    const open = QueueSchema.parse({ label: 'x', slaSeconds: 60, agents: 1, avgHandleSeconds: 600 });
    const slots = candidateSlots(open, { ...cfg, horizonHours: 2 }, MON_0700_LA + 7 * 60_000, MON_0700_LA);
    // the 2-hour horizon holds the slots starting 30, 60 and 90 minutes from now
    assert.deepEqual(slots.map((s) => (s.start - MON_0700_LA) / 60_000), [30, 60, 90]);
  });

  it('formats a slot as the customer reads it', () => {
    assert.equal(formatSlot(MON_0700_LA + 2 * 3_600_000, MON_0700_LA, 'en-US', cfg.timezone), '9:00 AM');
    assert.equal(formatSlot(MON_0700_LA + 8 * 3_600_000, MON_0700_LA, 'pt-BR', cfg.timezone), '15:00');
    assert.match(formatSlot(MON_0700_LA + 26 * 3_600_000, MON_0700_LA, 'en-US', cfg.timezone), /^Tue/);
  });
});
