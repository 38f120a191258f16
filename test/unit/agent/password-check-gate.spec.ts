/**
 * PasswordCheckGate: at most `maxConcurrent` checks at once, the rest wait in order up to
 * `maxWaiting` (known devices in a queue of their own, served first), beyond it HANDOVER_ERR_BUSY at once.
 */
import assert from 'node:assert/strict';
import { isHandoverError } from '../../../src/core/errors.js';
import { PasswordCheckGate } from '../../../src/agent/password-hash.js';

/** A check that finishes when told to. */
function pending(log: string[], name: string): { work: () => Promise<string>; finish: () => void } {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  return {
    work: async () => {
      log.push(`start ${name}`);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('PasswordCheckGate', () => {
  it('runs maxConcurrent at once, queues in order with priority first, refuses beyond maxWaiting', async () => {
    const gate = new PasswordCheckGate({ maxConcurrent: 1, maxWaiting: 2 });
    const log: string[] = [];
    const [a, b, c, p] = ['a', 'b', 'c', 'p'].map((n) => pending(log, n));
    const ra = gate.run(a!.work);
    const rb = gate.run(b!.work);
    const rc = gate.run(c!.work);
    await assert.rejects(gate.run(async () => 'd'), (e) => isHandoverError(e, 'HANDOVER_ERR_BUSY'), 'the third waiter is refused at once');
    const rp = gate.run(p!.work, { priority: true });
    await tick();
    assert.deepEqual(gate.load, { running: 1, waiting: 3 });
    assert.deepEqual(log, ['start a']);
    a!.finish();
    assert.equal(await ra, 'a');
    await tick();
    assert.deepEqual(log, ['start a', 'start p'], 'the known device goes first');
    p!.finish();
    await rp;
    await tick();
    assert.deepEqual(log, ['start a', 'start p', 'start b']);
    b!.finish();
    c!.finish();
    assert.deepEqual(await Promise.all([rb, rc]), ['b', 'c']);
    assert.deepEqual(gate.load, { running: 0, waiting: 0 });
  });

  it('frees its slot when a check throws', async () => {
    const gate = new PasswordCheckGate({ maxConcurrent: 1, maxWaiting: 0 });
    await assert.rejects(gate.run(async () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await gate.run(async () => 'next'), 'next');
    assert.deepEqual(gate.load, { running: 0, waiting: 0 });
  });
});
