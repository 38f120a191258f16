/**
 * GET /metrics on the real start composition: a customer asks for a person, an agent accepts and
 * resolves, and a scrape — parsed as Prometheus' text exposition format, line by line — shows the
 * handoff by reason and queue, the accept's wait in the histogram, the bot turn, and the queue's
 * depth read from the store; without the token it is 401, without METRICS_TOKEN the route is off.
 */
import assert from 'node:assert/strict';
import { apiCall, conversationPath, customerHandsOff, openCustomer, signIn, startTestService, type TestService } from '../support/agent-service.js';

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A strict reader of the text format (0.0.4): every line a comment, blank, or `name{labels} value`. */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ');
      types.set(name!, type!);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    assert.ok(m, `not a Prometheus sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(labelRe)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[4]) });
  }
  return { samples, types };
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe('GET /metrics (Prometheus, prom-client) on handover start', function () {
  this.timeout(30_000);
  let t: TestService | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const scrape = async (token?: string): Promise<Response> =>
    fetch(`${t!.base}/metrics`, token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } });

  it('counts a handoff by reason and queue, the accept wait and the bot turns; shows queue depth; needs the token', async () => {
    t = await startTestService({ env: { METRICS_TOKEN: 'scrape-me' } });
    const bystander = await openCustomer(t);
    bystander.say('hi');
    await bystander.waitForText(/Acme Shop assistant/);

    const waiting = await customerHandsOff(t);
    const before = parseExposition(await (await scrape('scrape-me')).text()).samples;
    assert.equal(value(before, 'handover_queue_depth', { queue: 'support' }), 1, 'one customer waits in support');
    assert.ok((value(before, 'handover_queue_oldest_wait_seconds', { queue: 'support' }) ?? -1) >= 0);
    assert.equal(value(before, 'handover_queue_depth', { queue: 'billing' }), 0);

    const ana = await signIn(t.base, 'ana');
    assert.equal((await apiCall(t.base, 'POST', conversationPath(waiting.conversationId, 'accept'), { cookie: ana, body: {} })).status, 200);
    assert.equal((await apiCall(t.base, 'POST', conversationPath(waiting.conversationId, 'resolve'), { cookie: ana, body: {} })).status, 200);

    const res = await scrape('scrape-me');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const { samples, types } = parseExposition(await res.text());
    assert.equal(types.get('handover_handoffs_total'), 'counter');
    assert.equal(types.get('handover_wait_seconds'), 'histogram');
    assert.equal(value(samples, 'handover_handoffs_total', { reason: 'customer_request', queue: 'support' }), 1);
    assert.equal(value(samples, 'handover_agent_accepts_total', { queue: 'support' }), 1);
    assert.equal(value(samples, 'handover_resolved_total', { queue: 'support' }), 1);
    assert.equal(value(samples, 'handover_wait_seconds_count', { queue: 'support' }), 1);
    assert.equal(value(samples, 'handover_wait_seconds_bucket', { queue: 'support', le: '+Inf' }), 1);
    assert.equal(value(samples, 'handover_bot_turns_total', { channel: 'webchat' }), 2, "the bystander's hi and the request for a person");
    assert.equal(value(samples, 'handover_turn_duration_seconds_count', { channel: 'webchat' }), 2);
    assert.ok((value(samples, 'handover_turn_duration_seconds_sum', { channel: 'webchat' }) ?? 0) > 0);
    assert.equal(value(samples, 'handover_conversations_total'), 2);
    assert.equal(value(samples, 'handover_queue_depth', { queue: 'support' }), 0, 'taken: nobody waits');
    assert.ok((value(samples, 'process_resident_memory_bytes') ?? 0) > 0, "Node's process metrics are there too");

    assert.equal((await scrape()).status, 401, 'no token');
    assert.equal((await scrape('wrong')).status, 401, 'a wrong token');
  });

  it('is off (404) without METRICS_TOKEN', async () => {
    t = await startTestService({ env: { METRICS_TOKEN: '' } });
    assert.equal((await scrape('anything')).status, 404);
  });
});
