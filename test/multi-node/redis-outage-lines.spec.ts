/**
 * A real `handover start` on its own Redis (AOF, fsync every second), which is killed -9 and
 * restarted while customers type. What must hold (issue 12, "Outages"): no line acknowledged to a
 * customer is lost; a line sent meanwhile is refused by name (widget: an error frame naming it;
 * Direct Line: 503 + Retry-After, never 500), the widget socket is told lines cannot be stored
 * (`status`), and the line is stored exactly once when sent again; every acknowledged line is
 * answered by the bot once Redis is back.
 *
 * The customers here speak the widget protocol as the widget does (`clientActivityId` on every line,
 * resent after a refusal); the same outage in Chromium with the real widget: test/browser/webchat-outage.spec.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';
import { eventually, spawnHandover, type HandoverProcess } from '../support/handover-processes.js';
import { startRedisServer, type RedisServerProcess } from '../support/redis-server.js';
import { uniquePrefix } from '../support/redis.js';
import { JsonSocket } from '../support/webchat-clients.js';

type Json = Record<string, unknown>;

interface Line {
  readonly clientId: string;
  readonly text: string;
  acked: boolean;
  refusals: number;
}

/** A customer on the widget socket that keeps every line until it is acknowledged and sends a refused one again. */
class CarefulCustomer {
  readonly lines = new Map<string, Line>();
  readonly statuses: boolean[] = [];
  /** Messages from the bot (or an agent) seen on the socket. */
  botMessages = 0;
  private n = 0;

  private constructor(
    private readonly socket: JsonSocket,
    readonly webchatId: string,
  ) {
    socket.ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as Json;
      if (f['type'] === 'ack') this.acked(String(f['clientActivityId']));
      else if (f['type'] === 'status') this.statuses.push(f['sending'] === true);
      else if (f['type'] === 'activities') {
        // an echo acknowledges a line as well (what an older server sends)
        for (const a of f['activities'] as Json[]) {
          if (a['type'] === 'message' && (a['from'] as Json | undefined)?.['role'] !== 'user') this.botMessages++;
          const id = (a['channelData'] as Json | undefined)?.['clientActivityID'];
          if (typeof id === 'string') this.acked(id);
        }
      } else if (f['type'] === 'error' && typeof f['clientActivityId'] === 'string') {
        const line = this.lines.get(f['clientActivityId']);
        if (line === undefined || line.acked) return;
        line.refusals++;
        const wait = typeof f['retryAfterMs'] === 'number' ? f['retryAfterMs'] : 1000;
        setTimeout(() => this.put(line), Math.min(wait, 1000));
      }
    });
  }

  static async start(ws: string): Promise<CarefulCustomer> {
    const socket = await JsonSocket.open(`${ws}/webchat/ws`);
    socket.send({ type: 'start', locale: 'en' });
    const session = await socket.waitFor((f) => f['type'] === 'session');
    await socket.waitFor((f) => f['type'] === 'activities');
    return new CarefulCustomer(socket, String(session['conversationId']));
  }

  say(): void {
    const n = this.n++;
    const line: Line = { clientId: `${this.webchatId}-${n}-${randomUUID().slice(0, 6)}`, text: n % 2 === 0 ? 'hello' : 'thanks', acked: false, refusals: 0 };
    this.lines.set(line.clientId, line);
    this.put(line);
  }

  unacked(): Line[] {
    return [...this.lines.values()].filter((l) => !l.acked);
  }

  close(): Promise<number> {
    return this.socket.close();
  }

  private put(line: Line): void {
    if (line.acked || this.socket.closedWith !== undefined) return;
    this.socket.send({ type: 'message', text: line.text, clientActivityId: line.clientId });
  }

  private acked(clientId: string): void {
    const line = this.lines.get(clientId);
    if (line !== undefined) line.acked = true;
  }
}

