/**
 * What every `MessageRelay` promises beyond the basic store contract (store-contract.ts): a
 * conversation's failing message never holds up another conversation, a message that keeps failing
 * goes to the dead-letter list after its bounded attempts (and the listener is told), and a dead
 * letter can be sent again or discarded. Call `describeRelayContract(name, factory)` from a spec file;
 * the factory's relay must give up after `ATTEMPTS` attempts and retry within tens of milliseconds.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { conversationId, type ConversationId } from '../../src/core/ids.js';
import type { DeadLetter, MessageRelay, RelayMessage } from '../../src/core/ports/message-relay.js';
import { waitFor } from './store-contract.js';

/** Handler attempts the factory's relay makes before dead-lettering. */
export const ATTEMPTS = 3;

export interface RelayFixture {
  readonly relay: MessageRelay;
  close(): Promise<void>;
}

export function describeRelayContract(name: string, factory: () => Promise<RelayFixture>): void {
  describe(`relay contract: ${name}`, function () {
    this.timeout(20_000);
    let fixture: RelayFixture;
    let relay: MessageRelay;
    beforeEach(async () => {
      fixture = await factory();
      relay = fixture.relay;
    });
    afterEach(async () => {
      await fixture.close();
    });
    const route = (): string => `r-${randomUUID().slice(0, 8)}`;
    const cid = (): ConversationId => conversationId(`webchat:c-${randomUUID().slice(0, 8)}`);
    const msg = (c: ConversationId, text: string): RelayMessage => ({ conversationId: c, kind: 'agent_message', text, at: 1, id: `${text}-${randomUUID()}` });

    it('a conversation whose message hangs, then fails, holds up no other conversation; its own later messages wait for it', async () => {
      const r = route();
      const [poisoned, others] = [cid(), Array.from({ length: 5 }, () => cid())];
      const got: string[] = [];
      let attemptsOnPoison = 0;
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const stop = await relay.listen(r, async (m) => {
        if (m.text === 'poison') {
          attemptsOnPoison++;
          if (attemptsOnPoison === 1) {
            await held; // a channel that does not answer…
            throw new Error('the customer cannot be reached'); // …and then fails
          }
        }
        got.push(m.text ?? '');
      });
      await relay.send(r, msg(poisoned, 'poison'));
      await relay.send(r, msg(poisoned, 'after poison'));
      for (const [i, c] of others.entries()) await relay.send(r, msg(c, `other ${i}`));
      // Every other conversation is served while the poisoned one's first attempt is still hanging.
      await waitFor(() => others.every((_, i) => got.includes(`other ${i}`)), 5000);
      assert.equal(attemptsOnPoison, 1);
      assert.equal(got.includes('after poison'), false, "the poisoned conversation's next message waits for it");
      release();
      await waitFor(() => got.includes('after poison'), 5000);
      assert.equal(attemptsOnPoison, 2, 'retried once after the failure');
      assert.deepEqual(got.filter((t) => t.includes('poison')), ['poison', 'after poison']);
      await stop();
    });

    it(`after ${ATTEMPTS} failed attempts a message goes to the dead-letter list, the listener is told, and the conversation moves on`, async () => {
      const r = route();
      const c = cid();
      const letters: DeadLetter[] = [];
      const got: string[] = [];
      let attempts = 0;
      const stop = await relay.listen(
        r,
        async (m) => {
          if (m.text === 'undeliverable') {
            attempts++;
            throw new Error('history gone');
          }
          got.push(m.text ?? '');
        },
        { onDeadLetter: (l) => void letters.push(l) },
      );
      const poison = msg(c, 'undeliverable');
      await relay.send(r, poison);
      await relay.send(r, msg(c, 'next'));
      await waitFor(() => got.includes('next') && letters.length === 1, 10_000);
      assert.equal(attempts, ATTEMPTS);
      assert.equal(letters[0]!.route, r);
      assert.deepEqual(letters[0]!.message, poison);
      assert.equal(letters[0]!.attempts, ATTEMPTS);
      assert.match(letters[0]!.error, /history gone/);
      const listed = await relay.deadLetters();
      assert.equal(listed.total >= 1, true);
      assert.deepEqual(
        listed.letters.find((l) => l.id === letters[0]!.id),
        letters[0],
        'listed as the listener was told',
      );
      await stop();
    });

    it('sends a dead letter again (once, even when asked twice) or discards it', async () => {
      const r = route();
      const c = cid();
      let fail = true;
      const got: string[] = [];
      const letters: DeadLetter[] = [];
      const stop = await relay.listen(
        r,
        async (m) => {
          if (fail) throw new Error('channel down');
          got.push(m.text ?? '');
        },
        { onDeadLetter: (l) => void letters.push(l) },
      );
      await relay.send(r, msg(c, 'first'));
      await relay.send(r, msg(c, 'second'));
      await waitFor(() => letters.length === 2, 10_000);
      fail = false;
      const [first, second] = [letters.find((l) => l.message.text === 'first')!, letters.find((l) => l.message.text === 'second')!];
      assert.deepEqual(await Promise.all([relay.redeliver(first.id), relay.redeliver(first.id)]).then((a) => a.sort()), [false, true]);
      await waitFor(() => got.includes('first'), 5000);
      assert.equal(await relay.discard(second.id), true);
      assert.equal(await relay.discard(second.id), false);
      assert.equal(await relay.redeliver('no-such-letter'), false);
      const left = (await relay.deadLetters(1000)).letters.map((l) => l.id);
      assert.equal(left.includes(first.id) || left.includes(second.id), false);
      await relay.send(r, msg(c, 'third'));
      await waitFor(() => got.includes('third'), 5000);
      assert.deepEqual(got, ['first', 'third'], 'the discarded one is never delivered; the redelivered one once');
      await stop();
    });
  });
}
