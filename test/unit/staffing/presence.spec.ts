import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/core/clock.js';
import { PresenceBook } from '../../../src/staffing/presence.js';
import { MemoryDocumentStore } from '../../../src/store/memory/memory-document-store.js';

describe('presence (online / away / offline)', () => {
  const setup = () => {
    const clock = new ManualClock(1_000_000);
    const documents = new MemoryDocumentStore();
    return { clock, documents, book: new PresenceBook({ documents, clock, graceMs: 60_000, staleMs: 90_000 }) };
  };

  it('is offline until sign-in, online after it, offline after sign-out', async () => {
    const { book } = setup();
    assert.equal((await book.read('ana')).status, 'offline');
    assert.equal((await book.signIn('ana')).status, 'online');
    assert.equal((await book.read('ana')).status, 'online');
    assert.equal((await book.signOut('ana')).status, 'offline');
  });

  it('turns a lost socket into away only after the grace period; a reconnect within it changes nothing', async () => {
    const { book, clock } = setup();
    await book.signIn('ana');
    await book.opened('ana', 'node-1');
    for (let i = 0; i < 10; i++) {
      clock.advanceMs(60_000);
      await book.heartbeat('node-1', new Map([['ana', 1]]));
    }
    assert.equal((await book.read('ana')).status, 'online', 'a socket is open (and its process beats)');
    await book.closed('ana', 'node-1');
    clock.advanceMs(59_000);
    assert.equal((await book.read('ana')).status, 'online', 'within the grace period');
    await book.opened('ana', 'node-2');
    clock.advanceMs(80_000);
    assert.equal((await book.read('ana')).status, 'online');
    await book.closed('ana', 'node-2');
    clock.advanceMs(60_000);
    const away = await book.read('ana');
    assert.equal(away.status, 'away');
    assert.equal(away.chosen, 'online', 'she chose online; the lost connection made her away');
    assert.equal(away.since, clock.now(), 'away since the end of the grace period');
  });

  it("counts sockets on every process; a process that stops its heartbeats loses its sockets", async () => {
    const { book, clock } = setup();
    await book.signIn('ana');
    await book.opened('ana', 'node-1');
    await book.opened('ana', 'node-2');
    await book.closed('ana', 'node-1');
    assert.equal((await book.read('ana')).connections, 1);
    clock.advanceMs(60_000);
    await book.heartbeat('node-2', new Map([['ana', 1]]));
    clock.advanceMs(60_000);
    assert.equal((await book.read('ana')).status, 'online', 'node-2 beat 60 s ago');
    // node-2 dies: no more heartbeats
    clock.advanceMs(31_000 + 60_000);
    assert.equal((await book.read('ana')).status, 'away', 'stale after 90 s, then the grace period');
  });

  it('keeps an explicit away or offline whatever the sockets; opening the console after sign-out is online', async () => {
    const { book } = setup();
    await book.signIn('ana');
    await book.opened('ana', 'n');
    assert.equal((await book.setStatus('ana', 'away')).status, 'away');
    assert.equal((await book.read('ana')).connections, 1);
    assert.equal((await book.setStatus('ana', 'online')).status, 'online');
    await book.signOut('ana');
    assert.equal((await book.read('ana')).status, 'offline');
    assert.equal((await book.opened('ana', 'n')).status, 'online');
  });

  it('stays consistent under concurrent writers (compare-and-set)', async () => {
    const { book } = setup();
    await book.signIn('ana');
    await Promise.all(Array.from({ length: 20 }, (_, i) => book.opened('ana', `node-${i % 4}`)));
    assert.equal((await book.read('ana')).connections, 20);
    await Promise.all(Array.from({ length: 20 }, (_, i) => book.closed('ana', `node-${i % 4}`)));
    assert.equal((await book.read('ana')).connections, 0);
  });
});
