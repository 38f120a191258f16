/**
 * whatsapp-web.js messages as {@link CustomerContent}: text, media (a caption is the customer's
 * words), locations, contact cards, deletions, polls and messages WhatsApp has not decrypted yet.
 * System notices (encryption, group changes, call logs) are not customer messages: `undefined`.
 *
 * @example
 * webContent({ type: 'ptt', hasMedia: true, body: '', … }, { lang: 'pt', mediaLink: () => 'wwebjs-media:…', offered: undefined })?.line;
 * // '🎤 mensagem de voz (audio/ogg)'
 */
import {
  choiceContent,
  contactsContent,
  deletedContent,
  locationContent,
  mediaContent,
  textContent,
  unavailableContent,
  unsupportedContent,
  type ChannelLanguage,
  type CustomerContent,
  type MediaDescription,
  type SharedContact,
} from '../shared/customer-content.js';
import { resolveNumberedReply, type NumberedOption } from '../shared/numbered-options.js';
import type { WhatsAppWebMessage } from './whatsapp-web-client.js';

const MEDIA: Readonly<Record<string, { kind: MediaDescription['kind']; mime: string }>> = {
  image: { kind: 'photo', mime: 'image/*' },
  video: { kind: 'video', mime: 'video/*' },
  audio: { kind: 'audio', mime: 'audio/*' },
  ptt: { kind: 'voice', mime: 'audio/ogg' },
  sticker: { kind: 'sticker', mime: 'image/webp' },
  document: { kind: 'document', mime: 'application/octet-stream' },
};

/** whatsapp-web.js types that are notices, not something the customer wrote. */
const NOTICES = new Set(['e2e_notification', 'notification', 'notification_template', 'gp2', 'call_log', 'protocol', 'broadcast_notification', 'revoked_notification']);

/**
 * The content of one whatsapp-web.js message, or undefined for a notice.
 *
 * @example
 * webContent(m, { lang: 'en', mediaLink: (id) => `wwebjs-media:${id}`, offered })?.words;
 */
export function webContent(
  m: WhatsAppWebMessage,
  ctx: { readonly lang: ChannelLanguage; readonly mediaLink: (messageId: string) => string; readonly offered: readonly NumberedOption[] | undefined },
): CustomerContent | undefined {
  const { lang } = ctx;
  if (NOTICES.has(m.type)) return undefined;
  const media = MEDIA[m.type];
  if (media !== undefined && m.hasMedia) {
    return mediaContent(lang, {
      kind: media.kind,
      mimeType: m._data?.mimetype ?? media.mime,
      ...(looksLikeWords(m.body) ? { caption: m.body } : {}),
      ...(m._data?.filename === undefined ? {} : { filename: m._data.filename }),
      contentUrl: ctx.mediaLink(m.id._serialized),
    });
  }
  switch (m.type) {
    case 'chat': {
      const picked = ctx.offered === undefined ? undefined : resolveNumberedReply(ctx.offered, m.body);
      return picked === undefined ? textContent(m.body) : choiceContent(picked.title, picked.text, picked.value);
    }
    case 'location':
      return locationContent(lang, {
        latitude: m.location?.latitude,
        longitude: m.location?.longitude,
        ...(m.location?.name ?? m.location?.description ? { name: (m.location?.name ?? m.location?.description) as string } : {}),
        ...(m.location?.address === undefined ? {} : { address: m.location.address }),
      });
    case 'vcard':
    case 'multi_vcard':
      return contactsContent(lang, (m.vCards ?? []).map(parseVCard));
    case 'revoked':
      return deletedContent(lang, m.id._serialized);
    case 'ciphertext':
      return unavailableContent(lang);
    default:
      return looksLikeWords(m.body) && m.type !== 'poll_creation' ? textContent(m.body) : unsupportedContent(lang, m.type);
  }
}

/** A caption or text, not empty and not the base64 thumbnail some whatsapp-web.js versions put in `body`. */
function looksLikeWords(body: string): boolean {
  const t = body.trim();
  return t !== '' && !(t.length > 200 && /^[A-Za-z0-9+/=\s]+$/.test(t));
}

/** The name, phones and e-mails of a vCard (FN, TEL, EMAIL lines). @example parseVCard('BEGIN:VCARD\nFN:Ana\nTEL:+55…\nEND:VCARD') */
export function parseVCard(card: string): SharedContact {
  const lines = card.split(/\r?\n/);
  // WhatsApp writes grouped properties: "item1.TEL;waid=5511…:+55 11 …"
  const values = (key: string): string[] =>
    lines
      .filter((l) => new RegExp(`^(?:item\\d+\\.)?${key}[;:]`, 'i').test(l))
      .map((l) => l.slice(l.indexOf(':') + 1).trim())
      .filter((v) => v !== '');
  return { name: values('FN')[0] ?? '', phones: values('TEL'), emails: values('EMAIL') };
}
