/**
 * JSON documents with optimistic concurrency (eTags), used for the middleware's per-conversation
 * memory (signal history, collected data, conversation reference) and for botbuilder `Storage`.
 *
 * Write semantics follow botbuilder's MemoryStorage: no eTag or `'*'` writes unconditionally;
 * any other eTag must equal the stored one or the write is refused.
 *
 * @example
 * const doc = await docs.read('conv:42');             // { value, eTag } | undefined
 * const r = await docs.write('conv:42', next, doc?.eTag);
 */
export interface StoredDocument<T = unknown> {
  readonly value: T;
  readonly eTag: string;
}

/** `ok` with the new eTag, or refused (stale eTag, or the key exists on `create`). */
export type WriteResult = { readonly ok: true; readonly eTag: string } | { readonly ok: false };

/** JSON documents with eTags; implementations: MemoryDocumentStore, RedisDocumentStore. */
export interface DocumentStore {
  read<T = unknown>(key: string): Promise<StoredDocument<T> | undefined>;
  write<T = unknown>(key: string, value: T, eTag?: string): Promise<WriteResult>;
  /** Write only if the key does not exist yet (exactly one of concurrent creators succeeds). */
  create<T = unknown>(key: string, value: T): Promise<WriteResult>;
  delete(key: string): Promise<void>;
}
