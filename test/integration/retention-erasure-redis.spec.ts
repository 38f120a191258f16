/**
 * Retention and erasure on Redis (issue 14), on the real `handover start` composition with its own
 * key prefix: after a realistic run (customers chatting with the bot, handoffs accepted, resolved,
 * returned, a booked callback, one waiting, agent messages, a dead letter, web chat history) every
 * key under the prefix has a TTL of its class (manifest.json `retention`, a distinct number of
 * days per class here so each TTL names its class) except a short allow-list of keys that hold no
 * conversation's data and the open handoffs' own keys; then `handover erase` (a real process)
 * leaves no key of that customer, other customers untouched, and exits 2 with a clear message on
 * bad input.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { conversationId } from '../../src/core/ids.js';
import { memoryKey } from '../../src/handoff/conversation-memory.js';
import { subjectOf } from '../../src/handoff/customer-erasure.js';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { apiCall, conversationPath, customerHandsOff, nextEvent, openCustomer, signIn, startTestService, type TestCustomer, type TestService } from '../support/agent-service.js';
import { connectTestRedis, deleteByPrefix, REDIS_URL, uniquePrefix } from '../support/redis.js';

type Json = Record<string, unknown>;
const DAY = 24 * 60 * 60 * 1000;
const DESK_TOKEN = 'desk-token-0123456789abcdef';
/** A distinct number of days per class: a key's TTL tells its class. */
const RETENTION = { transcriptsDays: 11, briefingsDays: 12, botStateDays: 13, closedHandoffsDays: 14, webChatHistoryDays: 15, deadLettersDays: 16, relayStreamsDays: 17, auditDays: 18 };

/**
 * Keys kept without TTL, each holding no conversation's content:
 * - queue:*, deadlines, agent:*:assigned — indexes of open handoffs (ids only), emptied by the transitions themselves;
 * - activity-recent — web chat ids by last activity, pruned by the history's own sweep (createActivityLog-2.lua);
 * - inbox, inbox:items — customer lines not answered yet (seconds), removed when answered;
 * - bursts, bursts:claimed — conversations with a burst open now (seconds);
 * - doc:presence:*, doc:staffing:*, doc:callback-slots, doc:callback-recheck — staff and slot times, no customer.
 */
const ALLOW_WITHOUT_TTL = [/:queue:[^:]+$/, /:deadlines$/, /:agent:[^:]+:assigned$/, /:activity-recent$/, /:inbox$/, /:inbox:items$/, /:bursts$/, /:bursts:claimed$/, /:doc:presence:/, /:doc:staffing:/, /:doc:callback-slots$/, /:doc:callback-recheck$/];

/** `handover …` as a real process, in `cwd` (where its manifest.json is: the audit's retention). */
function runCli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.resolve('bin/handover.cjs'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, REDIS_URL: '' }, timeout: 50_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

