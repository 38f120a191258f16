import { HandoverError } from '../../../core/errors.js';
import type { WhatsAppWebClient } from './whatsapp-web-client.js';

/** Options of {@link createWwebjsClient}. */
export interface CreateWwebjsClientOptions {
  /**
   * Where LocalAuth keeps the Chromium profile (the WhatsApp session). Put it on a persistent volume:
   * losing it means scanning the QR again. Default './.wwebjs_auth'.
   */
  readonly dataPath?: string;
  /** Session name inside dataPath; one per WhatsApp number (default 'default'). */
  readonly clientId?: string;
  /** Chromium binary (default '/usr/bin/chromium', Debian's package; puppeteer's own download is skipped). */
  readonly executablePath?: string;
  /** Default true. */
  readonly headless?: boolean;
  /** Extra Chromium flags, added to --no-sandbox --disable-dev-shm-usage. */
  readonly extraArgs?: readonly string[];
}

/**
 * Builds the real whatsapp-web.js client. This is the only module that loads whatsapp-web.js at run
 * time, and it does so lazily inside the function, so importing the channel (tests, the Cloud API only,
 * the CLI) never loads puppeteer. The client is not started: the supervisor calls `initialize()`.
 *
 * @example
 * const client = await createWwebjsClient({ dataPath: '/var/lib/handover/wwebjs', executablePath: process.env.CHROMIUM_PATH });
 */
export async function createWwebjsClient(options: CreateWwebjsClientOptions = {}): Promise<WhatsAppWebClient> {
  const mod = await import('whatsapp-web.js').catch((e: unknown) => {
    // an optional peer dependency: only deployments that use WhatsApp Web install it (and puppeteer with it)
    const code = (e as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', 'WhatsApp Web needs the whatsapp-web.js package, which is optional: npm install whatsapp-web.js@^1.34.7 (it brings puppeteer; point executablePath at a Chromium)', { cause: e });
    }
    throw e;
  });
  // whatsapp-web.js is CommonJS: depending on the loader its exports sit on the namespace or on `default`.
  const lib = mod.default ?? mod;
  const client = new lib.Client({
    authStrategy: new lib.LocalAuth({
      dataPath: options.dataPath ?? './.wwebjs_auth',
      clientId: options.clientId ?? 'default',
    }),
    puppeteer: {
      executablePath: options.executablePath ?? '/usr/bin/chromium',
      headless: options.headless ?? true,
      // --no-sandbox: containers run as root; --disable-dev-shm-usage: Docker's /dev/shm is 64 MB.
      args: ['--no-sandbox', '--disable-dev-shm-usage', ...(options.extraArgs ?? [])],
    },
  });
  // files agents send: a MessageMedia (photos inline, anything else as a document)
  const sendFile: NonNullable<WhatsAppWebClient['sendFile']> = (chatId, file, opts) =>
    client.sendMessage(chatId, new lib.MessageMedia(file.mimetype, file.data, file.filename), {
      ...(opts.caption === undefined || opts.caption === '' ? {} : { caption: opts.caption }),
      sendMediaAsDocument: opts.asDocument === true,
    });
  return Object.assign(client, { sendFile });
}
