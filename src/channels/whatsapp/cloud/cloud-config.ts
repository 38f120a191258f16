import { z } from 'zod';
import { HandoverError } from '../../../core/errors.js';

/** An approved message template, used outside the 24-hour window. */
export const cloudTemplateSchema = z
  .object({
    /** The template's name as approved in WhatsApp Manager. */
    name: z.string().min(1),
    /** Language code it was approved in, e.g. 'pt_BR', 'en_US'. */
    language: z.string().min(2),
  })
  .strict();

/**
 * Non-secret settings of the WhatsApp Cloud API channel (manifest.json section `whatsapp.cloud`).
 * Secrets never live in the manifest: see {@link cloudSecretsFromEnv}.
 *
 * @example
 * whatsappCloudSettingsSchema.parse({ enabled: true, phoneNumberId: '1234567890', templates: { agent_reply: { name: 'agent_ready', language: 'pt_BR' } } });
 */
export const whatsappCloudSettingsSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** The business phone number's id in Meta (not the phone number itself). */
    phoneNumberId: z.string().regex(/^\d+$/, 'the numeric phone number id from WhatsApp Manager'),
    /** Pin the Graph version: Meta retires old ones on a schedule. */
    graphBaseUrl: z.string().url().default('https://graph.facebook.com/v21.0'),
    /** Path of the webhook on the app's HTTP server; register https://<host><path> in Meta's dashboard. */
    webhookPath: z.string().startsWith('/').default('/webhooks/whatsapp'),
    maxBodyBytes: z.number().int().min(1024).default(1024 * 1024),
    /** Attempts per Graph call before the message goes to the outbox. */
    maxAttempts: z.number().int().min(1).max(10).default(4),
    /** How often the app should call `flushOutbox()`. */
    outboxRetryMs: z.number().int().min(1000).default(60_000),
    /**
     * Messages stamped longer ago than this are refused (answered 200, not processed, logged): a
     * replayed webhook. Meta retries undelivered webhooks for up to 7 days, so the default (and the
     * maximum) is 168 h; a shorter window refuses real messages Meta delivers late after an outage.
     */
    replayWindowHours: z.number().int().min(1).max(168).default(168),
    /** Templates by purpose; `agent_reply` is required (sent when an agent writes outside the window). */
    templates: z.object({ agent_reply: cloudTemplateSchema }).catchall(cloudTemplateSchema),
  })
  .strict();

/** Secrets, read from the environment only. @example cloudSecretsSchema.parse({ WHATSAPP_VERIFY_TOKEN: 'x', WHATSAPP_APP_SECRET: 'y', WHATSAPP_ACCESS_TOKEN: 'z' }) */
export const cloudSecretsSchema = z.object({
  WHATSAPP_VERIFY_TOKEN: z.string().min(8, 'WHATSAPP_VERIFY_TOKEN: at least 8 characters (you choose it; Meta echoes it back)'),
  WHATSAPP_APP_SECRET: z.string().min(16, 'WHATSAPP_APP_SECRET: the app secret from Meta (App settings > Basic)'),
  WHATSAPP_ACCESS_TOKEN: z.string().min(16, 'WHATSAPP_ACCESS_TOKEN: a system-user token with whatsapp_business_messaging'),
});

/** Settings plus secrets: what the Cloud channel is built from. */
export type WhatsAppCloudConfig = z.infer<typeof whatsappCloudSettingsSchema> & {
  readonly verifyToken: string;
  readonly appSecret: string;
  readonly accessToken: string;
};

/**
 * Validates the manifest section and the environment together and reports every problem at once.
 *
 * @example
 * const cfg = parseWhatsAppCloudConfig(manifest.whatsapp.cloud, process.env);
 */
export function parseWhatsAppCloudConfig(settings: unknown, env: Record<string, string | undefined>): WhatsAppCloudConfig {
  const s = whatsappCloudSettingsSchema.safeParse(settings);
  const e = cloudSecretsSchema.safeParse(env);
  if (!s.success || !e.success) {
    const details = [
      ...(s.success ? [] : s.error.issues.map((i) => `whatsapp.cloud.${i.path.join('.')}: ${i.message}`)),
      // Never echo secret values, only which variable is wrong.
      ...(e.success ? [] : e.error.issues.map((i) => `env ${i.path.join('.')}: ${i.message}`)),
    ];
    throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `WhatsApp Cloud API configuration is invalid:\n${details.join('\n')}`, { details });
  }
  return {
    ...s.data,
    verifyToken: e.data.WHATSAPP_VERIFY_TOKEN,
    appSecret: e.data.WHATSAPP_APP_SECRET,
    accessToken: e.data.WHATSAPP_ACCESS_TOKEN,
  };
}
