/**
 * Every Cloud API message type as a {@link CustomerContent}: a readable customer line, the
 * customer's words for the bot (or none), the value and attachments. Shapes follow Meta's "Messages
 * webhook reference" (text, interactive button/list/nfm replies, template button replies, media,
 * location, contacts, order, reaction, edit, revoke, unsupported, errors 131051 / 131060).
 *
 * @example
 * cloudContent({ type: 'location', location: { latitude: -23.55, longitude: -46.63 } }, { lang: 'en', mediaLink: (id) => id, offered: undefined }).line;
 * // '📍 location: -23.55, -46.63 https://maps.google.com/?q=-23.55,-46.63'
 */
import { optionById } from '../shared/choices.js';
import {
  choiceContent,
  contactsContent,
  deletedContent,
  editContent,
  formContent,
  locationContent,
  mediaContent,
  orderContent,
  reactionContent,
  textContent,
  unavailableContent,
  unsupportedContent,
  type ChannelLanguage,
  type CustomerContent,
  type MediaDescription,
} from '../shared/customer-content.js';
import { resolveNumberedReply, type NumberedOption } from '../shared/numbered-options.js';
import type { WebhookMedia, WebhookMessageContent } from './webhook-types.js';

/** What the parser needs besides the message. */
export interface CloudContentContext {
  /** The language of the customer line (the conversation's, see the adapter). */
  readonly lang: ChannelLanguage;
  /** Where a media id can be fetched from (a signed link, or a `whatsapp-cloud-media:` reference). */
  readonly mediaLink: (mediaId: string) => string;
  /** The options offered last (buttons, list rows or numbered text), to map a reply back. */
  readonly offered: readonly NumberedOption[] | undefined;
}

const MEDIA_KINDS = { image: 'photo', video: 'video', document: 'document', sticker: 'sticker' } as const;

/** Error 131060: "This message is currently unavailable" (first message to a WhatsApp Business app number). */
const CODE_UNAVAILABLE = 131060;

/**
 * The content of one Cloud API message (or of an edit's new message).
 *
 * @example
 * cloudContent({ type: 'text', text: { body: 'hi' } }, ctx).words; // 'hi'
 */
export function cloudContent(m: WebhookMessageContent, ctx: CloudContentContext): CustomerContent {
  const { lang } = ctx;
  switch (m.type) {
    case 'text': {
      const body = m.text?.body ?? '';
      const picked = ctx.offered === undefined ? undefined : resolveNumberedReply(ctx.offered, body);
      return picked === undefined ? textContent(body) : choiceContent(picked.title, picked.text, picked.value);
    }
    case 'interactive': {
      const i = m.interactive;
      const reply = i?.button_reply ?? i?.list_reply;
      if (reply !== undefined) {
        const option = optionById(ctx.offered, reply.id);
        return option === undefined ? choiceContent(reply.title ?? '', reply.title ?? reply.id ?? '', reply.id) : choiceContent(reply.title ?? option.title, option.text, option.value);
      }
      if (i?.nfm_reply !== undefined) return formContent(lang, parseFields(i.nfm_reply.response_json, i.nfm_reply.body));
      return unsupportedContent(lang, `interactive/${i?.type ?? 'unknown'}`);
    }
    case 'button':
      // a quick-reply button of a template message
      return choiceContent(m.button?.text ?? '', m.button?.text ?? m.button?.payload ?? '', m.button?.payload ?? m.button?.text);
    case 'image':
    case 'video':
    case 'document':
    case 'sticker':
      return mediaContent(lang, media(MEDIA_KINDS[m.type], m[m.type], ctx));
    case 'audio':
      return mediaContent(lang, media(m.audio?.voice === true ? 'voice' : 'audio', m.audio, ctx));
    case 'location':
      return locationContent(lang, m.location ?? {});
    case 'contacts':
      return contactsContent(
        lang,
        (m.contacts ?? []).map((c) => ({
          name: c.name?.formatted_name ?? [c.name?.first_name, c.name?.last_name].filter((x) => x !== undefined).join(' '),
          phones: (c.phones ?? []).map((p) => p.phone ?? (p.wa_id === undefined ? '' : `+${p.wa_id}`)).filter((p) => p !== ''),
          emails: (c.emails ?? []).map((e) => e.email ?? '').filter((e) => e !== ''),
        })),
      );
    case 'order':
      return orderContent(lang, {
        items: (m.order?.product_items ?? []).map((p) => ({
          productId: p.product_retailer_id ?? '?',
          quantity: Number(p.quantity ?? 1) || 1,
          ...(p.item_price === undefined || !Number.isFinite(Number(p.item_price)) ? {} : { itemPrice: Number(p.item_price) }),
          ...(p.currency === undefined ? {} : { currency: p.currency }),
        })),
        ...(m.order?.text === undefined ? {} : { text: m.order.text }),
        ...(m.order?.catalog_id === undefined ? {} : { catalogId: m.order.catalog_id }),
      });
    case 'reaction':
      return reactionContent(lang, m.reaction?.emoji ?? '', m.reaction?.message_id);
    case 'revoke':
      return deletedContent(lang, m.revoke?.original_message_id);
    case 'edit': {
      const inner = m.edit?.message;
      const edited = inner === undefined || inner.type === 'edit' ? unsupportedContent(lang, 'edit') : cloudContent(inner, { ...ctx, offered: undefined });
      return editContent(lang, edited, m.edit?.original_message_id);
    }
    case 'unsupported':
    default: {
      const error = m.errors?.[0];
      if (error?.code === CODE_UNAVAILABLE) return unavailableContent(lang);
      return unsupportedContent(lang, m.unsupported?.type ?? m.type ?? 'unknown');
    }
  }
}

function media(kind: MediaDescription['kind'], w: WebhookMedia | undefined, ctx: CloudContentContext): MediaDescription {
  const id = w?.id ?? '';
  return {
    kind,
    mimeType: w?.mime_type ?? 'application/octet-stream',
    ...(w?.caption === undefined ? {} : { caption: w.caption }),
    ...(w?.filename === undefined ? {} : { filename: w.filename }),
    contentUrl: ctx.mediaLink(id),
    details: { mediaId: id, ...(w?.sha256 === undefined ? {} : { sha256: w.sha256 }), ...(w?.voice === undefined ? {} : { voice: w.voice }), ...(w?.animated === undefined ? {} : { animated: w.animated }) },
  };
}

/** A Flows reply's submitted fields (its `response_json`), or the body when it is not JSON. */
function parseFields(json: string | undefined, body: string | undefined): Record<string, unknown> {
  if (json !== undefined) {
    try {
      const v = JSON.parse(json) as unknown;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // fall through
    }
  }
  return body === undefined || body === '' ? {} : { body };
}
