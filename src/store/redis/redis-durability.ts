/**
 * Can this Redis lose what handover writes to it? Read at `handover start` (see `openStores`'
 * `durability` option): the server's persistence (`appendonly`, `appendfsync`, `save`) and its
 * eviction policy (`maxmemory-policy`), judged by a pure function so the rules are testable
 * without a server.
 *
 * Why it matters: everything a deployment knows lives in Redis — who is waiting for a person, the
 * queues, transcripts, agent sessions, the briefing. A Redis without persistence forgets all of it
 * when it restarts; one with an evicting policy deletes live conversations when memory runs out
 * (handover never sets a TTL on them: they must outlive any idle time).
 *
 * @example
 * const settings = await readRedisDurability(client);
 * const verdict = assessRedisDurability(settings, { cli: 'redis-cli -h 10.0.0.5 -p 6379' });
 * if (verdict.verdict === 'unsafe') console.error(describeDurability(verdict, { url, allowed: false }));
 */
import { HandoverError } from '../../core/errors.js';
import { redactUrl } from './redis-connection.js';

/**
 * What the server says about its persistence and eviction. `null` = could not be read (CONFIG is
 * disabled on most managed Redis services; INFO does not show every setting).
 *
 * @example
 * const s: RedisDurabilitySettings = { source: 'config', appendonly: true, appendfsync: 'everysec', save: '', maxmemoryPolicy: 'noeviction', maxmemoryBytes: 0, unreadable: null };
 */
export interface RedisDurabilitySettings {
  /** `config`: CONFIG GET answered; `info`: CONFIG refused, INFO used; `none`: neither answered. */
  readonly source: 'config' | 'info' | 'none';
  /** AOF on (`appendonly yes`, INFO `aof_enabled:1`). */
  readonly appendonly: boolean | null;
  /** `always`, `everysec` or `no` (CONFIG only). */
  readonly appendfsync: string | null;
  /** RDB snapshot schedule, e.g. `3600 1 300 100 60 10000`; `''` = no snapshots (CONFIG only). */
  readonly save: string | null;
  /** e.g. `noeviction`, `allkeys-lru`, `volatile-ttl`. */
  readonly maxmemoryPolicy: string | null;
  /** `maxmemory` in bytes; 0 = no limit. */
  readonly maxmemoryBytes: number | null;
  /** Why CONFIG (and INFO, when `source` is `none`) could not be used, as the server said it. */
  readonly unreadable: string | null;
}

/**
 * One problem with the server's settings: what it is, what it loses, how to fix it.
 * `unsafe` makes `handover start` refuse (unless overridden), `risk` and `unchecked` only warn.
 *
 * @example
 * const f: DurabilityFinding = { severity: 'unsafe', setting: 'persistence', problem: 'persistence is off …', fix: 'redis-cli CONFIG SET appendonly yes' };
 */
export interface DurabilityFinding {
  readonly severity: 'unsafe' | 'risk' | 'unchecked';
  readonly setting: 'persistence' | 'appendfsync' | 'maxmemory-policy';
  readonly problem: string;
  readonly fix: string;
}

/**
 * The judgement: `durable` (AOF with `appendfsync everysec|always`, `noeviction`), `weak` (starts
 * with a warning: RDB snapshots only, `appendfsync no`, or a setting that could not be read) or
 * `unsafe` (no persistence at all, or an evicting policy).
 *
 * @example
 * const a = assessRedisDurability(settings);
 * if (a.verdict !== 'durable') for (const f of a.findings) console.error(f.problem, f.fix);
 */
export interface DurabilityAssessment {
  readonly verdict: 'durable' | 'weak' | 'unsafe';
  readonly findings: readonly DurabilityFinding[];
  /** One line for the log, e.g. `AOF (appendfsync everysec), RDB off, maxmemory-policy noeviction`. */
  readonly summary: string;
}

/** The `appendfsync` values under which an acknowledged write reaches the disk within a second. */
const SYNCED_FSYNC = new Set(['always', 'everysec']);

