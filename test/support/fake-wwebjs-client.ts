import { EventEmitter } from 'node:events';
import type {
  WhatsAppWebChat,
  WhatsAppWebClient,
  WhatsAppWebFile,
  WhatsAppWebMessage,
} from '../../src/channels/whatsapp/web/whatsapp-web-client.js';

/** Options of {@link FakeWwebjsClient.inbound}. */
export interface FakeInboundOptions {
  readonly id?: string;
  readonly type?: string;
  readonly hasMedia?: boolean;
  readonly mimetype?: string;
  readonly filename?: string;
  readonly author?: string;
  readonly timestamp?: number;
  readonly isStatus?: boolean;
  readonly location?: WhatsAppWebMessage['location'];
  readonly vCards?: readonly string[];
  /** What `downloadMedia()` gives (base64 `data`); leave out for a message whose media WhatsApp no longer has. */
  readonly media?: { readonly mimetype: string; readonly data: string; readonly filename?: string | null };
}

/**
 * Stands in for whatsapp-web.js's `Client` (WhatsApp's servers are unreachable here). It implements the
 * same narrow interface as the real one — checked by the compiler through `implements` and the
 * assignment below — emits the connection events, turns `inbound(...)` into `message` events (and
 * `message_create`, like the real client does for every message), records what was sent, and can fake
 * business-phone messages, duplicate events and disconnects.
 *
 * @example
 * const client = new FakeWwebjsClient();
 * await client.initialize();                 // qr → authenticated → ready
 * await client.inbound('5511999@c.us', 'hi');
 * client.sent;                                // [{ chatId, content }]
 */
export class FakeWwebjsClient extends EventEmitter implements WhatsAppWebClient {
  /** Our own WhatsApp id (the business number). */
  readonly me: string;
  readonly sent: Array<{ chatId: string; content: string; id: string }> = [];
  /** Files sent with `sendFile` (MessageMedia on the real client). */
  readonly sentFiles: Array<{ chatId: string; file: WhatsAppWebFile; caption: string | undefined; asDocument: boolean; id: string }> = [];
  readonly typing: string[] = [];
  /** Chats marked read (sendSeen). */
  readonly seen: string[] = [];
  initializeCalls = 0;
  destroyCalls = 0;
  connected = false;
  /** Makes the next N initialize() calls reject (Chromium failed to start, network down…). */
  failNextInitializations = 0;
  /** Emit a QR before authenticating (first run: no saved session). */
  showQr = true;
  /** When false, initialize() stops after `authenticated` (the "ready never fires" bug). */
  emitReady = true;
  private seq = 0;

  constructor(me = '5511000000000@c.us') {
    super();
    this.me = me;
  }

  async initialize(): Promise<void> {
    this.initializeCalls += 1;
    await tick();
    if (this.failNextInitializations > 0) {
      this.failNextInitializations -= 1;
      throw new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/');
    }
    if (this.showQr) this.emit('qr', `qr-${this.initializeCalls}`);
    this.showQr = false; // LocalAuth saved the session
    this.emit('authenticated');
    if (!this.emitReady) return;
    this.connected = true;
    this.emit('ready');
  }

  async destroy(): Promise<void> {
    this.destroyCalls += 1;
    this.connected = false;
  }

  async sendMessage(chatId: string, content: string): Promise<WhatsAppWebMessage> {
    if (!this.connected) throw new Error('Session closed. Most likely the page has been closed.');
    const msg = this.message({ id: `true_${chatId}_OUT${++this.seq}`, from: this.me, to: chatId, body: content, fromMe: true });
    this.sent.push({ chatId, content, id: msg.id._serialized });
    // Like the real client, the echo arrives before sendMessage resolves.
    this.emit('message_create', msg);
    await tick();
    return msg;
  }

  async sendFile(chatId: string, file: WhatsAppWebFile, opts: { caption?: string; asDocument?: boolean }): Promise<WhatsAppWebMessage> {
    if (!this.connected) throw new Error('Session closed. Most likely the page has been closed.');
    const type = opts.asDocument === true ? 'document' : file.mimetype.startsWith('image/') ? 'image' : 'document';
    const msg = this.message({ id: `true_${chatId}_OUT${++this.seq}`, from: this.me, to: chatId, body: opts.caption ?? '', fromMe: true, type });
    this.sentFiles.push({ chatId, file, caption: opts.caption, asDocument: opts.asDocument === true, id: msg.id._serialized });
    this.emit('message_create', msg);
    await tick();
    return msg;
  }

  async getChatById(chatId: string): Promise<WhatsAppWebChat> {
    return { sendStateTyping: async () => void this.typing.push(chatId), sendSeen: async () => void this.seen.push(chatId) };
  }

  /** A customer writes to us. Returns the emitted message (to re-emit it as a duplicate). */
  async inbound(from: string, body: string, opts: FakeInboundOptions = {}): Promise<WhatsAppWebMessage> {
    const msg = this.message({
      id: opts.id ?? `false_${from}_IN${++this.seq}`,
      from,
      to: this.me,
      body,
      fromMe: false,
      type: opts.type ?? (opts.hasMedia === true ? 'image' : 'chat'),
      hasMedia: opts.hasMedia ?? false,
      ...(opts.author === undefined ? {} : { author: opts.author }),
      ...(opts.timestamp === undefined ? {} : { timestamp: opts.timestamp }),
      ...(opts.isStatus === undefined ? {} : { isStatus: opts.isStatus }),
      ...(opts.location === undefined ? {} : { location: opts.location }),
      ...(opts.vCards === undefined ? {} : { vCards: opts.vCards }),
      _data: { ...(opts.mimetype === undefined ? {} : { mimetype: opts.mimetype }), ...(opts.filename === undefined ? {} : { filename: opts.filename }) },
      ...(opts.hasMedia === true ? { downloadMedia: async () => opts.media } : {}),
    });
    this.emitMessage(msg);
    await tick();
    return msg;
  }

  /** Re-delivers the same message event (WhatsApp Web does this after reconnects). */
  async duplicate(msg: WhatsAppWebMessage): Promise<void> {
    this.emitMessage(msg);
    await tick();
  }

  /** Someone types on the business phone to `chatId` (not through sendMessage). */
  async phoneMessage(chatId: string, body: string): Promise<WhatsAppWebMessage> {
    const msg = this.message({ id: `true_${chatId}_PHONE${++this.seq}`, from: this.me, to: chatId, body, fromMe: true });
    this.emit('message_create', msg);
    await tick();
    return msg;
  }

  /** The session drops (phone offline too long, logout, navigation…). */
  disconnect(reason = 'NAVIGATION'): void {
    this.connected = false;
    this.emit('disconnected', reason);
  }

  private emitMessage(msg: WhatsAppWebMessage): void {
    this.emit('message', msg);
    this.emit('message_create', msg);
  }

  private message(p: Partial<Omit<WhatsAppWebMessage, 'id'>> & { id: string; from: string; to: string; body: string; fromMe: boolean }): WhatsAppWebMessage {
    return {
      type: 'chat',
      hasMedia: false,
      timestamp: 1_700_000_000 + this.seq,
      ...p,
      id: { _serialized: p.id },
    };
  }
}

function tick(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

// The compiler checks the fake against the interface (in addition to `implements`, which does not
// check overload-by-overload assignability of `on`).
export const fakeSatisfiesInterface: WhatsAppWebClient = null as unknown as FakeWwebjsClient;
