/**
 * Files agents send to customers (a photo, an invoice): uploaded through the console API, kept in the
 * shared DocumentStore until the customer's channel has sent them (any process may deliver: the
 * relay carries only a reference, `handover-file:<id>`), then deleted. A file nobody delivers is
 * refused after `AGENT_FILE_TTL_MS` and removed when next looked at.
 *
 * Limits follow what WhatsApp accepts (Cloud API "Supported media types"): JPEG and PNG images up to
 * 5 MB; PDF, plain text and Office documents up to `AGENT_DOCUMENT_MAX_BYTES` (16 MB here; Meta
 * takes 100 MB, but the file travels through the store).
 *
 * @example
 * const files = new AgentFiles(stores.documents, clock);
 * const ref = await files.put({ contentType: 'image/png', name: 'label.png', bytes });
 * // ref.url === 'handover-file:…' → the channel: await files.take(ref.url)
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { HandoverError } from '../core/errors.js';
import type { DocumentStore } from '../core/ports/document-store.js';

/** The reference an attachment's `contentUrl` carries through the relay. */
export const AGENT_FILE_URL_PREFIX = 'handover-file:';
/** How long an undelivered file is kept (the customer-service window). */
export const AGENT_FILE_TTL_MS = 24 * 60 * 60 * 1000;
export const AGENT_IMAGE_MAX_BYTES = 5 * 1024 * 1024;
export const AGENT_DOCUMENT_MAX_BYTES = 16 * 1024 * 1024;

/** Accepted types: images (sent as photos) and documents (sent as files). */
export const AGENT_FILE_TYPES: Readonly<Record<string, 'image' | 'document'>> = {
  'image/jpeg': 'image',
  'image/png': 'image',
  'application/pdf': 'document',
  'text/plain': 'document',
  'application/msword': 'document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'document',
  'application/vnd.ms-excel': 'document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'document',
  'application/vnd.ms-powerpoint': 'document',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'document',
};

/** A file an agent sends, as the transcript and the relay carry it. */
export interface AgentFileRef {
  readonly contentType: string;
  readonly name: string;
  readonly url: string;
  readonly size: number;
  readonly kind: 'image' | 'document';
}

/** A file with its bytes, as a channel sends it. */
export interface AgentFile {
  readonly contentType: string;
  readonly name: string;
  readonly kind: 'image' | 'document';
  readonly bytes: Buffer;
}

interface StoredFile {
  readonly contentType: string;
  readonly name: string;
  readonly kind: 'image' | 'document';
  readonly data: string;
  readonly expiresAt: number;
}

/**
 * Checks a file against the limits; throws HANDOVER_ERR_BAD_REQUEST (type) or
 * HANDOVER_ERR_PAYLOAD_TOO_LARGE (size) naming what is accepted.
 *
 * @example
 * checkAgentFile('image/gif', 10); // throws: JPEG or PNG images, PDF, …
 */
export function checkAgentFile(contentType: string, size: number): 'image' | 'document' {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const kind = AGENT_FILE_TYPES[type];
  if (kind === undefined) {
    throw new HandoverError('HANDOVER_ERR_BAD_REQUEST', `files of type "${type || '(none)'}" cannot be sent: send a JPEG or PNG image, or a PDF, text or Office document`);
  }
  const max = kind === 'image' ? AGENT_IMAGE_MAX_BYTES : AGENT_DOCUMENT_MAX_BYTES;
  if (size > max) throw new HandoverError('HANDOVER_ERR_PAYLOAD_TOO_LARGE', `${kind === 'image' ? 'images' : 'documents'} can be at most ${max / 1024 / 1024} MB; this one is ${(size / 1024 / 1024).toFixed(1)} MB`);
  if (size === 0) throw new HandoverError('HANDOVER_ERR_BAD_REQUEST', 'the file is empty');
  return kind;
}

/** The agent files of one deployment, in its shared DocumentStore (`agent-file:<id>`). */
export class AgentFiles {
  constructor(
    private readonly docs: DocumentStore,
    private readonly clock: Clock,
  ) {}

  /** Checks and keeps a file; resolves with the reference to send. @example await files.put({ contentType: 'application/pdf', name: 'invoice.pdf', bytes }) */
  async put(file: { contentType: string; name: string; bytes: Buffer }): Promise<AgentFileRef> {
    const contentType = file.contentType.split(';')[0]!.trim().toLowerCase();
    const kind = checkAgentFile(contentType, file.bytes.length);
    const id = randomUUID();
    const name = safeName(file.name, contentType);
    const stored: StoredFile = { contentType, name, kind, data: file.bytes.toString('base64'), expiresAt: this.clock.now() + AGENT_FILE_TTL_MS };
    await this.docs.write(key(id), stored);
    return { contentType, name, url: `${AGENT_FILE_URL_PREFIX}${id}`, size: file.bytes.length, kind };
  }

  /** The file a `handover-file:` reference names, while kept. @example await files.get('handover-file:…') */
  async get(url: string): Promise<AgentFile | undefined> {
    if (!url.startsWith(AGENT_FILE_URL_PREFIX)) return undefined;
    const k = key(url.slice(AGENT_FILE_URL_PREFIX.length));
    const doc = await this.docs.read<StoredFile>(k);
    if (doc === undefined) return undefined;
    if (doc.value.expiresAt < this.clock.now()) {
      await this.docs.delete(k);
      return undefined;
    }
    return { contentType: doc.value.contentType, name: doc.value.name, kind: doc.value.kind, bytes: Buffer.from(doc.value.data, 'base64') };
  }

  /** Forgets a file (once sent). @example await files.delete('handover-file:…') */
  async delete(url: string): Promise<void> {
    if (url.startsWith(AGENT_FILE_URL_PREFIX)) await this.docs.delete(key(url.slice(AGENT_FILE_URL_PREFIX.length)));
  }
}

function key(id: string): string {
  return `agent-file:${id}`;
}

/** A file name safe to show and to send: no path, no control characters, at most 120 characters. */
function safeName(name: string, contentType: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim().slice(0, 120);
  if (base !== '') return base;
  return contentType === 'image/png' ? 'image.png' : contentType === 'image/jpeg' ? 'image.jpg' : contentType === 'application/pdf' ? 'document.pdf' : 'document';
}
