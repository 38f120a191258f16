/**
 * The WhatsApp channels: whatsapp-web.js (a linked device on the business phone) and the official
 * Cloud API. Importing this module never loads whatsapp-web.js or puppeteer; only
 * `createWwebjsClient()` does, when called.
 *
 * @example
 * import { attachWhatsAppWeb, createWhatsAppCloudHandler } from './channels/whatsapp/index.js';
 * const web = await attachWhatsAppWeb({ app, stores, manifest, lease });
 */
export { WhatsAppWebAdapter, WHATSAPP_WEB_CHANNEL_ID } from './web/whatsapp-web-adapter.js';
export type { WhatsAppWebAdapterOptions, BusinessPhoneMessage } from './web/whatsapp-web-adapter.js';
export { WhatsAppWebSupervisor } from './web/whatsapp-web-supervisor.js';
export type { WhatsAppWebSupervisorOptions, WhatsAppWebConnectionState } from './web/whatsapp-web-supervisor.js';
export type { WhatsAppWebClient, WhatsAppWebMessage } from './web/whatsapp-web-client.js';
export type { ConnectionGate } from './web/connection-gate.js';
export { createWwebjsClient } from './web/create-wwebjs-client.js';
export { whatsappWebConfigSchema, parseWhatsAppWebConfig, type WhatsAppWebConfig } from './web/web-config.js';
export { WhatsAppCloudAdapter, WHATSAPP_CLOUD_CHANNEL_ID } from './cloud/whatsapp-cloud-adapter.js';
export type { WhatsAppCloudAdapterOptions, CloudMessageStatus, WindowClosedEvent } from './cloud/whatsapp-cloud-adapter.js';
export { GraphApiClient } from './cloud/graph-api-client.js';
export { LeaseMessageIds, MemoryMessageIds, type MessageIdLedger } from './cloud/message-ids.js';
export { createCloudWebhookHandler, type CloudWebhookHandler } from './cloud/cloud-webhook-handler.js';
export { parseWhatsAppCloudConfig, whatsappCloudSettingsSchema, cloudSecretsSchema, type WhatsAppCloudConfig } from './cloud/cloud-config.js';
export type { ChannelLogger } from './shared/channel-logger.js';
export { attachWhatsAppWeb, createWhatsAppCloudHandler, BUSINESS_PHONE_AGENT_ID, WHATSAPP_NOTE } from './attach.js';
export type { AttachWhatsAppWebContext, AttachedWhatsAppWeb, CreateWhatsAppCloudHandlerContext, WhatsAppCloudHandler, WhatsAppHandoverApp } from './attach.js';
