/**
 * The rules `handover start` applies to a Redis server's persistence and eviction settings
 * (assessRedisDurability, pure), how the settings are read when CONFIG is refused (managed Redis),
 * and what the operator is told. The same rules against real redis-server processes:
 * test/server/start-redis-durability.spec.ts.
 */
import assert from 'node:assert/strict';
import { allowVolatileRedisFromEnv } from '../../../../src/cli/start.js';
import { isHandoverError } from '../../../../src/core/errors.js';
import {
  assessRedisDurability,
  checkRedisDurability,
  describeDurability,
  parseInfo,
  readRedisDurability,
  redisCliFor,
  type DurabilityProbe,
  type RedisDurabilitySettings,
} from '../../../../src/store/redis/redis-durability.js';

/** A server as `redis-server --appendonly yes --save ""` with the default policy. */
const AOF: RedisDurabilitySettings = {
  source: 'config',
  appendonly: true,
  appendfsync: 'everysec',
  save: '',
  maxmemoryPolicy: 'noeviction',
  maxmemoryBytes: 0,
  unreadable: null,
};
const settings = (over: Partial<RedisDurabilitySettings>): RedisDurabilitySettings => ({ ...AOF, ...over });
const severities = (s: RedisDurabilitySettings): string[] => assessRedisDurability(s).findings.map((f) => `${f.setting}:${f.severity}`);

