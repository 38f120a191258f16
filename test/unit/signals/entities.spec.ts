import assert from 'node:assert/strict';
import { extractEntities, parseMoney } from '../../../src/signals/entities.js';
import { valueAtRisk } from '../../../src/signals/value.js';

describe('entities', () => {
  it('finds order numbers case-insensitively and stores them upper-case', () => {
    assert.equal(extractEntities("it's a12345").order_number, 'A12345');
    assert.equal(extractEntities('order B-20001 please').order_number, 'B20001');
    assert.equal(extractEntities('no number here').order_number, undefined);
    assert.equal(extractEntities('A123456').order_number, undefined);
  });
  it('reads money in en and pt/es notation', () => {
    assert.equal(extractEntities('about $140').amount, 140);
    assert.equal(extractEntities('140 dollars').amount, 140);
    assert.equal(extractEntities('R$ 140,00').amount, 140);
    assert.equal(extractEntities('$1,250.50 in total').amount, 1250.5);
    assert.equal(parseMoney('1.250,50'), 1250.5);
  });
  it('tells a ZIP from an order number and an amount, and finds e-mails and quantities', () => {
    assert.deepEqual(extractEntities('my zip is 94107 and order B20001'), { order_number: 'B20001', zip: '94107' });
    assert.equal(extractEntities('$94107').zip, undefined);
    assert.equal(extractEntities('write to Dana@Example.com').email, 'dana@example.com');
    assert.equal(extractEntities("we'd like a quote for 200 office chairs").quantity, 200);
  });
  it('survives empty, emoji-only and 10,000-character input', () => {
    assert.deepEqual(extractEntities(''), {});
    assert.deepEqual(extractEntities('😡😡😡'), {});
    assert.equal(extractEntities(`${'x'.repeat(9990)} A12345`).order_number, 'A12345');
  });
});

describe('value at risk', () => {
  const profile = { id: 'c', tier: 'standard' as const, orders: [{ number: 'A12345', total: 42.5 }, { number: 'C30001', total: 250 }] };
  it('stakes the order being discussed, not every order of the customer', () => {
    assert.deepEqual(valueAtRisk(profile, { order_number: 'A12345' }, 0), { tier: 'standard', maxOrderTotal: 250, amountNamed: 0, stake: 42.5 });
    assert.equal(valueAtRisk(profile, {}, 0).stake, 0);
    assert.equal(valueAtRisk(profile, { order_number: 'A12345' }, 300).stake, 300);
    assert.equal(valueAtRisk(null, {}, 0).tier, 'standard');
  });
});
