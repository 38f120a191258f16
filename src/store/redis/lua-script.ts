import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HandoverError } from '../../core/errors.js';
import type { RedisClient } from './redis-connection.js';

/**
 * Where the `.lua` files are. Next to this module when running from `src/` (tsx, tests); a
 * `tsc` build does not copy non-TS files, so a build in `dist/src/store/redis/` falls back to the
 * package's `src/store/redis/scripts/` (four levels up is the package root).
 */
function scriptsDir(): string {
  const here = path.join(__dirname, 'scripts');
  if (existsSync(here)) return here;
  return path.resolve(__dirname, '..', '..', '..', '..', 'src', 'store', 'redis', 'scripts');
}

/**
 * One Lua script from `scripts/`, run with EVALSHA and, when Redis answers NOSCRIPT (first use,
 * or the script cache was flushed by a restart), with EVAL, which also caches it again.
 * The file name `camelVerb-<numKeys>.lua` states how many KEYS it takes; `run` checks it so a
 * wrong call fails here and not as a puzzling Lua error.
 *
 * @example
 * const commit = LuaScript.load('commitHandoff-7.lua');
 * const reply = await commit.run(client, [stateKey, deadlinesKey, queueKey, agentKey, transcriptKey, packetKey, packetsKey], ['0', json, id, score, '', '0', '1', closedMs, transcriptMs, briefingsMs]);
 */
export class LuaScript {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly source: string,
    readonly numKeys: number,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Reads `scripts/<fileName>`; the key count comes from the `-<n>.lua` suffix. */
  static load(fileName: string): LuaScript {
    const m = /^([a-z][A-Za-z]*)-(\d+)\.lua$/.exec(fileName);
    // A plain Error on purpose: only this package names its scripts, so a bad name is a bug here, not a user's to fix.
    if (m === null) throw new Error(`Lua script name "${fileName}" must look like camelVerb-<numKeys>.lua`);
    const file = path.join(scriptsDir(), fileName);
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (e) {
      throw new HandoverError(
        'HANDOVER_ERR_STORE_UNAVAILABLE',
        `Redis script ${file} is missing: the package is incomplete (ship src/store/redis/scripts/*.lua)`,
        { cause: e },
      );
    }
    return new LuaScript(m[1] ?? fileName, source, Number(m[2]));
  }

  async run(client: RedisClient, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    if (keys.length !== this.numKeys) {
      // A plain Error on purpose: the caller is this package's own store code; a wrong key count is its bug.
      throw new Error(`Lua script ${this.name} takes ${this.numKeys} keys, got ${keys.length}`);
    }
    const options = { keys: [...keys], arguments: [...args] };
    try {
      return await client.evalSha(this.sha, options);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
      return await client.eval(this.source, options);
    }
  }
}