describe('Redis durability: the decision', () => {
  it('AOF with appendfsync everysec or always and noeviction is durable, with or without RDB', () => {
    for (const appendfsync of ['everysec', 'always']) {
      for (const save of ['', '3600 1 300 100 60 10000']) {
        const a = assessRedisDurability(settings({ appendfsync, save }));
        assert.equal(a.verdict, 'durable', `${appendfsync} / save "${save}"`);
        assert.deepEqual(a.findings, []);
      }
    }
    assert.equal(assessRedisDurability(AOF).summary, 'AOF (appendfsync everysec), RDB off, maxmemory-policy noeviction');
  });

  it('no AOF and no RDB snapshots is unsafe: a restart erases everything', () => {
    const a = assessRedisDurability(settings({ appendonly: false, save: '' }), { cli: 'redis-cli -h 10.0.0.5 -p 6379' });
    assert.equal(a.verdict, 'unsafe');
    assert.deepEqual(severities(settings({ appendonly: false, save: '' })), ['persistence:unsafe']);
    assert.match(a.findings[0]!.problem, /persistence is off \(appendonly no, save ""\)/);
    assert.match(a.findings[0]!.fix, /^redis-cli -h 10\.0\.0\.5 -p 6379 CONFIG SET appendonly yes/);
  });

  it('RDB snapshots only warn with the window that can be lost, and still start', () => {
    const a = assessRedisDurability(settings({ appendonly: false, save: '3600 1 300 100 60 10000' }));
    assert.equal(a.verdict, 'weak');
    assert.deepEqual(a.findings.map((f) => f.severity), ['risk']);
    assert.match(a.findings[0]!.problem, /only RDB snapshots .* up to 3600 s \(60 s when busy\)/);
    assert.match(a.findings[0]!.fix, /CONFIG SET appendonly yes/);
    assert.match(assessRedisDurability(settings({ appendonly: false, save: '900 1' })).findings[0]!.problem, /up to 900 s of customer lines/);
  });

  it('AOF with appendfsync no warns (a machine crash loses what the OS had not flushed)', () => {
    const a = assessRedisDurability(settings({ appendfsync: 'no' }));
    assert.equal(a.verdict, 'weak');
    assert.deepEqual(severities(settings({ appendfsync: 'no' })), ['appendfsync:risk']);
    assert.match(a.findings[0]!.fix, /CONFIG SET appendfsync everysec/);
    // turning AOF on with fsync "no" would not be enough: the fix names both
    assert.match(assessRedisDurability(settings({ appendonly: false, save: '', appendfsync: 'no' })).findings[0]!.fix, /appendonly yes and .*CONFIG SET appendfsync everysec/);
  });

  it('every maxmemory-policy but noeviction is unsafe, volatile-* included, even with AOF', () => {
    const policies = ['allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'some-future-policy'];
    for (const maxmemoryPolicy of policies) {
      const a = assessRedisDurability(settings({ maxmemoryPolicy, maxmemoryBytes: 1 << 30 }));
      assert.equal(a.verdict, 'unsafe', maxmemoryPolicy);
      assert.deepEqual(a.findings.map((f) => `${f.setting}:${f.severity}`), ['maxmemory-policy:unsafe'], maxmemoryPolicy);
      assert.match(a.findings[0]!.fix, /CONFIG SET maxmemory-policy noeviction/);
    }
    assert.match(assessRedisDurability(settings({ maxmemoryPolicy: 'allkeys-lru' })).findings[0]!.problem, /never sets a TTL on a live conversation/);
    assert.match(assessRedisDurability(settings({ maxmemoryPolicy: 'volatile-ttl' })).findings[0]!.problem, /keys that carry a TTL/);
    // no limit today is said, not taken as safe
    assert.match(assessRedisDurability(settings({ maxmemoryPolicy: 'allkeys-lru', maxmemoryBytes: 0 })).findings[0]!.problem, /maxmemory is 0 today/);
    assert.doesNotMatch(assessRedisDurability(settings({ maxmemoryPolicy: 'allkeys-lru', maxmemoryBytes: 1 << 30 })).findings[0]!.problem, /maxmemory is 0/);
  });

  it('lists every problem at once: no persistence and an evicting policy', () => {
    assert.deepEqual(severities(settings({ appendonly: false, save: '', maxmemoryPolicy: 'allkeys-lru' })), ['persistence:unsafe', 'maxmemory-policy:unsafe']);
  });

  it('with CONFIG refused, what INFO shows is judged and what it cannot show is said, never guessed', () => {
    const info = { source: 'info', appendfsync: null, save: null, unreadable: 'CONFIG GET failed: ERR unknown command' } as const;
    // AOF on, policy fine: starts, saying appendfsync could not be checked
    const aofOn = assessRedisDurability(settings({ ...info, appendonly: true }));
    assert.equal(aofOn.verdict, 'weak');
    assert.deepEqual(aofOn.findings.map((f) => `${f.setting}:${f.severity}`), ['appendfsync:unchecked']);
    assert.match(aofOn.findings[0]!.problem, /could not be read \(CONFIG GET failed: ERR unknown command\)/);
    assert.match(aofOn.findings[0]!.fix, /provider's configuration/);
    assert.doesNotMatch(aofOn.findings[0]!.fix, /CONFIG SET/, 'no CONFIG SET advice where CONFIG is disabled');
    // AOF off: the snapshot schedule is unknown, so a warning, not a refusal
    assert.deepEqual(severities(settings({ ...info, appendonly: false })), ['persistence:unchecked']);
    // an evicting policy is still refused: INFO memory shows it
    assert.equal(assessRedisDurability(settings({ ...info, appendonly: true, maxmemoryPolicy: 'allkeys-lru' })).verdict, 'unsafe');
    // nothing readable at all: two "could not check" warnings
    const none = settings({ source: 'none', appendonly: null, appendfsync: null, save: null, maxmemoryPolicy: null, maxmemoryBytes: null, unreadable: 'x' });
    assert.deepEqual(severities(none), ['persistence:unchecked', 'maxmemory-policy:unchecked']);
    assert.equal(assessRedisDurability(none).verdict, 'weak');
  });

  it('describes a refusal with every fix and the override, and an allowed start as a loud warning', () => {
    const a = assessRedisDurability(settings({ appendonly: false, save: '', maxmemoryPolicy: 'allkeys-lru' }));
    const refusal = describeDurability(a, { url: 'redis://app:s3cret@10.0.0.5:6379', allowed: false });
    assert.match(refusal, /^Redis at redis:\/\/app:\*\*\*@10\.0\.0\.5:6379 \(AOF off, RDB off, maxmemory-policy allkeys-lru\) can lose handover's data, so handover start refuses/);
    assert.match(refusal, /\n {2}1\. persistence is off[^\n]*\n {5}fix: redis-cli CONFIG SET appendonly yes/);
    assert.match(refusal, /\n {2}2\. maxmemory-policy is allkeys-lru[^\n]*\n {5}fix: redis-cli CONFIG SET maxmemory-policy noeviction/);
    assert.match(refusal, /--allow-volatile-redis or set HANDOVER_ALLOW_VOLATILE_REDIS=1/);
    assert.doesNotMatch(refusal, /s3cret/);
    const warning = describeDurability(a, { url: 'redis://127.0.0.1:6379', allowed: true });
    assert.match(warning, /^!{100}\n!!! WARNING: .*CAN LOSE HANDOVER'S DATA/);
    assert.match(warning, /Do not run production like this/);
  });

  it('names the redis-cli that reaches the server, without its password', () => {
    assert.equal(redisCliFor('redis://127.0.0.1:6390'), 'redis-cli -h 127.0.0.1 -p 6390');
    assert.equal(redisCliFor('redis://localhost'), 'redis-cli -h localhost -p 6379');
    assert.equal(redisCliFor('rediss://app:s3cret@10.0.0.5:6380/2'), 'redis-cli -h 10.0.0.5 -p 6380 --tls --user app --askpass');
  });
});

describe('Redis durability: reading the settings', () => {
  /** A server whose CONFIG answers from `config`, or throws `configError`; INFO from `info`. */
  function probe(opts: { config?: Record<string, string>; configError?: string; info?: Record<string, string>; infoError?: string }): DurabilityProbe & { calls: string[] } {
    const calls: string[] = [];
    return {
      calls,
      async configGet(name) {
        calls.push(`CONFIG GET ${name}`);
        if (opts.configError !== undefined) throw new Error(opts.configError);
        const v = opts.config?.[name];
        return v === undefined ? {} : { [name]: v };
      },
      async info(section) {
        calls.push(`INFO ${section}`);
        if (opts.infoError !== undefined) throw new Error(opts.infoError);
        const body = Object.entries(opts.info ?? {})
          .map(([k, v]) => `${k}:${v}`)
          .join('\r\n');
        return `# ${section}\r\n${body}\r\n`;
      },
    };
  }

  it('reads each setting with its own CONFIG GET (Redis before 7 takes one parameter)', async () => {
    const p = probe({ config: { appendonly: 'yes', appendfsync: 'always', save: '900 1', 'maxmemory-policy': 'noeviction', maxmemory: '1073741824' } });
    const s = await readRedisDurability(p);
    assert.deepEqual(s, { source: 'config', appendonly: true, appendfsync: 'always', save: '900 1', maxmemoryPolicy: 'noeviction', maxmemoryBytes: 1073741824, unreadable: null });
    assert.ok(p.calls.every((c) => c.startsWith('CONFIG GET ')));
  });

  it('falls back to INFO persistence and INFO memory when CONFIG is refused', async () => {
    const p = probe({ configError: "ERR unknown command 'config'", info: { aof_enabled: '1', rdb_saves: '3', maxmemory: '0', maxmemory_policy: 'volatile-lru' } });
    const s = await readRedisDurability(p);
    assert.deepEqual(s, {
      source: 'info',
      appendonly: true,
      appendfsync: null,
      save: null,
      maxmemoryPolicy: 'volatile-lru',
      maxmemoryBytes: 0,
      unreadable: "CONFIG GET failed: ERR unknown command 'config'",
    });
    assert.deepEqual(p.calls.slice(-2), ['INFO persistence', 'INFO memory']);
  });

  it('says it could not check when neither CONFIG nor INFO answers', async () => {
    const s = await readRedisDurability(probe({ configError: 'NOPERM no permissions', infoError: 'NOPERM no permissions' }));
    assert.equal(s.source, 'none');
    assert.equal(s.unreadable, 'CONFIG GET failed: NOPERM no permissions; INFO failed: NOPERM no permissions');
    assert.equal(assessRedisDurability(s).verdict, 'weak');
  });

  it('parses INFO lines, skipping headers and blank lines', () => {
    assert.deepEqual([...parseInfo('# Persistence\r\naof_enabled:0\r\n\r\n# Memory\r\nmaxmemory_policy:noeviction\r\n')], [
      ['aof_enabled', '0'],
      ['maxmemory_policy', 'noeviction'],
    ]);
  });

  it('checkRedisDurability refuses an unsafe server unless allowed, warns on a weak one, stays quiet on a durable one', async () => {
    const volatile = probe({ config: { appendonly: 'no', appendfsync: 'everysec', save: '', 'maxmemory-policy': 'noeviction', maxmemory: '0' } });
    const warned: string[] = [];
    const infos: string[] = [];
    const opts = { url: 'redis://127.0.0.1:6390', warn: (t: string) => warned.push(t), info: (t: string) => infos.push(t) };
    await assert.rejects(checkRedisDurability(volatile, { ...opts, allowVolatile: false }), (e: unknown) => {
      assert.ok(isHandoverError(e, 'HANDOVER_ERR_STORE_NOT_DURABLE'));
      assert.match(e.message, /fix: redis-cli -h 127\.0\.0\.1 -p 6390 CONFIG SET appendonly yes/);
      assert.deepEqual(e.details.length, 1);
      return true;
    });
    assert.deepEqual(warned, []);
    assert.equal((await checkRedisDurability(volatile, { ...opts, allowVolatile: true })).verdict, 'unsafe');
    assert.equal(warned.length, 1);
    assert.match(warned[0]!, /WARNING/);
    const rdb = probe({ config: { appendonly: 'no', appendfsync: 'everysec', save: '3600 1', 'maxmemory-policy': 'noeviction', maxmemory: '0' } });
    assert.equal((await checkRedisDurability(rdb, { ...opts, allowVolatile: false })).verdict, 'weak');
    assert.equal(warned.length, 2);
    assert.match(warned[1]!, /^WARNING: .* may lose recent data/);
    const aof = probe({ config: { appendonly: 'yes', appendfsync: 'everysec', save: '', 'maxmemory-policy': 'noeviction', maxmemory: '0' } });
    assert.equal((await checkRedisDurability(aof, { ...opts, allowVolatile: false })).verdict, 'durable');
    assert.equal(warned.length, 2, 'nothing on the warning channel for a durable server');
    assert.match(infos.at(-1)!, /persistence and eviction are safe/);
  });
});

describe('HANDOVER_ALLOW_VOLATILE_REDIS', () => {
  it('1/true/yes allow, unset/empty/0/false/no do not, anything else is a configuration error', () => {
    for (const v of ['1', 'true', 'yes', ' TRUE ']) assert.equal(allowVolatileRedisFromEnv({ HANDOVER_ALLOW_VOLATILE_REDIS: v }), true, v);
    for (const v of [undefined, '', '0', 'false', 'no']) assert.equal(allowVolatileRedisFromEnv({ HANDOVER_ALLOW_VOLATILE_REDIS: v }), false, String(v));
    assert.throws(
      () => allowVolatileRedisFromEnv({ HANDOVER_ALLOW_VOLATILE_REDIS: 'maybe' }),
      (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_CONFIG_INVALID') && /HANDOVER_ALLOW_VOLATILE_REDIS is "maybe"/.test(e.message),
    );
  });
});