describe('handover start, Redis killed -9 and restarted (AOF everysec): customer lines', function () {
  this.timeout(60_000);
  let redis: RedisServerProcess;
  let proc: HandoverProcess | undefined;
  let admin: RedisClient | undefined;
  const customers: CarefulCustomer[] = [];

  before(async () => {
    redis = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '']);
  });
  after(async () => {
    await Promise.all(customers.splice(0).map((c) => c.close().catch(() => undefined)));
    await proc?.stop();
    await admin?.close().catch(() => undefined);
    await redis?.destroy();
  });

  it('loses no acknowledged line, refuses the others by name (503 + Retry-After on Direct Line), stores each resend once and answers every line', async () => {
    const prefix = uniquePrefix();
    proc = await spawnHandover({ REDIS_URL: redis.url, REDIS_PREFIX: prefix });
    const p = proc;
    customers.push(...(await Promise.all(Array.from({ length: 10 }, () => CarefulCustomer.start(p.ws)))));
    const dlStart = await fetch(`${p.base}/v3/directline/conversations`, { method: 'POST' });
    const dl = (await dlStart.json()) as { conversationId: string; token: string };
    const dlPost = (text: string, clientActivityID: string): Promise<Response> =>
      fetch(`${p.base}/v3/directline/conversations/${dl.conversationId}/activities`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${dl.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'message', text, channelData: { clientActivityID } }),
      });

    // Warm the process first (its first turns load the recogniser and compile the bot's code): a
    // process busy with that when Redis dies would only hold the lines and store them once Redis is
    // back, and the outage would refuse nothing.
    const greeted = customers.map((c) => c.botMessages);
    customers.forEach((c) => c.say());
    await eventually(() => customers.every((c, i) => c.unacked().length === 0 && c.botMessages > greeted[i]!), 'the first line of every customer acknowledged and answered', 20_000);
    // Every customer types a line every 100 ms for 6 s; Redis dies at 1.5 s and is back at 4 s.
    const typing = setInterval(() => customers.forEach((c) => c.say()), 100);
    let dlDuring: { status: number; retryAfter: string | null; code: unknown } | undefined;
    try {
      await new Promise((r) => setTimeout(r, 1500));
      await redis.kill9();
      const killedAt = Date.now();
      // told at once, before typing anything
      const heard = await eventually(() => customers.every((c) => c.statuses.includes(false)), 'every socket told lines cannot be stored', 3000).then(
        () => true,
        () => false,
      );
      const res = await dlPost('hello', `dl-outage-${randomUUID()}`);
      dlDuring = { status: res.status, retryAfter: res.headers.get('retry-after'), code: ((await res.json()) as { error?: Json }).error?.['code'] };
      const dlMs = Date.now() - killedAt;
      await new Promise((r) => setTimeout(r, Math.max(0, 2500 - (Date.now() - killedAt))));
      await redis.restart();
      await new Promise((r) => setTimeout(r, 2000));
      process.stdout.write(`      outage: status frames ${heard ? 'heard by all 10 sockets' : 'NOT heard'}; Direct Line POST answered ${dlDuring.status} (Retry-After ${dlDuring.retryAfter}) after ${dlMs} ms\n`);
    } finally {
      clearInterval(typing);
    }
    // a resend a customer makes after the Direct Line refusal
    const dlResend = await dlPost('hello', 'dl-resend-1');
    const dlResendAgain = await dlPost('hello', 'dl-resend-1');

    await eventually(() => customers.every((c) => c.unacked().length === 0), 'every line acknowledged (resent as needed)', 15_000).catch(() => undefined);
    const a = await redis.connect();
    admin = a;
    const history = async (webchatId: string): Promise<Json[]> =>
      (await a.lRange(`${prefix}:activity:{${webchatId}}:items`, 0, -1)).map((j) => JSON.parse(j) as Json);
    const clientIdOf = (x: Json): unknown => (x['channelData'] as Json | undefined)?.['clientActivityID'];

    const count = async () => {
      let lines = 0;
      let acked = 0;
      let refused = 0;
      let lost = 0;
      let duplicated = 0;
      let unanswered = 0;
      for (const c of customers) {
        const h = await history(c.webchatId);
        const stored = new Map<string, Json[]>();
        for (const x of h) {
          const id = clientIdOf(x);
          if (typeof id === 'string') stored.set(id, [...(stored.get(id) ?? []), x]);
        }
        // a line is answered by a bot-side message replying to it or to a later line (a bot that reads several lines as one turn answers the last)
        const replied = new Set(h.filter((x) => (x['from'] as Json | undefined)?.['role'] !== 'user').map((x) => x['replyToId']));
        const userIds = h.filter((x) => (x['from'] as Json | undefined)?.['role'] === 'user').map((x) => x['id']);
        let answeredUpTo = -1;
        userIds.forEach((id, i) => {
          if (replied.has(id)) answeredUpTo = i;
        });
        for (const line of c.lines.values()) {
          lines++;
          if (line.refusals > 0) refused++;
          const copies = stored.get(line.clientId) ?? [];
          if (line.acked) acked++;
          if (line.acked && copies.length === 0) lost++;
          if (copies.length > 1) duplicated++;
          if (copies.length > 0 && userIds.indexOf(copies[0]!['id']) > answeredUpTo) unanswered++;
        }
      }
      return { lines, acked, refused, lost, duplicated, unanswered };
    };
    // the turns of lines stored just before the kill ran into the outage: they are run again (turn inbox)
    let tally = await count();
    const deadline = Date.now() + 25_000;
    while (tally.unanswered > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      tally = await count();
    }
    process.stdout.write(
      `      ${tally.lines} lines typed: ${tally.acked} acknowledged, ${tally.refused} refused at least once, ` +
        `${tally.lost} acknowledged and lost, ${tally.duplicated} stored twice, ${tally.lines - tally.acked} never acknowledged, ${tally.unanswered} stored and unanswered\n`,
    );
    assert.equal(dlDuring?.status, 503, 'Direct Line refuses a line it cannot store with 503');
    assert.ok(Number(dlDuring?.retryAfter) >= 1, 'with Retry-After');
    assert.equal(dlDuring?.code, 'HANDOVER_ERR_STORE_UNAVAILABLE');
    assert.ok(customers.every((c) => c.statuses.includes(false) && c.statuses.at(-1) === true), 'sockets told when lines cannot be stored, and when they can again');
    assert.ok(tally.refused > 0, 'the outage refused lines (the test exercised it)');
    assert.equal(tally.lost, 0, 'no acknowledged line lost');
    assert.equal(tally.lines - tally.acked, 0, 'every line typed was acknowledged in the end');
    assert.equal(tally.duplicated, 0, 'each line stored once');
    assert.equal(tally.unanswered, 0, 'every stored line answered');
    assert.equal(dlResend.status, 200);
    assert.equal(dlResendAgain.status, 200);
    assert.equal(((await dlResendAgain.json()) as Json)['id'], ((await dlResend.json()) as Json)['id'], 'a Direct Line resend is the same line');
    const dlHistory = await history(dl.conversationId);
    assert.equal(dlHistory.filter((x) => clientIdOf(x) === 'dl-resend-1').length, 1);
  });
});
