/**
 * A private `redis-server` process for tests that need a server of their own: its own settings
 * (persistence on or off, an eviction policy, CONFIG renamed away) or one they may kill -9 and
 * restart without disturbing the shared Redis on 6379. Loopback only, on the first free port from
 * 6390, with its own data directory; every server still running when the test process exits is
 * killed.
 *
 * @example
 * const redis = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '']);
 * await redis.kill9();      // a crash: nothing flushed beyond what Redis already wrote
 * await redis.restart();    // same port, same data directory, same settings
 * await redis.destroy();    // gone, directory removed
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import type { RedisClient } from '../../src/store/redis/redis-connection.js';

/** One running (or killed) redis-server. */
export interface RedisServerProcess {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Its data directory (AOF, RDB): kept across `restart`. */
  readonly dir: string;
  /** What it printed (its log goes to stdout), for failure messages. */
  log(): string;
  /** A plain client for setup and inspection (close it yourself). */
  connect(): Promise<RedisClient>;
  /** SIGKILL, and wait until the process is gone: no shutdown save, no final fsync. */
  kill9(): Promise<void>;
  /** Starts redis-server again on the same port and directory with the same arguments. */
  restart(): Promise<void>;
  /** Kills it (if running) and removes its directory. Idempotent. */
  destroy(): Promise<void>;
}

const FIRST_PORT = 6390;
const LAST_PORT = 6489;
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts `redis-server <args>` on 127.0.0.1, the first free port from 6390, in a fresh directory. */
export async function startRedisServer(args: readonly string[]): Promise<RedisServerProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'handover-redis-'));
  let lastError: Error | undefined;
  for (let port = FIRST_PORT; port <= LAST_PORT; port++) {
    if (!(await portIsFree(port))) continue;
    try {
      let current = await launch(port, dir, args);
      let destroyed = false;
      return {
        port,
        url: `redis://127.0.0.1:${port}`,
        dir,
        log: () => current.log(),
        connect: async () => {
          const client: RedisClient = createClient({ url: `redis://127.0.0.1:${port}`, socket: { connectTimeout: 2000, reconnectStrategy: false } });
          client.on('error', () => {
            // reported through the command that failed
          });
          await client.connect();
          return client;
        },
        kill9: () => current.kill(),
        restart: async () => {
          current = await launch(port, dir, args);
        },
        destroy: async () => {
          if (destroyed) return;
          destroyed = true;
          await current.kill();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (e) {
      // another process took the port between the check and the bind: try the next one
      lastError = e as Error;
      if (!/Address already in use/i.test(lastError.message)) break;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`could not start redis-server (${args.join(' ')}) on a port in ${FIRST_PORT}-${LAST_PORT}: ${lastError?.message ?? 'no free port'}. Is redis-server installed (apt-get install redis-server)?`);
}

interface Launched {
  log(): string;
  kill(): Promise<void>;
}

/** Spawns redis-server in the foreground and resolves once it accepts connections. */
async function launch(port: number, dir: string, args: readonly string[]): Promise<Launched> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no', '--logfile', '', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (/Ready to accept connections/.test(log)) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null || child.signalCode !== null || Date.now() - started > 10_000) {
        clearInterval(timer);
        child.kill('SIGKILL');
        reject(new Error(`redis-server on port ${port} did not start: ${log.trim().split('\n').slice(-3).join(' | ')}`));
      }
    }, 10);
    child.once('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
  });
  return {
    log: () => log,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
