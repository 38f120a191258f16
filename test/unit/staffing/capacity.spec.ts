import assert from 'node:assert/strict';
import { fits, maxFlow, shortQueues, type SupplyNode } from '../../../src/staffing/capacity.js';

const MIN = 60_000;
const agent = (minutes: number, queues: Record<string, number>): SupplyNode => ({ supplyMs: minutes * MIN, edges: new Map(Object.entries(queues).map(([q, m]) => [q, m * MIN])) });
const work = (w: Record<string, number>) => new Map(Object.entries(w).map(([q, m]) => [q, m * MIN]));

describe('capacity: can these agents do this work in this span?', () => {
  it('counts an agent who works several queues once, not once per queue', () => {
    const ana = agent(30, { support: 30, billing: 30 });
    assert.equal(fits(work({ support: 18, billing: 12 }), [ana]), true);
    assert.equal(fits(work({ support: 18, billing: 14 }), [ana]), false, '32 minutes of work in her 30');
    assert.equal(fits(work({ support: 18 }), [ana]) && fits(work({ billing: 14 }), [ana]), true, 'each queue alone would fit: the double count the old formula made');
  });

  it('routes work to whoever can take it (a maximum flow, not a greedy split)', () => {
    const ana = agent(30, { support: 30, billing: 30 });
    const bob = agent(30, { billing: 30 });
    // support can only go to Ana, so billing must go to Bob first
    assert.equal(fits(work({ support: 30, billing: 30 }), [ana, bob]), true);
    assert.equal(fits(work({ support: 31, billing: 29 }), [ana, bob]), false);
    const r = maxFlow(work({ support: 40, billing: 10 }), [ana, bob]);
    assert.equal(r.total, 40 * MIN);
    assert.equal(r.served.get('support'), 30 * MIN);
    assert.deepEqual(shortQueues(work({ support: 40, billing: 10 }), [ana, bob]), ['support']);
  });

  it("caps a queue's share by its opening hours inside the shift", () => {
    // 30 minutes on shift, but the queue closes after the first 10
    assert.equal(fits(work({ sales: 10 }), [agent(30, { sales: 10 })]), true);
    assert.equal(fits(work({ sales: 11 }), [agent(30, { sales: 10 })]), false);
  });

  it('has room for nothing without agents, and for no work at all', () => {
    assert.equal(fits(work({ support: 1 }), []), false);
    assert.equal(fits(new Map(), []), true);
  });
});
