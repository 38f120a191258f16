import assert from 'node:assert/strict';
import { createHandover, type Handover } from '../../src/app.js';
import { ManualClock } from '../../src/core/clock.js';
import type { Stores } from '../../src/core/ports/stores.js';
import { StaticCustomerDirectory } from '../../src/core/static-customer-directory.js';
import { bookingKey, slotKey, type CallbackBooking, type SlotBookings } from '../../src/handoff/callback-bookings.js';
import { createMemoryStores } from '../../src/store/memory/index.js';
import { createRedisStores } from '../../src/store/redis/index.js';
import { harness, type Harness } from '../support/harness.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';
import { MON_0700, at, eventually, queueDirect, staffedManifest } from '../support/staffed.js';

// Support: 6 minutes a contact, 30-minute slots, callbacks in America/Los_Angeles. Ana (support,
// support_l2, billing) and Dan (support) work Monday–Friday 09:00–17:00: a slot of theirs holds
// 2 × 30 ÷ 6 = 10 support callbacks, 5 with one of them.
const manifest = staffedManifest();

interface Backend {
  readonly name: string;
  /** A store connection; two calls with the same key are two processes on one store. */
  open(): Promise<Stores>;
  cleanup(): Promise<void>;
}

const memoryBackend = (): Backend => {
  const shared = createMemoryStores();
  return { name: 'memory', open: async () => shared, cleanup: () => shared.close() };
};

const redisBackend = (): Backend => {
  const prefix = uniquePrefix();
  const opened: Stores[] = [];
  return {
    name: 'Redis',
    open: async () => {
      const s = await createRedisStores({ url: REDIS_URL, prefix });
      opened.push(s);
      return s;
    },
    cleanup: async () => {
      for (const s of opened.splice(0)) await s.close();
      const admin = await connectTestRedis();
      await deleteByPrefix(admin, prefix);
      await admin.close();
    },
  };
};

