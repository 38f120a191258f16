/**
 * Server timeouts (issue 14), on a real `handover start` with short manifest.json `limits.http`:
 * 200 slowloris connections (headers sent a line at a time, never finished) are closed by the
 * headers timeout with a 408 while normal requests keep being served; a request body that stalls is
 * closed with a 408 after the body idle timeout; one that trickles forever by the request timeout;
 * an idle keep-alive connection by the keep-alive timeout; a widget socket whose peer stops
 * answering pings by the WebSocket idle timeout. And malformed percent-encoding is never a 500.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import WebSocket from 'ws';
import { makeRoot, spawnHandoverIn } from '../support/custom-root.js';
import { DESK_TOKEN, type HandoverProcess } from '../support/handover-processes.js';


/** A raw TCP client: what it received and when the server closed it (ms after `openedAt`). */
interface RawClient {
  readonly socket: net.Socket;
  readonly openedAt: number;
  received: string;
  closedAfterMs: number | undefined;
  closed: Promise<void>;
}

function connect(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const c: RawClient = { socket, openedAt: Date.now(), received: '', closedAfterMs: undefined, closed: Promise.resolve() };
    c.closed = new Promise((done) =>
      socket.once('close', () => {
        c.closedAfterMs = Date.now() - c.openedAt;
        done();
      }),
    );
    socket.on('data', (d) => (c.received += d.toString()));
    socket.on('error', () => {});
    socket.once('connect', () => resolve(c));
    socket.once('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('handover start: HTTP and WebSocket timeouts (manifest.json limits.http)', function () {
  this.timeout(60_000);
  let root: ReturnType<typeof makeRoot>;
  let proc: HandoverProcess;
  let port: number;

  before(async () => {
    root = makeRoot((m) => ({
      ...m,
      limits: {
        http: {
          headersTimeoutSeconds: 1,
          requestTimeoutSeconds: 3,
          bodyIdleTimeoutSeconds: 0.5,
          keepAliveTimeoutSeconds: 0.5,
          webSocketIdleSeconds: 1,
          webSocketHelloSeconds: 30,
        },
      },
    }));
    proc = await spawnHandoverIn(root.dir, {});
    port = Number(new URL(proc.base).port);
  });
  after(async () => {
    await proc?.stop();
    root?.remove();
  });

  it('closes 200 slowloris connections by the headers timeout (408) while normal requests are served', async () => {
    const loris = await Promise.all(Array.from({ length: 200 }, () => connect(port)));
    for (const c of loris) c.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // one more header line every 200 ms, never the blank line that ends them
    let n = 0;
    const drip = setInterval(() => {
      n++;
      for (const c of loris) if (c.closedAfterMs === undefined) c.socket.write(`X-Slow-${n}: ${'a'.repeat(10)}\r\n`);
    }, 200);
    const served: number[] = [];
    const latencies: number[] = [];
    const normal = (async () => {
      while (loris.some((c) => c.closedAfterMs === undefined) && served.length < 200) {
        const t = Date.now();
        const r = await fetch(`${proc.base}/healthz`);
        await r.text();
        latencies.push(Date.now() - t);
        served.push(r.status);
        await sleep(50);
      }
    })();
    const all = Promise.all(loris.map((c) => c.closed));
    await Promise.race([all, sleep(15_000)]);
    clearInterval(drip);
    await normal;
    const closedAt = loris.map((c) => c.closedAfterMs ?? Infinity).sort((a, b) => a - b);
    const with408 = loris.filter((c) => c.received.startsWith('HTTP/1.1 408')).length;
    process.stdout.write(
      `      slowloris: 200 closed after ${closedAt[0]}–${closedAt[199]} ms (408 on ${with408}); meanwhile ${served.length} normal requests, all ${[...new Set(served)].join('/')}, slowest ${Math.max(...latencies)} ms\n`,
    );
    for (const c of loris) c.socket.destroy();
    assert.ok(closedAt[199]! < 5000, `the last slowloris connection was closed after ${closedAt[199]} ms (headers timeout 1 s)`);
    assert.ok(closedAt[0]! >= 900, `closed after ${closedAt[0]} ms: before the headers timeout`);
    assert.equal(with408, 200);
    assert.ok(served.length >= 5, `${served.length} normal requests`);
    assert.ok(served.every((s) => s === 200));
  });

  it('closes a stalled request body with 408 after the body idle timeout; the service answers the next request', async () => {
    const c = await connect(port);
    c.socket.write('POST /v3/directline/conversations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user":');
    await Promise.race([c.closed, sleep(10_000)]);
    process.stdout.write(`      stalled body: closed after ${c.closedAfterMs} ms, answer ${JSON.stringify(c.received.split('\r\n')[0])}\n`);
    assert.ok(c.closedAfterMs !== undefined && c.closedAfterMs >= 450 && c.closedAfterMs < 3000, `closed after ${c.closedAfterMs} ms (body idle 0.5 s)`);
    assert.match(c.received, /^HTTP\/1\.1 408 /);
    assert.match(c.received, /HANDOVER_ERR_REQUEST_TIMEOUT/);
    const ok = await fetch(`${proc.base}/v3/directline/conversations`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(ok.status, 201);
  });

  it('closes a body that trickles past the request timeout, and an idle keep-alive connection', async () => {
    const c = await connect(port);
    c.socket.write('POST /v3/directline/conversations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n');
    // a byte every 200 ms: never idle for 0.5 s, but the whole request takes too long
    const trickle = setInterval(() => c.closedAfterMs === undefined && c.socket.write(' '), 200);
    await Promise.race([c.closed, sleep(12_000)]);
    clearInterval(trickle);
    assert.ok(c.closedAfterMs !== undefined && c.closedAfterMs >= 2900 && c.closedAfterMs < 6000, `closed after ${c.closedAfterMs} ms (request timeout 3 s)`);
    assert.match(c.received, /^HTTP\/1\.1 408 /);

    const k = await connect(port);
    k.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    await Promise.race([k.closed, sleep(10_000)]);
    process.stdout.write(`      trickling body: closed after ${c.closedAfterMs} ms; idle keep-alive: closed after ${k.closedAfterMs} ms\n`);
    assert.match(k.received, /^HTTP\/1\.1 200 /);
    assert.ok(k.closedAfterMs !== undefined && k.closedAfterMs < 3000, `keep-alive connection closed after ${k.closedAfterMs} ms (0.5 s)`);
  });

  it('answers malformed percent-encoding in path ids with 4xx, never 500 (Direct Line 400, console API 404)', async () => {
    const dl = await fetch(`${proc.base}/v3/directline/conversations/%E0%A4%A`);
    const api = await fetch(`${proc.base}/api/conversations/%E0%A4%A`, { headers: { Authorization: `Bearer ${DESK_TOKEN}` } });
    const transcript = await fetch(`${proc.base}/api/conversations/%E0%A4%A/transcript`, { headers: { Authorization: `Bearer ${DESK_TOKEN}` } });
    assert.equal(dl.status, 400);
    assert.equal(((await dl.json()) as { error: { code: string } }).error.code, 'HANDOVER_ERR_BAD_REQUEST');
    assert.equal(api.status, 404);
    assert.equal(transcript.status, 404);
    assert.ok(!/request handler failed/.test(proc.stderr()), proc.stderr());
  });

  it('closes a widget socket whose peer stops answering pings after the WebSocket idle timeout; a live one stays', async () => {
    const open = (autoPong: boolean): Promise<{ ws: WebSocket; closed: Promise<number>; at: number }> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`${proc.ws}/webchat/ws`, { autoPong });
        const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)));
        ws.once('open', () => {
          ws.send(JSON.stringify({ type: 'start', locale: 'en' }));
          resolve({ ws, closed, at: Date.now() });
        });
        ws.once('error', reject);
      });
    const dead = await open(false);
    const live = await open(true);
    let liveClosed = false;
    void live.closed.then(() => (liveClosed = true));
    const code = await Promise.race([dead.closed, sleep(10_000).then(() => -1)]);
    const after = Date.now() - dead.at;
    process.stdout.write(`      silent WebSocket peer: closed (${code}) after ${after} ms\n`);
    assert.notEqual(code, -1, 'the silent socket was not closed');
    assert.ok(after >= 900 && after < 4000, `closed after ${after} ms (idle 1 s)`);
    await sleep(1500);
    assert.equal(liveClosed, false, 'a socket that answers pings stays open');
    live.ws.close();
    await live.closed;
  });
});
