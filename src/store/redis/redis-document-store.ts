import { randomUUID } from 'node:crypto';
import type { DocumentStore, StoredDocument, WriteResult } from '../../core/ports/document-store.js';
import { HandoverError } from '../../core/errors.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import { LuaScript } from './lua-script.js';
import { DEFAULT_RETENTION, customerIndexMs, type RetentionPolicy } from '../../core/ports/customer-data.js';
import { customerOfDocument, documentTtlMs } from '../../handoff/customer-erasure.js';

const writeScript = LuaScript.load('writeDocument-2.lua');

/**
 * `DocumentStore` on Redis: one hash per document (`v` JSON, `e` eTag), written by a Lua
 * compare-and-set with botbuilder MemoryStorage semantics (see `writeDocument-2.lua`).
 * Every write restarts the document's retention (`documentTtlMs`: its class from the key) and a
 * conversation memory's write links its conversation to its customer (the erasure index).
 * eTags are random UUIDs rather than a counter: a counter would need a second, shared key in the
 * script, and would restart after a delete so a writer holding an eTag from before the delete could
 * overwrite the new document.
 *
 * @example
 * const docs = new RedisDocumentStore(client, new RedisKeys('handover'));
 * const doc = await docs.read<{ n: number }>('conv:42');
 * const r = await docs.write('conv:42', { n: (doc?.value.n ?? 0) + 1 }, doc?.eTag);
 */
export class RedisDocumentStore implements DocumentStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retention: RetentionPolicy = DEFAULT_RETENTION,
    private readonly now: () => number = Date.now,
  ) {}

  async read<T = unknown>(key: string): Promise<StoredDocument<T> | undefined> {
    const [json, eTag] = await this.client.hmGet(this.keys.document(key), ['v', 'e']);
    if (typeof json !== 'string' || typeof eTag !== 'string') return undefined;
    try {
      return { value: JSON.parse(json) as T, eTag };
    } catch (e) {
      throw new HandoverError(
        'HANDOVER_ERR_STORE_DATA_INVALID',
        `document "${key}" is not JSON: check that nothing else writes under this key prefix`,
        { cause: e },
      );
    }
  }

  async write<T = unknown>(key: string, value: T, eTag?: string): Promise<WriteResult> {
    const next = randomUUID();
    const conditional = eTag !== undefined && eTag !== '*';
    const reply = await writeScript.run(
      this.client,
      ...this.withRetention(key, value, [
        // JSON.stringify(undefined) is undefined: store it as null so read() can parse it back.
        JSON.stringify(value) ?? 'null',
        conditional ? '1' : '0',
        eTag ?? '',
        next,
      ]),
    );
    return reply === 1 ? { ok: true, eTag: next } : { ok: false };
  }

  async create<T = unknown>(key: string, value: T): Promise<WriteResult> {
    const next = randomUUID();
    const reply = await writeScript.run(this.client, ...this.withRetention(key, value, [JSON.stringify(value) ?? 'null', '2', '', next]));
    return reply === 1 ? { ok: true, eTag: next } : { ok: false };
  }

  /** KEYS and ARGV of `writeDocument-2.lua`: the document's TTL and, for a conversation memory, its customer link. */
  private withRetention(key: string, value: unknown, args: string[]): [string[], string[]] {
    const ttl = documentTtlMs(key, value, this.retention, this.now());
    const link = customerOfDocument(key, value);
    return [
      [this.keys.document(key), link === undefined ? this.keys.document(key) : this.keys.customer(link.customerId)],
      [...args, ttl === null ? '' : String(Math.max(1, Math.round(ttl))), link?.conversationId ?? '', String(customerIndexMs(this.retention))],
    ];
  }

  async delete(key: string): Promise<void> {
    await this.client.unlink(this.keys.document(key));
  }
}
