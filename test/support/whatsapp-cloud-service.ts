/**
 * `handover start --whatsapp-cloud` in this process (the real composition: web chat, console, Cloud
 * webhook on one server) with Meta's Graph API replaced by FakeGraphApi, plus a WhatsApp customer who
 * posts signed webhooks. For console tests of WhatsApp conversations (media in Chromium, agents
 * sending files).
 *
 * @example
 * const w = await startWhatsAppCloudService();
 * await w.customer({ type: 'text', text: { body: 'I want to talk to a real person' } });
 * … await w.close();
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { FakeGraphApi } from './fake-graph-api.js';
import { startTestService, type TestService } from './agent-service.js';

export const WHATSAPP_ENV = {
  WHATSAPP_VERIFY_TOKEN: 'verify-me-please',
  WHATSAPP_APP_SECRET: 'test-app-secret-0123456789',
  WHATSAPP_ACCESS_TOKEN: 'EAAG-test-access-token',
};

/** The service, the fake Meta, and a customer on WhatsApp. */
export interface WhatsAppCloudService {
  readonly t: TestService;
  readonly graph: FakeGraphApi;
  /** The customer's number (wa_id) and conversation id (`whatsapp-cloud:<wa_id>`). */
  readonly waId: string;
  readonly conversationId: string;
  /** Posts one signed message webhook from the customer; resolves when the service has processed it. */
  customer(message: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the service on a temporary root whose manifest points the Cloud channel at a FakeGraphApi
 * (bursts off on the Cloud channel, so each message is its own turn).
 */
export async function startWhatsAppCloudService(opts: { waId?: string; env?: NodeJS.ProcessEnv } = {}): Promise<WhatsAppCloudService> {
  const graph = await FakeGraphApi.start();
  graph.token = WHATSAPP_ENV.WHATSAPP_ACCESS_TOKEN;
  const root = mkdtempSync(path.join(tmpdir(), 'handover-wa-'));
  const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as Record<string, any>;
  manifest['whatsapp']['cloud']['graphBaseUrl'] = graph.baseUrl;
  manifest['bursts']['windowSeconds']['whatsapp-cloud'] = 0;
  writeFileSync(path.join(root, 'manifest.json'), JSON.stringify(manifest));
  for (const dir of ['dialogs', 'locales', 'data', 'nlu']) symlinkSync(path.resolve(dir), path.join(root, dir));
  const t = await startTestService({ root, whatsappCloud: true, env: { ...WHATSAPP_ENV, ...(opts.env ?? {}) } });
  const waId = opts.waId ?? '15550100777';
  const webhookPath = String(manifest['whatsapp']['cloud']['webhookPath'] ?? '/webhooks/whatsapp');
  let seq = 0;
  return {
    t,
    graph,
    waId,
    conversationId: `whatsapp-cloud:${waId}`,
    customer: async (message) => {
      const body = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: 'WABA',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '15550000000', phone_number_id: String(manifest['whatsapp']['cloud']['phoneNumberId']) },
                  contacts: [{ profile: { name: 'Maya' }, wa_id: waId }],
                  messages: [{ from: waId, id: `wamid.T${Date.now()}.${++seq}`, timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
                },
              },
            ],
          },
        ],
      });
      const signature = `sha256=${createHmac('sha256', WHATSAPP_ENV.WHATSAPP_APP_SECRET).update(body).digest('hex')}`;
      const res = await fetch(`${t.base}${webhookPath}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      await res.arrayBuffer();
      // processed in the background after the 200: wait until the customer's line is in the transcript
      const id = `whatsapp-cloud:${waId}` as Parameters<typeof t.svc.stores.transcripts.read>[0];
      const before = seq;
      for (let i = 0; i < 200; i++) {
        const lines = await t.svc.stores.transcripts.read(id);
        if (lines.filter((l) => l.from === 'customer').length >= before) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('the customer message was not recorded within 5 s');
    },
    close: async () => {
      await t.close();
      await graph.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * A small real PNG (solid colour), so a browser decodes it (naturalWidth > 0).
 *
 * @example
 * graph.media.set('1479', { bytes: solidPng(8, 6), mimeType: 'image/png' });
 */
export function solidPng(width: number, height: number, rgb: [number, number, number] = [220, 40, 40]): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
