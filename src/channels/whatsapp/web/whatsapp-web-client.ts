/**
 * The slice of whatsapp-web.js's `Client` the channel uses. The adapter and the supervisor depend on
 * this interface only, so tests drive a fake (WhatsApp's servers are unreachable from CI) and
 * `whatsapp-web-client-check.ts` proves at compile time that the real `Client` still satisfies it
 * after an upgrade. Keep it narrow: every member added here is one more thing the fake must mimic.
 *
 * @example
 * const client: WhatsAppWebClient = await createWwebjsClient({ dataPath: './.wwebjs_auth' });
 * client.on('message', (m) => console.log(m.from, m.body));
 */
export interface WhatsAppWebClient {
  on(event: 'qr', listener: (qr: string) => void): this;
  on(event: 'authenticated', listener: () => void): this;
  on(event: 'auth_failure', listener: (message: string) => void): this;
  on(event: 'ready', listener: () => void): this;
  on(event: 'disconnected', listener: (reason: string) => void): this;
  on(event: 'change_state', listener: (state: string) => void): this;
  on(event: 'message', listener: (message: WhatsAppWebMessage) => void): this;
  on(event: 'message_create', listener: (message: WhatsAppWebMessage) => void): this;
  // Matches EventEmitter's own signature; the listeners are the same functions passed to `on`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- EventEmitter's listener type is `(...args: any[]) => void`.
  removeListener(event: string, listener: (...args: any[]) => void): this;
  /** Launches Chromium and opens WhatsApp Web; resolves once the page is injected (not when `ready`). */
  initialize(): Promise<void>;
  /** Closes the browser. The same client can be initialized again afterwards (that is how we reconnect). */
  destroy(): Promise<void>;
  sendMessage(chatId: string, content: string): Promise<WhatsAppWebMessage>;
  /**
   * Sends a file (whatsapp-web.js `MessageMedia`; `createWwebjsClient` adds it). Optional: without it,
   * files agents send are reported as not sent.
   */
  sendFile?(chatId: string, file: WhatsAppWebFile, opts: { caption?: string; asDocument?: boolean }): Promise<WhatsAppWebMessage>;
  /** Optional so a minimal client still works; used only to show "typing…". */
  getChatById?(chatId: string): Promise<WhatsAppWebChat>;
}

/**
 * A file to send: whatsapp-web.js `MessageMedia`'s fields (base64 data).
 *
 * @example
 * const f: WhatsAppWebFile = { mimetype: 'application/pdf', data: bytes.toString('base64'), filename: 'invoice.pdf' };
 */
export interface WhatsAppWebFile {
  readonly mimetype: string;
  readonly data: string;
  readonly filename: string;
}

/**
 * The fields of a whatsapp-web.js `Message` the channel reads.
 *
 * @example
 * const m: WhatsAppWebMessage = { id: { _serialized: 'false_1@c.us_AB' }, from: '1@c.us', to: '2@c.us', body: 'hi', type: 'chat', timestamp: 1700000000, fromMe: false, hasMedia: false };
 */
export interface WhatsAppWebMessage {
  readonly id: { readonly _serialized: string };
  /** Chat id for incoming messages (`…@c.us`, `…@lid`, `…@g.us`, `status@broadcast`); our own id when fromMe. */
  readonly from: string;
  /** Our own id for incoming messages; the chat id when fromMe. */
  readonly to: string;
  /** Group participant who wrote the message (groups only). */
  readonly author?: string;
  /** Text, or the caption of a media message. */
  readonly body: string;
  /** whatsapp-web.js `MessageTypes` value: 'chat', 'image', 'ptt', 'document', … */
  readonly type: string;
  /** Seconds since the epoch. */
  readonly timestamp: number;
  readonly fromMe: boolean;
  readonly hasMedia: boolean;
  readonly isStatus?: boolean;
  /** whatsapp-web.js's raw payload (untyped upstream); read only for the media's MIME type and file name. */
  readonly _data?: { readonly mimetype?: string; readonly filename?: string; readonly notifyName?: string };
  /** A shared location (type 'location'). */
  readonly location?: { readonly latitude: string | number; readonly longitude: string | number; readonly name?: string; readonly address?: string; readonly description?: string; readonly url?: string };
  /** Shared contact cards (types 'vcard' and 'multi_vcard'), as vCard text. */
  readonly vCards?: readonly string[];
  /**
   * The media's bytes (whatsapp-web.js `Message.downloadMedia()`: base64 `data`), or undefined when
   * WhatsApp no longer has them. Optional so a minimal client still works.
   */
  downloadMedia?(): Promise<{ readonly mimetype: string; readonly data: string; readonly filename?: string | null } | undefined>;
}

/**
 * The fields of a whatsapp-web.js `Chat` the channel uses.
 *
 * @example
 * await (await client.getChatById?.('1@c.us'))?.sendStateTyping();
 */
export interface WhatsAppWebChat {
  sendStateTyping(): Promise<void>;
  /** Marks the chat read (blue ticks). Optional so a minimal client still works. */
  sendSeen?(): Promise<unknown>;
}
