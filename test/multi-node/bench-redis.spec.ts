/**
 * `npm run bench`'s Redis section, run short: two forked worker processes on the real Redis, the
 * sample bot, every phase (serial and its floor, saturated, both paced loads with their in-load
 * probes and their floor alone, trigger to briefing across processes, memory). No timing is
 * asserted (speed is the benchmark's business); this checks that every figure is measured from
 * real turns, that nothing handed off unexpectedly, that every hand-off reached the other process,
 * and that the benchmark leaves nothing in Redis.
 */
import assert from 'node:assert/strict';
import { benchRedis } from '../../bench/redis.js';
import { connectTestRedis, REDIS_URL } from '../support/redis.js';

interface Figures {
  turns: number;
  p50Ms: number;
  p99Ms: number;
}

describe('npm run bench, Redis section (a short run)', function () {
  this.timeout(120_000);

  it('measures every phase from real turns, hands nothing off unexpectedly, delivers every briefing and leaves no key behind', async () => {
    const r = (await benchRedis({ url: REDIS_URL, warmMs: 500, serialMs: 800, saturatedMs: 800, pacedMs: 1_500, thinkMs: 200, humanMs: 1_500, humanThinkMs: 400, triggerEveryMs: 100 })) as Record<string, unknown>;
    assert.equal(r.skipped, undefined, String(r.skipped));
    const phase = (name: string) => r[name] as Figures & { floor?: Figures; floorAlone?: Figures; ratioToFloor?: { p50: number; p99: number }; unexpectedHandoffs?: number };
    for (const name of ['serial', 'saturated', 'paced', 'pacedHuman']) {
      const p = phase(name);
      assert.ok(p.turns > 0, `${name}: no turns timed`);
      assert.ok(p.p50Ms > 0 && p.p99Ms >= p.p50Ms, `${name}: p50 ${p.p50Ms}, p99 ${p.p99Ms}`);
      if (p.unexpectedHandoffs !== undefined) assert.equal(p.unexpectedHandoffs, 0, `${name}: calm scenarios handed off`);
    }
    for (const name of ['serial', 'paced', 'pacedHuman']) {
      const p = phase(name);
      assert.ok(p.floor !== undefined && p.floor.turns > 0, `${name}: no floor turns`);
      assert.ok(p.ratioToFloor !== undefined && p.ratioToFloor.p50 > 0, `${name}: no ratio to the floor`);
    }
    for (const name of ['paced', 'pacedHuman']) assert.ok((phase(name).floorAlone?.turns ?? 0) > 0, `${name}: no floor-alone turns`);

    const t = r.triggerToAgent as { triggered: number; missing: number; briefing: { count: number } };
    assert.ok(t.triggered > 0, 'no hand-off triggered');
    assert.equal(t.missing, 0, 'a briefing never reached the other process');
    assert.equal(t.briefing.count, t.triggered);

    const mem = r.redisMemory as { conversations: number; bytesPerConversation: number };
    assert.ok(mem.conversations > 0 && mem.bytesPerConversation > 500, JSON.stringify(mem));

    const admin = await connectTestRedis();
    try {
      const left: string[] = [];
      for await (const keys of admin.scanIterator({ MATCH: `handover-bench:${process.pid}:*`, COUNT: 1000 })) left.push(...keys);
      assert.deepEqual(left, []);
    } finally {
      await admin.close();
    }
  });
});
