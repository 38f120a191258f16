import assert from 'node:assert/strict';
import net from 'node:net';
import { createHttpServer, type HttpServer, type ServerLog } from '../../src/server/http-server.js';
import { HandoverError } from '../../src/core/errors.js';

describe('http server: composed handlers', () => {
  let srv: HttpServer;
  let base: string;
  const logged: string[] = [];
  const log: ServerLog = { info: () => {}, error: (m, meta) => logged.push(`${m} ${JSON.stringify(meta)}`) };
  let releaseSlow: (() => void) | undefined;

  beforeEach(async () => {
    logged.length = 0;
    srv = createHttpServer({
      log,
      closeGraceMs: 10_000,
      handlers: [
        async (req, res) => {
          if (req.url !== '/hello') return false;
          res.writeHead(200, { 'Content-Type': 'text/plain' }).end('hi');
          return true;
        },
        async (req) => {
          if (req.url === '/boom') throw new Error('kaboom: secret internals');
          if (req.url === '/forbidden') throw new HandoverError('HANDOVER_ERR_FORBIDDEN', 'not yours');
          return false;
        },
        async (req, res) => {
          if (req.url !== '/slow') return false;
          await new Promise<void>((resolve) => (releaseSlow = resolve));
          res.writeHead(200).end('done');
          return true;
        },
      ],
      upgrades: [(req, socket) => (req.url === '/ws-claimed' ? (socket.end('HTTP/1.1 418 Teapot\r\n\r\n'), true) : false)],
    });
    const { port } = await srv.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${port}`;
  });
  afterEach(async () => {
    releaseSlow?.();
    await srv.close();
  });

  it('runs the first handler that claims the path', async () => {
    const r = await fetch(`${base}/hello`);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), 'hi');
  });

  it('answers 404 JSON when nobody claims the path', async () => {
    const r = await fetch(`${base}/nope`, { method: 'POST', body: 'x'.repeat(1000) });
    assert.equal(r.status, 404);
    assert.match(r.headers.get('content-type') ?? '', /application\/json/);
    assert.deepEqual(await r.json(), { error: { code: 'HANDOVER_ERR_NOT_FOUND', message: 'no such endpoint' } });
  });

  it('turns a throwing handler into a logged 500 JSON and keeps serving', async () => {
    const r = await fetch(`${base}/boom`);
    assert.equal(r.status, 500);
    const body = (await r.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'HANDOVER_ERR_INTERNAL');
    assert.doesNotMatch(body.error.message, /kaboom/, 'internals are not sent to the client');
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /kaboom/);
    const again = await fetch(`${base}/hello`);
    assert.equal(again.status, 200);
  });

  it('maps a HandoverError thrown by a handler to its status', async () => {
    const r = await fetch(`${base}/forbidden`);
    assert.equal(r.status, 403);
    assert.deepEqual(await r.json(), { error: { code: 'HANDOVER_ERR_FORBIDDEN', message: 'not yours' } });
  });

  it('answers an unclaimed upgrade with 404 and lets a handler claim one', async () => {
    const raw = (path: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const url = new URL(base);
        const s = net.connect(Number(url.port), url.hostname, () => {
          s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
        });
        let data = '';
        s.on('data', (d) => (data += d.toString()));
        s.on('close', () => resolve(data));
        s.on('error', reject);
      });
    assert.match(await raw('/nobody'), /^HTTP\/1.1 404/);
    assert.match(await raw('/ws-claimed'), /^HTTP\/1.1 418/);
  });

  it('closes gracefully: a running request finishes, then the server stops', async () => {
    const slow = fetch(`${base}/slow`);
    while (releaseSlow === undefined) await new Promise((r) => setImmediate(r));
    const closed = srv.close();
    let closedYet = false;
    void closed.then(() => (closedYet = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(closedYet, false, 'close waits for the running request');
    releaseSlow();
    const r = await slow;
    assert.equal(await r.text(), 'done');
    await closed;
    await assert.rejects(fetch(`${base}/hello`), 'no longer listening');
  });
});