/**
 * Judges the settings. Pure: same settings, same verdict.
 *
 * Rules: no AOF and no RDB schedule → unsafe (a restart erases everything); RDB only → risk (up to
 * the snapshot interval is lost); AOF with `appendfsync no` → risk (the OS flushes, typically every
 * 30 s: a machine crash can lose that much); AOF with `always`/`everysec` → fine. Any
 * `maxmemory-policy` but `noeviction` → unsafe: `allkeys-*` deletes live conversations (no TTL on
 * them), `volatile-*` deletes the keys that do carry a TTL — leases, delivered-once markers —
 * before they expire, and then refuses writes like `noeviction` would anyway. A setting that could
 * not be read → unchecked (a warning saying so, never a refusal on a guess).
 *
 * @example
 * assessRedisDurability({ source: 'config', appendonly: false, appendfsync: 'everysec', save: '', maxmemoryPolicy: 'noeviction', maxmemoryBytes: 0, unreadable: null }).verdict; // 'unsafe'
 */
export function assessRedisDurability(s: RedisDurabilitySettings, opts: { readonly cli?: string } = {}): DurabilityAssessment {
  const cli = opts.cli ?? 'redis-cli';
  const managed = s.source !== 'config';
  // What to run, or, where CONFIG is disabled (managed Redis), where to set it.
  const setting = (name: string, value: string): string =>
    managed ? `set ${name} ${value} in your Redis provider's configuration (parameter group / settings): CONFIG is not available here` : `${cli} CONFIG SET ${name} ${value}`;
  // CONFIG SET lasts until Redis restarts; CONFIG REWRITE needs a config file, so name both ways.
  const keep = (name: string, value: string): string => (managed ? '' : `; make it permanent with "${name} ${value}" in redis.conf (or \`${cli} CONFIG REWRITE\`)`);
  const findings: DurabilityFinding[] = [];

  if (s.appendonly === true) {
    if (s.appendfsync === null) {
      findings.push({
        severity: 'unchecked',
        setting: 'appendfsync',
        problem: `AOF is on, but its appendfsync could not be read${why(s)}: with "appendfsync no" a machine crash can lose ~30 s of acknowledged writes`,
        fix: `make sure appendfsync is everysec (or always): ${setting('appendfsync', 'everysec')}`,
      });
    } else if (!SYNCED_FSYNC.has(s.appendfsync)) {
      findings.push({
        severity: 'risk',
        setting: 'appendfsync',
        problem: `AOF is on with appendfsync ${s.appendfsync}: the OS decides when the log reaches the disk (typically every 30 s), so a machine crash or power loss can lose that much acknowledged data`,
        fix: `${setting('appendfsync', 'everysec')}${keep('appendfsync', 'everysec')}`,
      });
    }
  } else if (s.appendonly === false) {
    const fsyncToo = s.appendfsync !== null && !SYNCED_FSYNC.has(s.appendfsync) ? ` and ${setting('appendfsync', 'everysec')}` : '';
    const aofFix = `${setting('appendonly', 'yes')}${fsyncToo}${fsyncToo === '' && !managed ? ' (appendfsync everysec is the default)' : ''}${keep('appendonly', 'yes')}`;
    if (s.save === '') {
      findings.push({
        severity: 'unsafe',
        setting: 'persistence',
        problem: 'persistence is off (appendonly no, save ""): a restart of Redis erases everything handover keeps — waiting customers, queues, transcripts, briefings, agent sessions, undelivered agent messages',
        fix: aofFix,
      });
    } else if (s.save === null) {
      findings.push({
        severity: 'unchecked',
        setting: 'persistence',
        problem: `AOF is off and the RDB snapshot schedule could not be read${why(s)}: a restart of Redis loses at least what was written since the last snapshot, and everything if snapshots are off too`,
        fix: aofFix,
      });
    } else {
      findings.push({
        severity: 'risk',
        setting: 'persistence',
        problem: `only RDB snapshots (appendonly no, save "${s.save}"): a crash or restart of Redis loses everything written since the last snapshot — ${snapshotWindow(s.save)} of customer lines, handoffs and agent actions`,
        fix: aofFix,
      });
    }
  } else {
    findings.push({
      severity: 'unchecked',
      setting: 'persistence',
      problem: `the persistence settings could not be read${why(s)}: without AOF a restart of Redis loses data`,
      fix: `make sure the server runs with appendonly yes and appendfsync everysec: ${setting('appendonly', 'yes')}`,
    });
  }

  const policy = s.maxmemoryPolicy;
  if (policy === null) {
    findings.push({
      severity: 'unchecked',
      setting: 'maxmemory-policy',
      problem: `the eviction policy could not be read${why(s)}: any policy but noeviction deletes keys when Redis is full`,
      fix: `make sure maxmemory-policy is noeviction: ${setting('maxmemory-policy', 'noeviction')}`,
    });
  } else if (policy !== 'noeviction') {
    const noLimitYet =
      s.maxmemoryBytes === 0 ? ' (maxmemory is 0 today, so nothing is evicted yet; the policy applies the moment a limit is set, and managed Redis always has one)' : '';
    const what = policy.startsWith('volatile-')
      ? 'it deletes the keys that carry a TTL — the relay and WhatsApp Web leases, the delivered-once markers of agent messages — before they expire (two processes on one WhatsApp session, an agent message delivered twice), and once none is left it refuses writes as noeviction would'
      : 'it deletes any key, and handover never sets a TTL on a live conversation: waiting customers drop out of their queues, transcripts and agent sessions vanish mid-chat';
    findings.push({
      severity: 'unsafe',
      setting: 'maxmemory-policy',
      problem: `maxmemory-policy is ${policy}: when Redis reaches maxmemory ${what}${noLimitYet}`,
      fix: `${setting('maxmemory-policy', 'noeviction')}${keep('maxmemory-policy', 'noeviction')}; and size maxmemory for your traffic (when full, Redis refuses writes — handover reports them — instead of dropping chats)`,
    });
  }

  const verdict = findings.some((f) => f.severity === 'unsafe') ? 'unsafe' : findings.length > 0 ? 'weak' : 'durable';
  return { verdict, findings, summary: summarize(s) };
}

