import { z } from 'zod';
import { HandoverError } from '../../../core/errors.js';

/**
 * Settings of the whatsapp-web.js channel (manifest.json section `whatsapp.web`). No secrets: the
 * session lives in the LocalAuth profile on disk (`sessionDataPath`), created by scanning the QR once.
 *
 * @example
 * const cfg = whatsappWebConfigSchema.parse({ enabled: true, sessionDataPath: '/var/lib/handover/wwebjs' });
 * cfg.minSendGapMs; // 1000
 */
export const whatsappWebConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** LocalAuth dataPath: keep it on a persistent volume. */
    sessionDataPath: z.string().min(1).default('./.wwebjs_auth'),
    /** Session name; also names the lease (`whatsapp-web:<clientId>`), one per WhatsApp number. */
    clientId: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only (LocalAuth uses it in a folder name)').default('default'),
    chromiumPath: z.string().min(1).default('/usr/bin/chromium'),
    headless: z.boolean().default(true),
    /** Minimum gap between two messages to one chat; WhatsApp bans numbers that burst. */
    minSendGapMs: z.number().int().min(0).max(60_000).default(1000),
    leaseTtlMs: z.number().int().min(1000).default(30_000),
    readyTimeoutMs: z.number().int().min(0).default(120_000),
    reconnect: z
      .object({
        initialMs: z.number().int().min(1).default(1000),
        maxMs: z.number().int().min(1).default(60_000),
        factor: z.number().min(1).default(2),
      })
      .strict()
      .default({}),
  })
  .strict();

/** Parsed whatsapp-web.js settings. @example const c: WhatsAppWebConfig = whatsappWebConfigSchema.parse({}); */
export type WhatsAppWebConfig = z.infer<typeof whatsappWebConfigSchema>;

/**
 * Validates the manifest section `whatsapp.web` and reports every problem at once, naming the field.
 *
 * @example
 * const cfg = parseWhatsAppWebConfig(manifest.whatsapp.web); // throws HANDOVER_ERR_CONFIG_INVALID with every issue
 */
export function parseWhatsAppWebConfig(settings: unknown): WhatsAppWebConfig {
  const r = whatsappWebConfigSchema.safeParse(settings ?? {});
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => `whatsapp.web${i.path.length === 0 ? '' : `.${i.path.join('.')}`}: ${i.message}`);
  throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `WhatsApp (whatsapp-web.js) configuration in manifest.json is invalid:\n${details.join('\n')}`, { details });
}
