import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

const bin = path.resolve(__dirname, '../../bin/handover.cjs');

/** Resolves with everything printed once `test` matches the output so far. */
function waitForOutput(child: ChildProcessWithoutNullStreams, test: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (test.test(out)) {
        child.stdout.off('data', onData);
        resolve(out);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing ${test}: ${out}`)));
  });
}

describe('handover start (the command)', function () {
  this.timeout(60_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints the addresses, serves, and stops cleanly on ${signal}`, async () => {
      const child = spawn(process.execPath, [bin, 'start', '--host', '127.0.0.1'], { env: { ...process.env, PORT: '0', REDIS_URL: '' }, stdio: 'pipe' });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const banner = await waitForOutput(child, /Press Ctrl\+C to stop\./);
      const base = /handover is running on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
      assert.ok(base, banner);
      assert.match(banner, new RegExp(`agent console\\s+${base}/agent`));
      assert.match(banner, new RegExp(`demo page \\(web chat\\)\\s+${base}/`));
      assert.match(banner, /<script src="http:\/\/127\.0\.0\.1:\d+\/webchat\/widget\.js"><\/script>/);
      const health = await fetch(`${base}/healthz`);
      assert.deepEqual(await health.json(), { ok: true, store: 'memory' });
      assert.equal((await fetch(`${base}/agent`)).status, 401);
      const stopped = waitForOutput(child, /stopped\./);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      await stopped;
      assert.equal(await exited, 0);
      assert.equal(stderr.replace(/npm warn.*\n/g, ''), '', 'nothing on stderr');
    });
  }

  it('refuses an unknown option with exit status 2', async () => {
    const child = spawn(process.execPath, [bin, 'start', '--bogus'], { env: { ...process.env, PORT: '0' }, stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    assert.equal(code, 2);
    assert.match(stderr, /unknown option --bogus/);
  });
});
