import assert from 'node:assert/strict';
import { z } from 'zod';
import { closest, editDistance, explainIssues, unknownValue } from '../../../src/dialogs/explain-issues.js';
import { StepSchema } from '../../../src/dialogs/dialog-spec.js';

describe('explaining validation problems', () => {
  it('measures typos: a swap, a missing and an extra letter count one each', () => {
    assert.equal(editDistance('queu', 'queue'), 1);
    assert.equal(editDistance('suport', 'support'), 1);
    assert.equal(editDistance('custmoer_request', 'customer_request'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  it('suggests only a close candidate', () => {
    assert.equal(closest('biling', ['support', 'billing', 'sales']), 'billing');
    assert.equal(closest('Support', ['support', 'sales']), 'support');
    assert.equal(closest('zzz', ['support', 'billing', 'sales']), undefined);
    assert.equal(closest('x', []), undefined);
    assert.equal(unknownValue('queue', 'suport', ['support', 'sales']), 'unknown queue "suport" — did you mean "support"? known: support, sales');
    assert.equal(unknownValue('queue', 'nowhere', ['support', 'sales']), 'unknown queue "nowhere"; known: support, sales');
  });

  it('picks the alternative of a union the value was meant as, and names a value that fits none', () => {
    const steps = z.array(StepSchema);
    const raw = [{ slot: 'order_number', entity: 'order_numbr', prompt: 'order.ask_number', retry: 'order.retry_number' }, { say: 7 }, { sya: 'x' }, 'hello'];
    const r = steps.safeParse(raw);
    assert.equal(r.success, false);
    const lines = explainIssues(r.error!.issues, raw, { nouns: { entity: 'entity kind' }, forms: {} }).map((i) => `${i.path}: ${i.message}`);
    assert.deepEqual(lines, [
      '0.entity: "order_numbr" is not an entity kind — did you mean "order_number"? valid: order_number, email, zip, amount, quantity, text',
      '1.say: expected string, got 7',
      '2: {"sya":"x"} (fields "sya") is not valid',
      '3: "hello" is not valid',
    ]);
  });

  it('adds the value to messages that lack it, and says what is missing', () => {
    const s = z.object({ at: z.number().nonnegative(), name: z.string().min(1), kind: z.literal('x') });
    const raw = { at: -2, kind: 'y' };
    const lines = explainIssues(s.safeParse(raw).error!.issues, raw).map((i) => `${i.path}: ${i.message}`);
    assert.deepEqual(lines, ['at: Number must be greater than or equal to 0 (got -2)', 'name: missing (expected string)', 'kind: expected "x", got "y"']);
  });
});
