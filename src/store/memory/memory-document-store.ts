import type { DocumentStore, StoredDocument, WriteResult } from '../../core/ports/document-store.js';

/**
 * In-process `DocumentStore`. Values are kept as JSON text so a caller can never mutate the stored
 * copy by accident, exactly as with a remote store.
 *
 * @example
 * const docs = new MemoryDocumentStore(); await docs.write('k', { a: 1 });
 */
export class MemoryDocumentStore implements DocumentStore {
  private readonly docs = new Map<string, { json: string; eTag: string }>();
  private seq = 0;

  async read<T>(key: string): Promise<StoredDocument<T> | undefined> {
    const d = this.docs.get(key);
    return d === undefined ? undefined : { value: JSON.parse(d.json) as T, eTag: d.eTag };
  }

  async write<T>(key: string, value: T, eTag?: string): Promise<WriteResult> {
    const cur = this.docs.get(key);
    // botbuilder semantics: a new key, no eTag or '*' write unconditionally; otherwise eTags must match.
    if (cur !== undefined && eTag !== undefined && eTag !== '*' && cur.eTag !== eTag) return { ok: false };
    const next = String(++this.seq);
    this.docs.set(key, { json: JSON.stringify(value), eTag: next });
    return { ok: true, eTag: next };
  }

  async create<T>(key: string, value: T): Promise<WriteResult> {
    if (this.docs.has(key)) return { ok: false };
    return this.write(key, value);
  }

  async delete(key: string): Promise<void> {
    this.docs.delete(key);
  }
}
