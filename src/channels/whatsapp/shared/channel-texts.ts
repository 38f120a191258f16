/**
 * The few things the WhatsApp channel itself says to a customer, in the conversation's language:
 * the answer to content without words (a photo alone, a location, a cart…), to a message type the
 * bot cannot read (a poll), to a message WhatsApp did not deliver, and the label of the list button.
 *
 * @example
 * channelReplyText('pt-BR', { kind: 'received', thing: 'photo' });
 * // 'Obrigado, recebi sua foto. Mas eu só consigo ler texto — pode escrever o que você precisa?'
 */
import { channelLanguage, type ChannelLanguage, type ChannelReply, type Thing } from './customer-content.js';

const THINGS: Record<ChannelLanguage, Record<Thing, string>> = {
  en: {
    photo: 'your photo', voice: 'your voice note', audio: 'your audio', video: 'your video', document: 'your document', sticker: 'your sticker',
    location: 'your location', contacts: 'the contact', order: 'your order', form: 'the form',
  },
  pt: {
    photo: 'sua foto', voice: 'seu áudio', audio: 'seu áudio', video: 'seu vídeo', document: 'seu documento', sticker: 'sua figurinha',
    location: 'sua localização', contacts: 'o contato', order: 'seu pedido', form: 'o formulário',
  },
  es: {
    photo: 'tu foto', voice: 'tu mensaje de voz', audio: 'tu audio', video: 'tu video', document: 'tu documento', sticker: 'tu sticker',
    location: 'tu ubicación', contacts: 'el contacto', order: 'tu pedido', form: 'el formulario',
  },
};

/** Unsupported types with a name customers know; the rest are "this kind of message". */
const UNSUPPORTED: Record<ChannelLanguage, Record<string, string>> = {
  en: { poll: 'polls', event: 'events', other: 'this kind of message' },
  pt: { poll: 'enquetes', event: 'eventos', other: 'esse tipo de mensagem' },
  es: { poll: 'encuestas', event: 'eventos', other: 'este tipo de mensaje' },
};

function unsupportedName(lang: ChannelLanguage, type: string): string {
  const t = UNSUPPORTED[lang];
  if (type.startsWith('poll')) return t['poll'] as string;
  if (type.startsWith('event')) return t['event'] as string;
  return t['other'] as string;
}

/** What the channel answers when the bot is not asked. @example channelReplyText('en', { kind: 'unavailable' }) */
export function channelReplyText(locale: string | undefined, reply: ChannelReply): string {
  const lang = channelLanguage(locale);
  switch (reply.kind) {
    case 'received': {
      const thing = THINGS[lang][reply.thing];
      if (lang === 'pt') return `Obrigado, recebi ${thing}. Mas eu só consigo ler texto — pode escrever o que você precisa?`;
      if (lang === 'es') return `Gracias, recibí ${thing}. Pero solo puedo leer texto: ¿puedes escribir lo que necesitas?`;
      return `Thanks, I got ${thing}. I can only read text, though — could you write what you need?`;
    }
    case 'unsupported': {
      const what = unsupportedName(lang, reply.what);
      if (lang === 'pt') return `Desculpe, não consigo ler ${what} por aqui. Pode escrever em uma mensagem?`;
      if (lang === 'es') return `Lo siento, no puedo leer ${what} aquí. ¿Puedes escribirlo en un mensaje?`;
      return `Sorry, I can't read ${what} here. Could you write it as a message?`;
    }
    case 'unavailable':
      if (lang === 'pt') return 'Não consegui receber sua última mensagem. Pode enviar de novo?';
      if (lang === 'es') return 'No pude recibir tu último mensaje. ¿Puedes enviarlo de nuevo?';
      return "I couldn't receive your last message. Could you send it again?";
  }
}

/** The label of a list message's button (≤ 20 characters). @example listButtonLabel('es') // 'Opciones' */
export function listButtonLabel(locale: string | undefined): string {
  const lang = channelLanguage(locale);
  return lang === 'pt' ? 'Opções' : lang === 'es' ? 'Opciones' : 'Options';
}