/**
 * The text `handover start` prints: a refusal (`allowed: false`) or a loud warning.
 *
 * @example
 * process.stderr.write(describeDurability(assessment, { url: 'redis://127.0.0.1:6379', allowed: true }));
 */
export function describeDurability(a: DurabilityAssessment, opts: { readonly url: string; readonly allowed: boolean }): string {
  const where = `Redis at ${redactUrl(opts.url)} (${a.summary})`;
  const list = a.findings.map((f, i) => `  ${i + 1}. ${f.problem}\n     fix: ${f.fix}`).join('\n');
  const guide = 'How to run Redis for production: docs/redis.md, "Scale out with Redis" → "Run Redis for production".';
  if (a.verdict === 'unsafe' && !opts.allowed) {
    return [
      `${where} can lose handover's data, so handover start refuses to use it:`,
      list,
      `To start anyway (a demo, a test: data loss accepted), pass --allow-volatile-redis or set HANDOVER_ALLOW_VOLATILE_REDIS=1.`,
      guide,
    ].join('\n');
  }
  if (a.verdict === 'unsafe') {
    const bar = '!'.repeat(100);
    return [
      bar,
      `!!! WARNING: ${where} CAN LOSE HANDOVER'S DATA.`,
      `!!! Starting anyway because --allow-volatile-redis (or HANDOVER_ALLOW_VOLATILE_REDIS=1) is set:`,
      list,
      `!!! Do not run production like this. ${guide}`,
      bar,
    ].join('\n');
  }
  if (a.verdict === 'weak') {
    return [`WARNING: ${where} may lose recent data on a crash or restart:`, list, guide].join('\n');
  }
  return `${where}: persistence and eviction are safe`;
}

/**
 * Reads the settings: `CONFIG GET` each of them (one parameter per call: Redis before 7.0 takes
 * one pattern), and, when CONFIG is refused (renamed away, ACL, managed Redis), `INFO persistence`
 * and `INFO memory`, which show whether AOF is on and the eviction policy but not the snapshot
 * schedule or `appendfsync`.
 *
 * @example
 * const s = await readRedisDurability(stores.client);
 * s.source; // 'config', or 'info' on a managed Redis
 */
export async function readRedisDurability(client: DurabilityProbe): Promise<RedisDurabilitySettings> {
  let configError: string;
  try {
    const get = async (name: string): Promise<string | null> => (await client.configGet(name))[name] ?? null;
    const appendonly = await get('appendonly');
    const maxmemory = await get('maxmemory');
    return {
      source: 'config',
      appendonly: appendonly === null ? null : appendonly === 'yes',
      appendfsync: await get('appendfsync'),
      save: await get('save'),
      maxmemoryPolicy: await get('maxmemory-policy'),
      maxmemoryBytes: maxmemory === null || !/^\d+$/.test(maxmemory) ? null : Number(maxmemory),
      unreadable: null,
    };
  } catch (e) {
    configError = `CONFIG GET failed: ${message(e)}`;
  }
  try {
    const info = parseInfo(`${await client.info('persistence')}\n${await client.info('memory')}`);
    const aof = info.get('aof_enabled');
    const maxmemory = info.get('maxmemory');
    return {
      source: 'info',
      appendonly: aof === undefined ? null : aof === '1',
      appendfsync: null,
      save: null,
      maxmemoryPolicy: info.get('maxmemory_policy') ?? null,
      maxmemoryBytes: maxmemory === undefined || !/^\d+$/.test(maxmemory) ? null : Number(maxmemory),
      unreadable: configError,
    };
  } catch (e) {
    return { source: 'none', appendonly: null, appendfsync: null, save: null, maxmemoryPolicy: null, maxmemoryBytes: null, unreadable: `${configError}; INFO failed: ${message(e)}` };
  }
}