describe('retention and erasure on Redis (handover start, its own prefix)', function () {
  this.timeout(120_000);
  let redis: RedisClient;
  let root: string;
  let prefix: string;
  let t: TestService;
  let ana: string;
  const customers: Record<string, TestCustomer> = {};
  const open = new Set<string>();

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'handover-retention-'));
    const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as Record<string, unknown>;
    manifest['retention'] = RETENTION;
    writeFileSync(path.join(root, 'manifest.json'), JSON.stringify(manifest));
    for (const dir of ['dialogs', 'locales', 'data', 'nlu']) symlinkSync(path.resolve(dir), path.join(root, dir));
    redis = await connectTestRedis();
    prefix = uniquePrefix();
    t = await startTestService({ root, store: REDIS_URL, allowVolatileRedis: true, env: { REDIS_URL, REDIS_PREFIX: prefix, HANDOVER_API_TOKENS: `helpdesk:${DESK_TOKEN}` } });
    ana = await signIn(t.base, 'ana');
  });

  after(async () => {
    for (const c of Object.values(customers)) c.socket.close();
    await t?.close();
    if (redis !== undefined) {
      await deleteByPrefix(redis, prefix);
      await redis.close();
    }
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  const call = (method: string, p: string, body?: unknown) => apiCall(t.base, method, p, { cookie: ana, ...(body === undefined ? {} : { body }) });

  async function keysUnder(): Promise<string[]> {
    const out: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) out.push(...(batch as unknown as string[]));
    return out.sort();
  }

  async function customerIdOf(c: TestCustomer): Promise<string> {
    const until = Date.now() + 10_000;
    for (;;) {
      const doc = await t.svc.stores.documents.read<{ customerId: string }>(memoryKey(conversationId(c.conversationId)));
      if (doc !== undefined && doc.value.customerId !== '') return doc.value.customerId;
      if (Date.now() > until) throw new Error(`no customer in the memory of ${c.conversationId}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('after a realistic run every key has the TTL of its class, but an allow-list of index keys and the open handoffs', async () => {
    // resolved: accepted, an agent message, resolved
    const resolved = (customers['resolved'] = await customerHandsOff(t));
    assert.equal((await call('POST', conversationPath(resolved.conversationId, 'accept'), {})).status, 200);
    assert.equal((await call('POST', conversationPath(resolved.conversationId, 'messages'), { text: 'Hi, Ana here.' })).status, 202);
    await resolved.waitForText('Hi, Ana here.');
    assert.equal((await call('POST', conversationPath(resolved.conversationId, 'resolve'), {})).status, 200);
    // returned to the bot, then talks to the bot
    const returned = (customers['returned'] = await customerHandsOff(t));
    assert.equal((await call('POST', conversationPath(returned.conversationId, 'accept'), {})).status, 200);
    assert.equal((await call('POST', conversationPath(returned.conversationId, 'return'), { note: 'done' })).status, 200);
    returned.say('where is my order K48213');
    // booked for a callback (open) and waiting (open)
    const booked = (customers['booked'] = await customerHandsOff(t));
    const bookedId = conversationId(booked.conversationId);
    const slot = await t.svc.app.callbacks.offer('support', 0, 0, { conversationId: bookedId });
    assert.ok(slot !== null, 'a callback slot');
    assert.deepEqual(await t.svc.app.callbacks.book(bookedId, 'support', slot.start), { ok: true, at: slot.start });
    const waiting = (customers['waiting'] = await customerHandsOff(t));
    // only the bot
    const chatty = (customers['chatty'] = await openCustomer(t));
    chatty.say('hello');
    // a dead letter: an agent message to a chat whose history is gone
    const lost = (customers['lost'] = await customerHandsOff(t));
    assert.equal((await call('POST', conversationPath(lost.conversationId, 'accept'), {})).status, 200);
    await redis.unlink([`${prefix}:activity:{${lost.conversationId.slice('webchat:'.length)}}`, `${prefix}:activity:{${lost.conversationId.slice('webchat:'.length)}}:items`]);
    const dead = nextEvent(t, (e) => e.type === 'relay.dead_lettered');
    assert.equal((await call('POST', conversationPath(lost.conversationId, 'messages'), { text: 'are you there?' })).status, 202);
    await dead;
    assert.equal((await call('POST', conversationPath(lost.conversationId, 'resolve'), {})).status, 200);
    await customerIdOf(chatty);
    await customerIdOf(returned);
    for (const c of [booked, waiting]) open.add(c.conversationId);

    const keys = await keysUnder();
    const ttl = new Map<string, number>();
    for (const k of keys) ttl.set(k, await redis.pTTL(k));
    const openTags = [...open].map((id) => `{${id}}`);
    const openHandoffIds = new Set<string>();
    for (const id of open) openHandoffIds.add(String((await t.svc.stores.handoffs.get(conversationId(id))).handoffId));
    const without = keys.filter((k) => ttl.get(k) === -1);
    const unexplained = without.filter((k) => !ALLOW_WITHOUT_TTL.some((re) => re.test(k)) && !openTags.some((tag) => k.endsWith(tag)) && ![...openHandoffIds].some((h) => k.endsWith(`:packet:${h}`)));
    assert.deepEqual(unexplained, [], `keys without TTL (of ${keys.length})`);
    // the open handoffs' state and transcript are kept without TTL
    for (const id of open) {
      assert.equal(ttl.get(`${prefix}:handoff:{${id}}`), -1, `open ${id}`);
      assert.equal(ttl.get(`${prefix}:transcript:{${id}}`), -1);
    }

    // each class's TTL is its retention (minus the seconds this test took)
    const near = (key: string, days: number): void => {
      const v = ttl.get(key);
      assert.ok(v !== undefined && v > days * DAY - 120_000 && v <= days * DAY, `${key}: ${v} ms, expected ~${days} days`);
    };
    const id = resolved.conversationId;
    const wid = id.slice('webchat:'.length);
    near(`${prefix}:handoff:{${id}}`, RETENTION.closedHandoffsDays);
    near(`${prefix}:transcript:{${id}}`, RETENTION.transcriptsDays);
    near(`${prefix}:packets:{${id}}`, RETENTION.briefingsDays);
    near(`${prefix}:packet:${String((await t.svc.stores.handoffs.get(conversationId(id))).handoffId)}`, RETENTION.briefingsDays);
    near(`${prefix}:doc:memory:${id}`, RETENTION.botStateDays);
    near(`${prefix}:activity:{${wid}}`, RETENTION.webChatHistoryDays);
    near(`${prefix}:activity:{${wid}}:items`, RETENTION.webChatHistoryDays);
    near(`${prefix}:relay-dead`, RETENTION.deadLettersDays);
    near(`${prefix}:relay:{webchat}`, RETENTION.relayStreamsDays);
    near(`${prefix}:customer:{${await customerIdOf(resolved)}}`, RETENTION.relayStreamsDays); // the longest conversation class
    near(`${prefix}:handoff:{${returned.conversationId}}`, RETENTION.closedHandoffsDays);
    near(`${prefix}:transcript:{${returned.conversationId}}`, RETENTION.transcriptsDays); // restarted by the bot's part
    near(`${prefix}:transcript:{${chatty.conversationId}}`, RETENTION.transcriptsDays);
    assert.ok(keys.some((k) => /:doc:botstate:/.test(k)), 'the bot state is there');
    for (const k of keys.filter((k) => /:doc:botstate:/.test(k))) near(k, RETENTION.botStateDays);
    const booking = ttl.get(`${prefix}:doc:callback-booking:${booked.conversationId}`)!;
    assert.ok(booking > RETENTION.closedHandoffsDays * DAY, `a booking lives until its time + closedHandoffsDays: ${booking}`);
    process.stdout.write(`      ${keys.length} keys under the prefix, ${without.length} without TTL (allow-list: ${without.filter((k) => ALLOW_WITHOUT_TTL.some((re) => re.test(k))).length}, open handoffs: ${without.length - without.filter((k) => ALLOW_WITHOUT_TTL.some((re) => re.test(k))).length})\n`);
  });

  it('handover erase --customer leaves no key of the customer, others untouched, audited; bad input exits 2 with a message', async () => {
    const c = customers['resolved']!;
    const customer = await customerIdOf(c);
    const wid = c.conversationId.slice('webchat:'.length);
    const mine = (k: string): boolean => k.includes(wid) || k.includes(customer);
    const before = await keysUnder();
    assert.ok(before.filter(mine).length >= 6, `the customer's keys: ${before.filter(mine).join(', ')}`);
    const others = before.filter((k) => !mine(k) && (k.includes(customers['chatty']!.conversationId.slice(8)) || k.includes(customers['waiting']!.conversationId.slice(8))));

    const noCustomer = await runCli(['erase', '--store', REDIS_URL, '--prefix', prefix], root);
    assert.equal(noCustomer.code, 2);
    assert.match(noCustomer.stderr, /--customer ID is required/);
    const memory = await runCli(['erase', '--customer', customer, '--store', 'memory'], root);
    assert.equal(memory.code, 2);
    assert.match(memory.stderr, /DELETE \/api\/customers/);
    const badId = await runCli(['erase', '--customer', 'a b', '--store', REDIS_URL, '--prefix', prefix], root);
    assert.equal(badId.code, 2);
    assert.match(badId.stderr, /customer id "a b" is invalid/);
    const waitingCustomer = await customerIdOf(customers['waiting']!);
    const refused = await runCli(['erase', '--customer', waitingCustomer, '--store', REDIS_URL, '--prefix', prefix], root);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /HANDOVER_ERR_NOT_IN_STATE: .*open handoff.*\(queued\).*--force/);

    const r = await runCli(['erase', '--customer', customer, '--store', REDIS_URL, '--prefix', prefix, '--by', 'dpo'], root);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Json;
    assert.deepEqual(report['conversationIds'], [c.conversationId]);
    const removed = report['removed'] as Record<string, number>;
    assert.equal(removed['conversations'], 1);
    assert.equal(removed['handoffStates'], 1);
    assert.equal(removed['conversationMemory'], 1);
    assert.equal(removed['briefings'], 1);
    assert.ok(removed['botState']! >= 1, `bot state ${removed['botState']}`);
    assert.equal(removed['transcriptLines'], (report['removed'] as Record<string, number>)['transcriptLines']);
    assert.ok(removed['transcriptLines']! >= 5 && removed['webChatHistory']! >= 3, JSON.stringify(removed));

    const after = await keysUnder();
    assert.deepEqual(after.filter(mine), [], 'no key names the conversation or the customer');
    for (const k of others) assert.ok(after.includes(k), `another customer's key stays: ${k}`);
    assert.equal((await call('GET', conversationPath(c.conversationId))).status, 404);
    assert.equal((await call('GET', conversationPath(customers['returned']!.conversationId))).status, 200);
    const audit = await redis.zRange(`${prefix}:audit`, 0, -1);
    assert.equal(audit.length, 1);
    const line = JSON.parse(audit[0]!) as Json;
    assert.equal(line['by'], 'cli:dpo');
    assert.equal(line['subject'], subjectOf(customer));
    assert.deepEqual(line['counts'], removed);
    assert.ok(!audit[0]!.includes(customer) && !audit[0]!.includes(wid), 'the audit names neither the customer nor the conversation');
    const auditTtl = await redis.pTTL(`${prefix}:audit`);
    assert.ok(auditTtl > RETENTION.auditDays * DAY - 120_000 && auditTtl <= RETENTION.auditDays * DAY, `audit TTL ${auditTtl}`);
  });
});
