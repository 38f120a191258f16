/**
 * What a WhatsApp customer sent, in the two forms the rest of the system needs:
 * - `line`: a readable customer line for the transcript, the agent console and the policy
 *   ("🖼 foto (image/jpeg): a caixa veio amassada", "📍 location: -23.55052, -46.63331 https://maps…",
 *   "🛒 order, total R$ 59,80: 2 × SKU-1 (R$ 29,90 each)"), never empty;
 * - `words`: the customer's own words for the bot (the text, a caption, the tapped option, the text
 *   sent with a cart), or `undefined` when there are none: a photo alone, a location, a contact
 *   card. Then the bot is not asked (it would only say "I didn't understand", and a photo is not a
 *   turn the bot failed): the channel answers instead (see `runBotTurn`).
 *
 * Lines are written in the conversation's language so that the middleware's language detection,
 * which reads every customer line, is never pulled towards English by the channel's own words.
 *
 * @example
 * const c = mediaContent('pt', { kind: 'photo', mimeType: 'image/jpeg', caption: 'a caixa' });
 * c.line;  // '🖼 foto (image/jpeg): a caixa'
 * c.words; // 'a caixa'
 */
import type { Attachment } from 'botbuilder';

/** The channel's own languages (lines, acknowledgements, the list button). Others fall back to English. */
export type ChannelLanguage = 'en' | 'pt' | 'es';

/** The channel language of a locale: `pt-BR` → `pt`, `es-MX` → `es`, anything else → `en`. @example channelLanguage('pt-BR') // 'pt' */
export function channelLanguage(locale: string | undefined): ChannelLanguage {
  const base = (locale ?? '').toLowerCase().split(/[-_]/)[0];
  return base === 'pt' || base === 'es' ? base : 'en';
}

/** Things a customer can send besides text, named in the customer line and the acknowledgement. */
export type Thing = 'photo' | 'voice' | 'audio' | 'video' | 'document' | 'sticker' | 'location' | 'contacts' | 'order' | 'form';

/** What kind of content it was. */
export type ContentKind = 'text' | 'choice' | Thing | 'reaction' | 'edit' | 'deleted' | 'unsupported' | 'unavailable';

/** What the channel tells the customer when the bot is not asked (nothing for reactions and deletions). */
export type ChannelReply =
  | { readonly kind: 'received'; readonly thing: Thing }
  | { readonly kind: 'unsupported'; readonly what: string }
  | { readonly kind: 'unavailable' };

/** One customer message, as the bot, the agent and the policy read it. */
export interface CustomerContent {
  readonly kind: ContentKind;
  /** The customer line (transcript, console, policy): never empty. */
  readonly line: string;
  /** The customer's own words for the bot; undefined: the bot is not asked. */
  readonly words: string | undefined;
  /** botbuilder activity type: `message`, or `messageReaction` / `messageDelete` (not bot turns). */
  readonly activityType: 'message' | 'messageReaction' | 'messageDelete';
  /** `activity.value`: the tapped option's value, a form's fields, a cart, a location, contacts. */
  readonly value?: unknown;
  readonly attachments?: readonly Attachment[];
  /** Structured details for `channelData` (kept small and JSON-safe). */
  readonly data?: Readonly<Record<string, unknown>>;
  /** What the customer is told when there are no words. */
  readonly reply?: ChannelReply;
  /** The message this one reacts to, edits or deletes. */
  readonly refersTo?: string;
  /** A reaction's emoji ('' when a reaction was removed). */
  readonly emoji?: string;
}

const WORDS: Record<ChannelLanguage, Record<Thing | 'edited' | 'deleted' | 'reacted' | 'unreacted' | 'unsupported' | 'unavailable' | 'each', string>> = {
  en: {
    photo: 'photo', voice: 'voice note', audio: 'audio', video: 'video', document: 'document', sticker: 'sticker',
    location: 'location', contacts: 'contact', order: 'order', form: 'form sent',
    edited: 'edited a message', deleted: 'deleted a message', reacted: 'reacted to a message', unreacted: 'removed a reaction',
    unsupported: 'a message the bot cannot read', unavailable: 'a message WhatsApp could not deliver yet', each: 'each',
  },
  pt: {
    photo: 'foto', voice: 'mensagem de voz', audio: 'áudio', video: 'vídeo', document: 'documento', sticker: 'figurinha',
    location: 'localização', contacts: 'contato', order: 'pedido', form: 'formulário enviado',
    edited: 'editou uma mensagem', deleted: 'apagou uma mensagem', reacted: 'reagiu a uma mensagem', unreacted: 'removeu uma reação',
    unsupported: 'uma mensagem que o bot não consegue ler', unavailable: 'uma mensagem que o WhatsApp ainda não entregou', each: 'cada',
  },
  es: {
    photo: 'foto', voice: 'mensaje de voz', audio: 'audio', video: 'video', document: 'documento', sticker: 'pegatina',
    location: 'ubicación', contacts: 'contacto', order: 'pedido', form: 'formulario enviado',
    edited: 'editó un mensaje', deleted: 'borró un mensaje', reacted: 'reaccionó a un mensaje', unreacted: 'quitó una reacción',
    unsupported: 'un mensaje que el bot no puede leer', unavailable: 'un mensaje que WhatsApp aún no entregó', each: 'c/u',
  },
};

