/**
 * Photos, voice notes, videos and documents customers send on a channel that hands us the bytes
 * (whatsapp-web.js `downloadMedia()`), kept in the deployment's shared DocumentStore so the console
 * of any process can show them: `GET /api/media/{id}` (signed-in console users only) serves them.
 * Ids are random (not the channel's message id), files are capped at `CUSTOMER_MEDIA_MAX_BYTES`,
 * and each is forgotten after `ttlMs` (default 7 days, the Cloud API's signed links' life) or when
 * its customer is erased (`forgetConversation`, from `eraseCustomer`).
 *
 * @example
 * const media = new CustomerMedia(stores.documents, clock);
 * const url = await media.put({ contentType: 'image/jpeg', name: null, bytes }, 'whatsapp:5511…@c.us'); // '/api/media/…'
 * await media.get(url.slice('/api/media/'.length)); // { contentType, name, bytes }
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { DocumentStore } from '../core/ports/document-store.js';

/** Where the console reads a kept file: `${CUSTOMER_MEDIA_PATH}/<id>`. */
export const CUSTOMER_MEDIA_PATH = '/api/media';
/** The largest file kept (WhatsApp's own limit for documents is 100 MB; these travel through the store). */
export const CUSTOMER_MEDIA_MAX_BYTES = 16 * 1024 * 1024;
/** How long a file is kept by default. */
export const CUSTOMER_MEDIA_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** A kept file. */
export interface CustomerMediaFile {
  readonly contentType: string;
  readonly name: string | null;
  readonly bytes: Buffer;
}

interface Stored {
  readonly contentType: string;
  readonly name: string | null;
  readonly data: string;
  readonly expiresAt: number;
}

/** The customers' files of one deployment (`customer-media:<id>` documents). */
export class CustomerMedia {
  constructor(
    private readonly docs: DocumentStore,
    private readonly clock: Clock,
    private readonly ttlMs: number = CUSTOMER_MEDIA_TTL_MS,
  ) {}

  /**
   * Keeps a file of `conversationId` and returns the console's URL for it, or undefined when it is
   * too large or empty. The conversation's list of files lets an erasure find them.
   */
  async put(file: CustomerMediaFile, conversationId: string): Promise<string | undefined> {
    if (file.bytes.length === 0 || file.bytes.length > CUSTOMER_MEDIA_MAX_BYTES) return undefined;
    const id = randomUUID();
    for (let attempt = 0; attempt < 10; attempt++) {
      const list = await this.docs.read<string[]>(listKey(conversationId));
      const next = [...(list?.value ?? []), id].slice(-1000);
      const r = list === undefined ? await this.docs.create(listKey(conversationId), next) : await this.docs.write(listKey(conversationId), next, list.eTag);
      if (r.ok) break;
    }
    const stored: Stored = {
      contentType: file.contentType.split(';')[0]!.trim().toLowerCase() || 'application/octet-stream',
      name: file.name,
      data: file.bytes.toString('base64'),
      expiresAt: this.clock.now() + this.ttlMs,
    };
    await this.docs.write(key(id), stored);
    return `${CUSTOMER_MEDIA_PATH}/${id}`;
  }

  /** Forgets every file of a conversation (erasure); resolves with how many there were. */
  async forgetConversation(conversationId: string): Promise<number> {
    const list = await this.docs.read<string[]>(listKey(conversationId));
    if (list === undefined) return 0;
    let n = 0;
    for (const id of list.value) {
      if ((await this.docs.read(key(id))) !== undefined) n++;
      await this.docs.delete(key(id));
    }
    await this.docs.delete(listKey(conversationId));
    return n;
  }

  /** The file kept under `id`, while it is kept. */
  async get(id: string): Promise<CustomerMediaFile | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const doc = await this.docs.read<Stored>(key(id));
    if (doc === undefined) return undefined;
    if (doc.value.expiresAt < this.clock.now()) {
      await this.docs.delete(key(id));
      return undefined;
    }
    return { contentType: doc.value.contentType, name: doc.value.name, bytes: Buffer.from(doc.value.data, 'base64') };
  }
}

function key(id: string): string {
  return `customer-media:${id}`;
}

function listKey(conversationId: string): string {
  return `customer-media-of:${conversationId}`;
}
