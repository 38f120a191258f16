/**
 * `handover start` with REDIS_URL checks the server's persistence and eviction at start (issue 12):
 * real `node bin/handover.cjs start` processes against real redis-server processes of our own
 * (ports 6390+, loopback), one per setting under test.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawnHandover, type HandoverProcess } from '../support/handover-processes.js';
import { startRedisServer, type RedisServerProcess } from '../support/redis-server.js';

const bin = path.resolve(__dirname, '../../bin/handover.cjs');

/** Runs `handover start` expecting it to stop by itself; resolves with its exit code and output. */
function startUntilExit(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, 'start', '--host', '127.0.0.1', ...args], { env: { ...process.env, PORT: '0', ...env }, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const bound = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(bound);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('handover start: Redis persistence and eviction are checked at start', function () {
  this.timeout(60_000);
  const servers: RedisServerProcess[] = [];
  const procs: HandoverProcess[] = [];
  const prefix = `handover-test:${randomUUID().slice(0, 13)}`;
  const server = async (args: string[]): Promise<RedisServerProcess> => {
    const s = await startRedisServer(args);
    servers.push(s);
    return s;
  };
  /** A started process: answers /healthz on Redis, and stops cleanly. */
  const startsAndServes = async (env: Record<string, string>, args: string[] = []): Promise<HandoverProcess> => {
    // the warnings are read as an operator reads them in a terminal (JSON logs would escape their line breaks)
    const p = await spawnHandover({ ...env, REDIS_PREFIX: prefix, LOG_FORMAT: 'pretty' }, args);
    procs.push(p);
    const health = await fetch(`${p.base}/healthz`);
    assert.deepEqual(await health.json(), { ok: true, store: 'redis' });
    return p;
  };

  afterEach(async () => {
    await Promise.all(procs.splice(0).map((p) => p.stop()));
    await Promise.all(servers.splice(0).map((s) => s.destroy()));
  });

  // Each test spawns at most two processes: on a loaded 2-core machine one start takes up to ~15 s.
  it('refuses a Redis without persistence (appendonly no, save ""): exit 2, the problem, its fix and the override', async () => {
    const redis = await server(['--save', '', '--appendonly', 'no']);
    const r = await startUntilExit({ REDIS_URL: redis.url });
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stdout, /handover is running/, 'nothing was served');
    assert.match(r.stderr, /HANDOVER_ERR_STORE_NOT_DURABLE: Redis at redis:\/\/127\.0\.0\.1:\d+ \(AOF off, RDB off, maxmemory-policy noeviction\) can lose handover's data/);
    assert.match(r.stderr, /1\. persistence is off \(appendonly no, save ""\): a restart of Redis erases everything/);
    assert.match(r.stderr, new RegExp(`fix: redis-cli -h 127\\.0\\.0\\.1 -p ${redis.port} CONFIG SET appendonly yes`));
    assert.doesNotMatch(r.stderr, /2\. /, 'one problem, one item: the policy is fine');
    assert.match(r.stderr, /pass --allow-volatile-redis or set HANDOVER_ALLOW_VOLATILE_REDIS=1/);
  });

  for (const [how, env, args] of [
    ['--allow-volatile-redis', {}, ['--allow-volatile-redis']],
    ['HANDOVER_ALLOW_VOLATILE_REDIS=1', { HANDOVER_ALLOW_VOLATILE_REDIS: '1' }, []],
  ] as const) {
    it(`starts on that same Redis with ${how}, with a loud warning on stderr`, async () => {
      const redis = await server(['--save', '', '--appendonly', 'no']);
      const p = await startsAndServes({ REDIS_URL: redis.url, ...env }, [...args]);
      assert.match(p.stderr(), /!!! WARNING: Redis at .* CAN LOSE HANDOVER'S DATA\.\n!!! Starting anyway because --allow-volatile-redis/);
      assert.match(p.stderr(), /1\. persistence is off/);
      assert.equal(await p.stop(), 0);
    });
  }

  it('starts quietly on AOF (appendfsync everysec) with noeviction', async () => {
    const redis = await server(['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction']);
    const p = await startsAndServes({ REDIS_URL: redis.url });
    assert.doesNotMatch(p.stderr(), /WARNING|persistence|maxmemory/, 'nothing to warn about');
    assert.equal(await p.stop(), 0);
  });

  it('refuses an evicting policy even with AOF: allkeys-lru and volatile-lru', async () => {
    const redis = await server(['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec']);
    const admin = await redis.connect();
    try {
      for (const policy of ['allkeys-lru', 'volatile-lru']) {
        await admin.configSet('maxmemory-policy', policy);
        const r = await startUntilExit({ REDIS_URL: redis.url });
        assert.equal(r.code, 2, `${policy}: ${r.stderr}`);
        assert.match(r.stderr, new RegExp(`1\\. maxmemory-policy is ${policy}: when Redis reaches maxmemory`));
        assert.match(r.stderr, /fix: redis-cli -h 127\.0\.0\.1 -p \d+ CONFIG SET maxmemory-policy noeviction/);
        assert.doesNotMatch(r.stderr, /persistence is off/);
      }
    } finally {
      await admin.close();
    }
  });

  it('RDB snapshots only: starts, warning that up to the snapshot interval can be lost', async () => {
    const redis = await server(['--save', '300 10', '--appendonly', 'no']);
    const p = await startsAndServes({ REDIS_URL: redis.url });
    assert.match(p.stderr(), /WARNING: Redis at .* may lose recent data on a crash or restart:\n {2}1\. only RDB snapshots \(appendonly no, save "300 10"\): .* up to 300 s/);
    assert.doesNotMatch(p.stderr(), /!!!/, 'a warning, not the volatile alarm');
    assert.equal(await p.stop(), 0);
  });

  it('CONFIG disabled (managed Redis): judged from INFO — AOF on starts saying fsync was not checked, an evicting policy is still refused', async () => {
    // CONFIG renamed to a name only the test knows: handover gets "unknown command", as on managed Redis
    const secret = `config-${randomUUID()}`;
    const redis = await server(['--save', '', '--appendonly', 'yes', '--rename-command', 'CONFIG', secret]);
    const p = await startsAndServes({ REDIS_URL: redis.url });
    assert.match(p.stderr(), /AOF is on, but its appendfsync could not be read \(CONFIG GET failed: ERR unknown command/);
    assert.match(p.stderr(), /read from INFO: CONFIG is not available/);
    assert.match(p.stderr(), /provider's configuration/);
    assert.equal(await p.stop(), 0);

    const admin = await redis.connect();
    try {
      await admin.sendCommand([secret, 'SET', 'maxmemory-policy', 'allkeys-lru']);
    } finally {
      await admin.close();
    }
    const r = await startUntilExit({ REDIS_URL: redis.url });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /maxmemory-policy is allkeys-lru/);
    assert.match(r.stderr, /set maxmemory-policy noeviction in your Redis provider's configuration/);
  });
});