const ICONS: Record<Thing, string> = {
  photo: '🖼', voice: '🎤', audio: '🎵', video: '🎬', document: '📄', sticker: '💟', location: '📍', contacts: '👤', order: '🛒', form: '📝',
};

/** Plain text: the customer's words are the line. @example textContent('hi').words // 'hi' */
export function textContent(text: string): CustomerContent {
  return { kind: 'text', line: text, words: text, activityType: 'message' };
}

/**
 * A tapped button / list row, or a numbered reply: the line shows what the customer chose, the bot
 * gets the option's text and value.
 *
 * @example
 * choiceContent('Express', 'express', 'ship_express').line; // 'Express'
 */
export function choiceContent(title: string, text: string, value: unknown): CustomerContent {
  return { kind: 'choice', line: title === '' ? text : title, words: text === '' ? title : text, activityType: 'message', value };
}

/** A photo, voice note, audio, video, document or sticker: the file is an attachment; the caption (if any) is the customer's words. */
export interface MediaDescription {
  readonly kind: 'photo' | 'voice' | 'audio' | 'video' | 'document' | 'sticker';
  readonly mimeType: string;
  readonly caption?: string;
  readonly filename?: string;
  /** Where the agent (or a tool) fetches it: a signed link or a channel reference. */
  readonly contentUrl?: string;
  /** Small details kept with the attachment (media id, sha256, voice, animated). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** @example mediaContent('en', { kind: 'voice', mimeType: 'audio/ogg' }).line // '🎤 voice note (audio/ogg)' */
export function mediaContent(lang: ChannelLanguage, m: MediaDescription): CustomerContent {
  const caption = m.caption?.trim() ?? '';
  const name = m.filename === undefined || m.filename === '' ? '' : ` ${m.filename}`;
  const head = `${ICONS[m.kind]} ${WORDS[lang][m.kind]}${name} (${shownType(m)})`;
  const attachment: Attachment = {
    contentType: m.mimeType,
    ...(m.contentUrl === undefined ? {} : { contentUrl: m.contentUrl }),
    ...(m.filename === undefined ? {} : { name: m.filename }),
    ...(m.details === undefined ? {} : { content: m.details }),
  };
  return {
    kind: m.kind,
    line: caption === '' ? head : `${head}: ${caption}`,
    words: caption === '' ? undefined : caption,
    activityType: 'message',
    attachments: [attachment],
    ...(caption === '' ? { reply: { kind: 'received', thing: m.kind } } : {}),
  };
}

/** Short names of document types whose MIME type is a string of English words. */
const DOCUMENT_TYPES: ReadonlyArray<[RegExp, string]> = [
  [/wordprocessingml|msword/, 'doc'],
  [/spreadsheetml|ms-excel/, 'xls'],
  [/presentationml|ms-powerpoint/, 'ppt'],
  [/opendocument\.text/, 'odt'],
  [/opendocument\.spreadsheet/, 'ods'],
  [/^text\/plain/, 'txt'],
];

/**
 * The type shown in a media line: the MIME type for photos, audio and video ("image/jpeg"); for a
 * document a short type ("pdf", "xls"): "application/vnd.openxmlformats-officedocument…" is a string
 * of English words the language detection would read as the customer writing English.
 */
function shownType(m: MediaDescription): string {
  if (m.kind !== 'document') return m.mimeType;
  const mime = m.mimeType.toLowerCase();
  for (const [re, short] of DOCUMENT_TYPES) if (re.test(mime)) return short;
  const sub = /^[\w-]+\/(?:x-)?([\w.+-]+)/.exec(mime)?.[1];
  if (sub !== undefined && sub.length <= 5 && !sub.includes('.')) return sub;
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(m.filename ?? '')?.[1];
  return ext?.toLowerCase() ?? 'file';
}

/** A shared location. @example locationContent('en', { latitude: -23.55, longitude: -46.63 }).line */
export function locationContent(lang: ChannelLanguage, l: { latitude?: number | string; longitude?: number | string; name?: string; address?: string; url?: string }): CustomerContent {
  const lat = Number(l.latitude);
  const lon = Number(l.longitude);
  const known = Number.isFinite(lat) && Number.isFinite(lon);
  const place = [l.name, l.address].filter((x): x is string => typeof x === 'string' && x.trim() !== '').join(', ');
  const where = known ? `${lat}, ${lon} https://maps.google.com/?q=${lat},${lon}` : '';
  const detail = [place, where].filter((x) => x !== '').join(' — ');
  return {
    kind: 'location',
    line: `${ICONS.location} ${WORDS[lang].location}${detail === '' ? '' : `: ${detail}`}`,
    words: undefined,
    activityType: 'message',
    value: { location: { ...(known ? { latitude: lat, longitude: lon } : {}), ...(l.name ? { name: l.name } : {}), ...(l.address ? { address: l.address } : {}), ...(l.url ? { url: l.url } : {}) } },
    reply: { kind: 'received', thing: 'location' },
  };
}

/** One shared contact card, reduced to what an agent needs. */
export interface SharedContact {
  readonly name: string;
  readonly phones: readonly string[];
  readonly emails: readonly string[];
}

/** Shared contact cards. @example contactsContent('en', [{ name: 'Maria', phones: ['+55 11 91234-5678'], emails: [] }]).line // '👤 contact: Maria +55 11 91234-5678' */
export function contactsContent(lang: ChannelLanguage, contacts: readonly SharedContact[]): CustomerContent {
  const cards = contacts.map((c) => [c.name, ...c.phones, ...c.emails].filter((x) => x !== '').join(' ')).filter((x) => x !== '');
  return {
    kind: 'contacts',
    line: `${ICONS.contacts} ${WORDS[lang].contacts}${cards.length === 0 ? '' : `: ${cards.join('; ')}`}`,
    words: undefined,
    activityType: 'message',
    value: { contacts },
    reply: { kind: 'received', thing: 'contacts' },
  };
}

/** One line of a cart. */
export interface OrderItem {
  readonly productId: string;
  readonly quantity: number;
  readonly itemPrice?: number;
  readonly currency?: string;
}

/**
 * A cart sent from the catalogue: items and total in the line (the total is written the way the
 * value signal reads amounts, so it feeds "value at risk"), the text sent with it as the words.
 *
 * @example
 * orderContent('en', { items: [{ productId: 'SKU-1', quantity: 2, itemPrice: 29.9, currency: 'BRL' }] }).line;
 * // '🛒 order, total R$ 59,80: 2 × SKU-1 (R$ 29,90 each)'
 */
export function orderContent(lang: ChannelLanguage, o: { items: readonly OrderItem[]; text?: string; catalogId?: string }): CustomerContent {
  const items = o.items.map((i) => `${i.quantity} × ${i.productId}${i.itemPrice === undefined ? '' : ` (${money(i.itemPrice, i.currency)} ${WORDS[lang].each})`}`);
  const currencies = new Set(o.items.map((i) => i.currency ?? ''));
  const priced = o.items.every((i) => i.itemPrice !== undefined);
  const total = priced && currencies.size === 1 && o.items.length > 0 ? o.items.reduce((s, i) => s + i.quantity * (i.itemPrice ?? 0), 0) : undefined;
  const text = o.text?.trim() ?? '';
  // the total first: the value signal reads the first amount of a line
  const line = `${ICONS.order} ${WORDS[lang].order}${total === undefined ? '' : `, total ${money(total, [...currencies][0])}`}: ${items.join(', ')}${text === '' ? '' : ` — ${text}`}`;
  return {
    kind: 'order',
    line,
    words: text === '' ? undefined : text,
    activityType: 'message',
    value: { order: { items: o.items, ...(total === undefined ? {} : { total, currency: [...currencies][0] }), ...(o.catalogId === undefined ? {} : { catalogId: o.catalogId }) } },
    ...(text === '' ? { reply: { kind: 'received', thing: 'order' } } : {}),
  };
}

/** A submitted form (WhatsApp Flows): its fields, without the flow token. @example formContent('en', { name: 'Ana' }).line // '📝 form sent: name: Ana' */
export function formContent(lang: ChannelLanguage, fields: Readonly<Record<string, unknown>>): CustomerContent {
  const shown = Object.entries(fields)
    .filter(([k]) => k !== 'flow_token')
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return {
    kind: 'form',
    line: `${ICONS.form} ${WORDS[lang].form}${shown.length === 0 ? '' : `: ${shown.join('; ')}`}`,
    words: undefined,
    activityType: 'message',
    value: { form: fields },
    reply: { kind: 'received', thing: 'form' },
  };
}

/** A reaction (shown to the agent, not a bot turn). @example reactionContent('en', '👍', 'wamid.X').line // '👍 reacted to a message' */
export function reactionContent(lang: ChannelLanguage, emoji: string, refersTo: string | undefined): CustomerContent {
  return {
    kind: 'reaction',
    line: emoji === '' ? `↩️ ${WORDS[lang].unreacted}` : `${emoji} ${WORDS[lang].reacted}`,
    words: undefined,
    activityType: 'messageReaction',
    emoji,
    ...(refersTo === undefined ? {} : { refersTo }),
  };
}

/** An edited message: shown as such; the new words go to the bot. @example editContent('en', textContent('A12345')).line // '✏️ edited a message: A12345' */
export function editContent(lang: ChannelLanguage, edited: CustomerContent, refersTo: string | undefined): CustomerContent {
  return {
    ...edited,
    kind: 'edit',
    line: `✏️ ${WORDS[lang].edited}: ${edited.line}`,
    ...(refersTo === undefined ? {} : { refersTo }),
    data: { ...edited.data, editedKind: edited.kind },
  };
}

/** A deleted message (shown to the agent, not a bot turn). @example deletedContent('en', 'wamid.X').line // '🗑 deleted a message' */
export function deletedContent(lang: ChannelLanguage, refersTo: string | undefined): CustomerContent {
  return { kind: 'deleted', line: `🗑 ${WORDS[lang].deleted}`, words: undefined, activityType: 'messageDelete', ...(refersTo === undefined ? {} : { refersTo }) };
}

/**
 * Something the channel cannot pass to the bot (a poll, an unknown type): the agent sees a trace
 * line, the customer is told what the bot cannot read.
 *
 * @example
 * unsupportedContent('en', 'poll_creation').line; // '⚠️ a message the bot cannot read (poll_creation)'
 */
export function unsupportedContent(lang: ChannelLanguage, type: string, detail?: string): CustomerContent {
  return {
    kind: 'unsupported',
    line: `⚠️ ${WORDS[lang].unsupported} (${type}${detail === undefined || detail === '' ? '' : `: ${detail}`})`,
    words: undefined,
    activityType: 'message',
    data: { unsupportedType: type },
    reply: { kind: 'unsupported', what: type },
  };
}

/** A message WhatsApp has not delivered yet (Cloud API error 131060). */
export function unavailableContent(lang: ChannelLanguage): CustomerContent {
  return { kind: 'unavailable', line: `⚠️ ${WORDS[lang].unavailable}`, words: undefined, activityType: 'message', reply: { kind: 'unavailable' } };
}

/** How a thing is named in the decision trace (English, like the rest of the trace). */
export function traceName(kind: ContentKind): string {
  return kind === 'contacts' ? 'a contact card' : kind === 'order' ? 'a cart' : kind === 'form' ? 'a form' : kind === 'unsupported' ? 'a message type the bot cannot read' : kind === 'unavailable' ? 'a message WhatsApp had not delivered yet' : `a ${WORDS.en[kind as Thing] ?? kind}`;
}

/**
 * An amount written the way the value signal reads it (R$, US$, €, £ before; else the ISO code after).
 *
 * @example
 * money(59.8, 'BRL'); // 'R$ 59,80'
 */
export function money(amount: number, currency: string | undefined): string {
  const fixed = amount.toFixed(2);
  switch ((currency ?? '').toUpperCase()) {
    case 'BRL':
      return `R$ ${fixed.replace('.', ',')}`;
    case 'USD':
      return `US$ ${fixed}`;
    case 'EUR':
      return `€${fixed}`;
    case 'GBP':
      return `£${fixed}`;
    case '':
      return fixed;
    default:
      return `${fixed} ${(currency ?? '').toUpperCase()}`;
  }
}
