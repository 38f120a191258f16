import type { DocumentStore, StoredDocument, WriteResult } from '../../core/ports/document-store.js';
import type { ConversationExpiry } from './conversation-expiry.js';

/**
 * The conversation a document belongs to, from its key, or `undefined` for documents of no one
 * conversation (agent sessions, metrics, callback bookings…):
 * - `memory:<channel>:<id>` — the middleware's conversation memory (`memoryKey`);
 * - `<namespace>:<channel>/conversations/<id>/…` — botbuilder `ConversationState` and
 *   `PrivateConversationState` through `DocumentStorage` (the sample bot's dialog state);
 * - `whatsapp-cloud:<phone number id>:conv:<wa id>` — the Cloud API channel's per-customer window.
 *
 * @example
 * conversationOfDocumentKey('memory:webchat:42');                     // 'webchat:42'
 * conversationOfDocumentKey('botstate:webchat/conversations/42/');    // 'webchat:42'
 * conversationOfDocumentKey('agent-session:ab12');                    // undefined
 */
export function conversationOfDocumentKey(key: string): string | undefined {
  if (key.startsWith('memory:')) return key.slice('memory:'.length);
  const state = /^(?:[^/:]*:)?([^/:]+)\/conversations\/(.+)$/.exec(key);
  if (state !== null) {
    // what follows the id: `/<namespace>` (ConversationState) or `/users/<user>/<namespace>` (PrivateConversationState)
    const rest = state[2]!;
    const id = /^(.+)\/users\/[^/]+\/[^/]*$/.exec(rest)?.[1] ?? /^(.+)\/[^/]*$/.exec(rest)?.[1];
    return id === undefined ? undefined : `${state[1]!}:${id}`;
  }
  const cloud = /^whatsapp-cloud:[^:]+:conv:(.+)$/.exec(key);
  if (cloud !== null) return `whatsapp-cloud:${cloud[1]!}`;
  return undefined;
}

/**
 * In-process `DocumentStore`. Values are kept as JSON text so a caller can never mutate the stored
 * copy by accident, exactly as with a remote store.
 *
 * With an `expiry` (what `createMemoryStores` passes) the documents of a conversation
 * (`conversationOf` tells which they are) go when it expires; a write marks it active.
 *
 * @example
 * const docs = new MemoryDocumentStore(); await docs.write('k', { a: 1 });
 */
export class MemoryDocumentStore implements DocumentStore {
  private readonly docs = new Map<string, { json: string; eTag: string }>();
  /** conversation -> keys of its documents (only kept with an expiry). */
  private readonly byConversation = new Map<string, Set<string>>();
  private seq = 0;

  constructor(
    private readonly expiry?: ConversationExpiry,
    private readonly conversationOf: (key: string) => string | undefined = conversationOfDocumentKey,
    /** Told of every write (the customer index reads the conversation memory's customer from it). */
    private readonly observe?: (key: string, value: unknown) => void,
  ) {
    expiry?.register({ forget: (id) => this.forget(id) });
  }

  async read<T>(key: string): Promise<StoredDocument<T> | undefined> {
    this.check(key);
    const d = this.docs.get(key);
    return d === undefined ? undefined : { value: JSON.parse(d.json) as T, eTag: d.eTag };
  }

  async write<T>(key: string, value: T, eTag?: string): Promise<WriteResult> {
    const conversation = this.touch(key);
    const cur = this.docs.get(key);
    // botbuilder semantics: a new key, no eTag or '*' write unconditionally; otherwise eTags must match.
    if (cur !== undefined && eTag !== undefined && eTag !== '*' && cur.eTag !== eTag) return { ok: false };
    const next = String(++this.seq);
    this.docs.set(key, { json: JSON.stringify(value), eTag: next });
    this.observe?.(key, value);
    if (conversation !== undefined) {
      let keys = this.byConversation.get(conversation);
      if (keys === undefined) this.byConversation.set(conversation, (keys = new Set()));
      keys.add(key);
    }
    return { ok: true, eTag: next };
  }

  async create<T>(key: string, value: T): Promise<WriteResult> {
    this.check(key);
    if (this.docs.has(key)) return { ok: false };
    return this.write(key, value);
  }

  async delete(key: string): Promise<void> {
    this.docs.delete(key);
    const conversation = this.expiry === undefined ? undefined : this.conversationOf(key);
    if (conversation === undefined) return;
    const keys = this.byConversation.get(conversation);
    keys?.delete(key);
    if (keys?.size === 0) this.byConversation.delete(conversation);
  }

  /** Every key for which `test` answers true (a full walk: erasure only). */
  keysWhere(test: (key: string) => boolean): string[] {
    return [...this.docs.keys()].filter(test);
  }

  /** The keys of a conversation's documents (only known with an expiry). */
  keysOf(conversation: string): string[] {
    return [...(this.byConversation.get(conversation) ?? [])];
  }

  /** Entry counts (what the memory bound is measured by). */
  counts(): { documents: number; conversationDocuments: number } {
    let conversationDocuments = 0;
    for (const keys of this.byConversation.values()) conversationDocuments += keys.size;
    return { documents: this.docs.size, conversationDocuments };
  }

  private check(key: string): void {
    if (this.expiry === undefined) return;
    const conversation = this.conversationOf(key);
    if (conversation !== undefined) this.expiry.check(conversation);
  }

  private touch(key: string): string | undefined {
    if (this.expiry === undefined) return undefined;
    const conversation = this.conversationOf(key);
    if (conversation !== undefined) this.expiry.touch(conversation);
    return conversation;
  }

  private forget(conversation: string): void {
    const keys = this.byConversation.get(conversation);
    if (keys === undefined) return;
    for (const k of keys) this.docs.delete(k);
    this.byConversation.delete(conversation);
  }
}
