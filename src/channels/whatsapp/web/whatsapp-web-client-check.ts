/**
 * Compile-time proof that whatsapp-web.js's real `Client` satisfies the narrow interface the channel
 * depends on. Type-only import: nothing here runs, and puppeteer is never loaded by it.
 * If a whatsapp-web.js upgrade breaks this line, `tsc --noEmit` fails before any fake-driven test lies.
 *
 * @example
 * // nothing to call: `npx tsc --noEmit -p .` checks it
 */
import type { Client, Message } from 'whatsapp-web.js';
import type { WhatsAppWebClient, WhatsAppWebMessage } from './whatsapp-web-client.js';

export const realClientSatisfiesInterface: WhatsAppWebClient = null as unknown as Client;
export const realMessageSatisfiesInterface: WhatsAppWebMessage = null as unknown as Message;