/**
 * The two commands `readRedisDurability` needs; the node-redis client has both.
 *
 * @example
 * const probe: DurabilityProbe = client;
 */
export interface DurabilityProbe {
  configGet(parameter: string): Promise<Record<string, string>>;
  info(section: string): Promise<string>;
}

/**
 * Reads, judges and acts, as `handover start` does: resolves with the assessment after calling
 * `warn` for a weak server (or an unsafe one when `allowVolatile`), and rejects with
 * HANDOVER_ERR_STORE_NOT_DURABLE — every problem and its fix in the message — for an unsafe one.
 *
 * @example
 * await checkRedisDurability(client, { url, allowVolatile: false, warn: (t) => process.stderr.write(`${t}\n`) });
 */
export async function checkRedisDurability(
  client: DurabilityProbe,
  opts: { readonly url: string; readonly allowVolatile: boolean; readonly warn: (text: string) => void; readonly info?: (text: string) => void },
): Promise<DurabilityAssessment> {
  const assessment = assessRedisDurability(await readRedisDurability(client), { cli: redisCliFor(opts.url) });
  const text = describeDurability(assessment, { url: opts.url, allowed: opts.allowVolatile });
  if (assessment.verdict === 'unsafe' && !opts.allowVolatile) {
    throw new HandoverError('HANDOVER_ERR_STORE_NOT_DURABLE', text, { details: assessment.findings.filter((f) => f.severity === 'unsafe').map((f) => f.problem) });
  }
  if (assessment.verdict === 'durable') opts.info?.(text);
  else opts.warn(text);
  return assessment;
}

/**
 * The `redis-cli` invocation that reaches the server of `url`, without its password.
 *
 * @example
 * redisCliFor('rediss://app:secret@10.0.0.5:6380/2'); // 'redis-cli -h 10.0.0.5 -p 6380 --tls --user app --askpass'
 */
export function redisCliFor(url: string): string {
  try {
    const u = new URL(url);
    const parts = ['redis-cli', '-h', u.hostname || '127.0.0.1', '-p', u.port || '6379'];
    if (u.protocol === 'rediss:') parts.push('--tls');
    if (u.username !== '' && u.username !== 'default') parts.push('--user', decodeURIComponent(u.username));
    if (u.password !== '') parts.push('--askpass');
    return parts.join(' ');
  } catch {
    return 'redis-cli';
  }
}

/** `key:value` lines of an INFO reply (section headers and blank lines skipped). */
export function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) out.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return out;
}

/** "up to 3600 s (60 s when busy)" from `save 3600 1 300 100 60 10000`. */
function snapshotWindow(save: string): string {
  const seconds = save
    .trim()
    .split(/\s+/)
    .filter((_, i) => i % 2 === 0)
    .map(Number)
    .filter((n) => Number.isFinite(n) && n > 0);
  if (seconds.length === 0) return 'up to the snapshot interval';
  const max = Math.max(...seconds);
  const min = Math.min(...seconds);
  return max === min ? `up to ${max} s` : `up to ${max} s (${min} s when busy)`;
}

function summarize(s: RedisDurabilitySettings): string {
  const aof = s.appendonly === null ? 'AOF unknown' : s.appendonly ? `AOF (appendfsync ${s.appendfsync ?? 'unknown'})` : 'AOF off';
  const rdb = s.save === null ? 'RDB schedule unknown' : s.save === '' ? 'RDB off' : `RDB save "${s.save}"`;
  const policy = `maxmemory-policy ${s.maxmemoryPolicy ?? 'unknown'}`;
  return [aof, rdb, policy, ...(s.source === 'config' ? [] : [`read from ${s.source === 'info' ? 'INFO: CONFIG is not available' : 'nowhere: CONFIG and INFO refused'}`])].join(', ');
}

function why(s: RedisDurabilitySettings): string {
  return s.unreadable === null ? '' : ` (${s.unreadable})`;
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).trim();
}