for (const make of [memoryBackend, redisBackend]) {
  describe(`callback capacity from presence and shifts (${make().name})`, function () {
    this.timeout(20_000);
    let backend: Backend;
    const open: Harness[] = [];
    beforeEach(() => {
      backend = make();
    });
    afterEach(async () => {
      for (const h of open.splice(0)) await h.close();
      await backend.cleanup();
    });

    /** A process: the real composition over its own store connection, on the shared clock. */
    const processOn = async (clock: ManualClock): Promise<Handover> =>
      createHandover({ manifest, stores: await backend.open(), clock, directory: new StaticCustomerDirectory([]) });
    const customer = async (stores: Stores, clock: ManualClock, name: string): Promise<Harness> => {
      const h = await harness({ stores, clock, manifest, conversation: name });
      open.push(h);
      return h;
    };
    const slot = async (stores: Stores, start: number): Promise<string[]> =>
      Object.values((await stores.documents.read<SlotBookings>(slotKey(start)))?.value.bookings ?? {}).flat().map((e) => e.id);

    it('offers the first slot of the shifts, and a removed shift moves the latest bookings — the customer told in their language, on their channel', async () => {
      const clock = new ManualClock(MON_0700);
      const stores = await backend.open();
      const pt = await customer(stores, clock, 'pt');
      const app = pt.app;
      // nobody works before 09:00: the wait runs to the shift, and the first slot offered is 09:00
      for (let i = 1; i <= 9; i++) {
        const id = await queueDirect(app, `direct:d${i}`, 'support');
        clock.advanceMs(1000);
        const offered = await app.callbacks.offer('support', 0, 0, { conversationId: id });
        assert.equal(offered?.start, at(9), `d${i} is offered 09:00`);
        assert.deepEqual(await app.callbacks.book(id, 'support', at(9)), { ok: true, at: at(9) });
      }
      const notice = (await pt.say('oi, quero falar com uma pessoa de verdade', 30)).join(' ');
      assert.match(notice, /às 9:00\. Responda 1 para agendar/, notice);
      assert.match((await pt.say('1', 40)).join(' '), /^Agendado: uma pessoa vai escrever para você aqui às 9:00\.$/);
      assert.equal((await slot(stores, at(9))).length, 10, 'two agents: 10 callbacks of 6 minutes');
      assert.equal((await app.callbacks.offer('support', 0, 0))?.start, at(9, 30), 'full: the next offer is 09:30');

      // a supervisor takes Dan off on Mondays: 09:00 holds 5 now
      await app.callbacks.staffing.shifts.set('dan', { tue: [['09:00', '17:00']] }, 'sam');
      clock.advanceMs(60_000);
      const r = await app.callbacks.recheck();
      assert.deepEqual({ moved: r.moved, cancelled: r.cancelled }, { moved: 5, cancelled: 0 });
      const nine = await slot(stores, at(9));
      const nineThirty = await slot(stores, at(9, 30));
      assert.deepEqual(nine.sort(), ['direct:d1', 'direct:d2', 'direct:d3', 'direct:d4', 'direct:d5'], 'the first five keep their time');
      assert.deepEqual(nineThirty.sort(), ['direct:d6', 'direct:d7', 'direct:d8', 'direct:d9', pt.id].sort(), 'the latest five move to the next free slot');
      assert.equal((await app.service.state(pt.id)).callbackAt, at(9, 30));
      await eventually(() => pt.sent().some((a) => /Precisamos mudar/.test(a.text ?? '')), 'the move reaches the customer');
      assert.equal(pt.sent().at(-1)?.text, 'Precisamos mudar o horário agendado: uma pessoa vai escrever para você aqui às 9:30, em vez de 9:00.');
      const booking = (await stores.documents.read<CallbackBooking>(bookingKey(pt.id)))?.value;
      assert.equal(booking?.at, at(9, 30));
      assert.deepEqual(booking?.changes.map((c) => [c.from, c.to, c.why]), [[at(9), at(9, 30), 'capacity']]);
      assert.ok((await stores.transcripts.read(pt.id)).some((l) => l.meta?.['name'] === 'handoff.callback_moved'));
      // nothing else changed: a second re-check moves nobody
      assert.equal((await app.callbacks.recheck()).moved, 0);
    });

    it('counts only the agents actually online in the next hour; one signing off early on another process moves bookings', async () => {
      const clock = new ManualClock(at(9, 5));
      const a = await processOn(clock);
      const b = await processOn(clock);
      for (const agent of ['ana', 'dan']) {
        await a.callbacks.staffing.presence.signIn(agent);
        await a.callbacks.staffing.presence.opened(agent, 'process-a');
      }
      assert.equal((await b.callbacks.staffing.presence.read('dan')).status, 'online', 'process b sees what process a wrote');
      const ids = [];
      for (let i = 1; i <= 10; i++) {
        const id = await queueDirect(a, `direct:p${i}`, 'support');
        clock.advanceMs(100);
        assert.equal((await a.callbacks.book(id, 'support', at(9, 30))).ok, true, `p${i} books 09:30`);
        ids.push(id);
      }
      const refused = await a.callbacks.book(await queueDirect(a, 'direct:p11', 'support'), 'support', at(9, 30));
      assert.equal(refused.ok, false, 'never more than capacity');

      // Dan signs off early, on process b: the next hour has Ana alone
      await b.callbacks.staffing.presence.signOut('dan');
      await b.service.staffingChanged();
      assert.equal((await a.callbacks.staffing.presence.read('dan')).status, 'offline');
      assert.equal((await slot(await backend.open(), at(9, 30))).length, 5);
      assert.equal((await slot(await backend.open(), at(10))).length, 5, 'moved to 10:00, which Ana alone can still take');
      // the expected wait counts who can take the queue now: Ana (p11 waits, so does one more)
      await queueDirect(a, 'direct:p12', 'support');
      assert.equal(await b.service.expectedWaitMs('support'), 2 * 6 * 60_000);

      // Ana's console loses its socket: online through the grace period, away after it; the SLA
      // sweep of process b notices (no one called staffingChanged) and moves the next hour's bookings
      await a.callbacks.staffing.presence.closed('ana', 'process-a');
      clock.advanceMs(30_000);
      assert.equal((await b.callbacks.staffing.presence.read('ana')).status, 'online');
      clock.advanceMs(31_000);
      assert.equal((await b.callbacks.staffing.presence.read('ana')).status, 'away');
      await b.service.escalateDue();
      const stores = await backend.open();
      assert.equal((await slot(stores, at(9, 30))).length + (await slot(stores, at(10))).length, 0, 'nobody online for the next hour');
      // from 10:30 the shifts decide again (Ana and Dan: 60 minutes), minus the live queue still
      // waiting then (p11 and p12: 12 minutes): 8 fit at 10:30, the last 2 go to 11:00
      assert.equal((await slot(stores, at(10, 30))).length, 8);
      assert.equal((await slot(stores, at(11))).length, 2);
      assert.equal(await b.service.expectedWaitMs('support'), 1 * 6 * 60_000, 'nobody online: the agents on shift (2) for 2 waiting');
    });

    it('a due callback nobody accepts within the SLA: the customer is told and offered the next slot, and "1" books it', async () => {
      const clock = new ManualClock(MON_0700);
      const stores = await backend.open();
      const en = await customer(stores, clock, 'en');
      const notice = (await en.say('I want to talk to a real person', 0)).join(' ');
      assert.match(notice, /The expected wait is about 120 minutes\. If you prefer, a person can write to you here at 9:00 AM instead/, notice);
      assert.match((await en.say('1', 10)).join(' '), /^Booked: a person will write to you here at 9:00 AM\.$/);

      clock.set(at(9) + 1000);
      await en.app.service.escalateDue();
      assert.equal((await en.app.service.state(en.id)).status, 'queued', 'due: back in the queue, first');
      clock.set(at(9, 10) + 1000); // support's SLA is 10 minutes
      await en.app.service.escalateDue();
      await en.app.service.escalateDue(); // a second sweep tells nobody twice
      await eventually(() => en.sent().some((x) => /no one could write/.test(x.text ?? '')), 'the missed callback reaches the customer');
      const told = en.sent().filter((x) => /no one could write/.test(x.text ?? ''));
      assert.equal(told.length, 1);
      // nobody is online and both are on shift: the next hour is not offered; 10:30 is
      assert.equal(told[0]!.text, 'Sorry, no one could write to you at 9:00 AM. A person can write to you here at 10:30 AM instead. Reply 1 to book that time.');
      assert.match((await en.say('1', 2 * 3600 + 15 * 60)).join(' '), /^Booked: a person will write to you here at 10:30 AM\.$/);
      const s = await en.app.service.state(en.id);
      assert.equal(s.status, 'scheduled');
      assert.equal(s.callbackAt, at(10, 30));
      const booking = (await stores.documents.read<CallbackBooking>(bookingKey(en.id)))?.value;
      assert.equal(booking?.at, at(10, 30));
      assert.deepEqual(booking?.changes.map((c) => c.why), ['missed']);
    });
  });
}
