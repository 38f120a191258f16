import assert from 'node:assert/strict';
import { ManifestSchema, ShiftsSchema } from '../../../src/config/manifest-schema.js';
import { coveredMs, coversInstant, intersectRanges, queueRangesOn, shiftRangesOn } from '../../../src/staffing/shifts.js';
import { localParts } from '../../../src/staffing/local-time.js';
import { manifest } from '../../support/harness.js';

const LA = 'America/Los_Angeles';
// Monday 2026-01-05 09:00 in Los Angeles
const MON_0900 = Date.UTC(2026, 0, 5, 17);
const MIN = 60_000;

describe('shifts', () => {
  const shifts = ShiftsSchema.parse({ mon: [['09:00', '12:00'], ['13:00', '17:00']], tue: [['22:00', '24:00']], wed: [['00:00', '06:00']], exceptions: { '2026-01-12': [] } });

  it('reads local date, weekday and minutes in the zone', () => {
    assert.deepEqual(localParts(MON_0900, LA), { date: '2026-01-05', day: 'mon', minutes: 540 });
    assert.deepEqual(localParts(MON_0900, 'Asia/Tokyo'), { date: '2026-01-06', day: 'tue', minutes: 120 });
  });

  it('measures how much of a span a shift covers, lunch break included', () => {
    const on = (d: Parameters<typeof shiftRangesOn>[1]) => shiftRangesOn(shifts, d);
    assert.equal(coveredMs(on, MON_0900, MON_0900 + 30 * MIN, LA), 30 * MIN);
    assert.equal(coveredMs(on, MON_0900 + 150 * MIN, MON_0900 + 180 * MIN, LA), 30 * MIN, '11:30–12:00');
    assert.equal(coveredMs(on, MON_0900 + 165 * MIN, MON_0900 + 255 * MIN, LA), 15 * MIN + 15 * MIN, '11:45–13:15: the hour off is not work');
    assert.equal(coveredMs(on, MON_0900 - 30 * MIN, MON_0900, LA), 0, 'before the shift');
    // a partial span (now inside a slot): seconds count
    assert.equal(coveredMs(on, MON_0900 + 10_000, MON_0900 + 30 * MIN, LA), 30 * MIN - 10_000);
  });

  it('follows a night shift across local midnight (split at midnight in the manifest)', () => {
    const tue2330 = MON_0900 + 24 * 60 * MIN + 14 * 60 * MIN + 30 * MIN;
    assert.deepEqual(localParts(tue2330, LA), { date: '2026-01-06', day: 'tue', minutes: 23 * 60 + 30 });
    assert.equal(coveredMs((d) => shiftRangesOn(shifts, d), tue2330, tue2330 + 60 * MIN, LA), 60 * MIN, 'Tue 23:30 – Wed 00:30');
  });

  it('takes a date exception over the weekday (a day off)', () => {
    const nextMonday = MON_0900 + 7 * 24 * 60 * MIN;
    assert.equal(coveredMs((d) => shiftRangesOn(shifts, d), nextMonday, nextMonday + 60 * MIN, LA), 0);
    assert.equal(coversInstant((d) => shiftRangesOn(shifts, d), nextMonday, LA), false);
    assert.equal(coversInstant((d) => shiftRangesOn(shifts, d), MON_0900, LA), true);
  });

  it('keeps the queue hours as the outer bound; no shifts means whenever the queue is open', () => {
    const queue = { hours: { mon: ['10:00', '16:00'] as [string, string] } };
    const both = (d: Parameters<typeof shiftRangesOn>[1]) => intersectRanges(shiftRangesOn(shifts, d), queueRangesOn(queue, d));
    assert.equal(coveredMs(both, MON_0900, MON_0900 + 8 * 60 * MIN, LA), (2 + 3) * 60 * MIN, '10–12 and 13–16');
    assert.equal(coveredMs((d) => shiftRangesOn(undefined, d), MON_0900, MON_0900 + 60 * MIN, LA), 60 * MIN);
  });

  it('validates shifts in manifest.json: HH:MM ranges that end after they start, dates as YYYY-MM-DD', () => {
    const withShifts = (s: unknown) => {
      const m = structuredClone(JSON.parse(JSON.stringify(manifest))) as { console: { agents: { shifts?: unknown }[] } };
      m.console.agents[0]!.shifts = s;
      return ManifestSchema.safeParse(m);
    };
    assert.equal(withShifts({ mon: [['09:00', '17:00']], exceptions: { '2026-12-25': [] } }).success, true);
    assert.equal(withShifts({ mon: [['17:00', '09:00']] }).success, false, 'a night shift is split at midnight');
    assert.equal(withShifts({ mon: [['9:00', '17:00']] }).success, false);
    assert.equal(withShifts({ funday: [['09:00', '17:00']] }).success, false);
    assert.equal(withShifts({ exceptions: { '25/12/2026': [] } }).success, false);
    assert.equal(ManifestSchema.parse(JSON.parse(JSON.stringify(manifest))).console.awayAfterSeconds, 60);
  });
});
