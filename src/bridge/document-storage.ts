/**
 * botbuilder `Storage` over our `DocumentStore` port, so dialog state lives in the same store as
 * the handoff state (memory, or Redis to scale out) and honours eTags: botbuilder's own
 * `BotState.saveChanges()` writes `'*'` (last writer wins, as in MemoryStorage), but a caller that
 * passes a real eTag gets a stale write rejected.
 *
 * @example
 * const conversationState = new ConversationState(new DocumentStorage(stores.documents, 'bot'));
 */
import { HandoverError } from '../core/errors.js';
import type { Storage, StoreItems } from 'botbuilder';
import type { DocumentStore } from '../core/ports/document-store.js';

export class DocumentStorage implements Storage {
  constructor(
    private readonly docs: DocumentStore,
    private readonly namespace = 'botstate',
  ) {}

  private key(k: string): string {
    return `${this.namespace}:${k}`;
  }

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    await Promise.all(
      keys.map(async (k) => {
        const doc = await this.docs.read<Record<string, unknown>>(this.key(k));
        if (doc !== undefined) out[k] = { ...doc.value, eTag: doc.eTag };
      }),
    );
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(
      Object.entries(changes).map(async ([k, item]) => {
        const { eTag, ...value } = (item ?? {}) as Record<string, unknown> & { eTag?: string };
        const r = await this.docs.write(this.key(k), value, typeof eTag === 'string' ? eTag : undefined);
        // botbuilder's own wording of an eTag conflict (MemoryStorage's), under our code
        if (!r.ok) throw new HandoverError('HANDOVER_ERR_STATE_CONFLICT', `Storage: error writing "${k}" due to eTag conflict.`);
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(keys.map((k) => this.docs.delete(this.key(k))));
  }
}
