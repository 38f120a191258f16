/**
 * How activities become transcript lines (and back, for botbuilder's `handoff.initiate`), and the
 * marks the middleware reads on the bot's messages (`channelData.handover.kind`).
 *
 * @example
 * await writer.write(id, [{ at: now, from: 'customer', type: 'message', ...inboundDetails(activity) }]);
 * await writer.write(id, [botEntry({ type: 'message', text: 'Hi!' }, now)]);
 */
import { ActivityTypes, type Activity } from 'botbuilder';
import type { Manifest } from '../config/manifest-schema.js';
import type { TranscriptEntry } from '../core/conversation.js';

/** Bot messages that make no sense once a person takes over: re-prompts, new prompts, "I didn't understand". */
export const DROPPED_ON_HANDOFF: readonly string[] = ['retry', 'fallback', 'prompt'];

/** True for a message activity (an activity without a type is one, as botbuilder sends it). */
export function isMessage(a: Partial<Activity>): boolean {
  return (a.type ?? ActivityTypes.Message) === ActivityTypes.Message;
}

/** What a bot message is, as our dialogs mark it (`answer` when unmarked). @example kindOf({ channelData: { handover: { kind: 'prompt' } } }) // 'prompt' */
export function kindOf(a: Partial<Activity>): string {
  const cd = a.channelData as { handover?: { kind?: string } } | undefined;
  return cd?.handover?.kind ?? 'answer';
}

/** True for a bot message a handoff replaces (a re-prompt, a prompt, a fallback). */
export function droppedOnHandoff(a: Partial<Activity>): boolean {
  return isMessage(a) && DROPPED_ON_HANDOFF.includes(kindOf(a));
}

/** The manifest locale closest to the activity's (its language, else the default). @example localeOf({ locale: 'pt' }, manifest) // 'pt-BR' */
export function localeOf(activity: Partial<Activity>, manifest: Pick<Manifest, 'locales' | 'defaultLocale'>): string {
  const l = activity.locale;
  if (l !== undefined && (manifest.locales as readonly string[]).includes(l)) return l;
  const base = l?.split('-')[0];
  const match = manifest.locales.find((x) => x.split('-')[0] === base);
  return match ?? manifest.defaultLocale;
}

/** A customer activity's text (capped) and what else it carries (event name, files). */
export function inboundDetails(a: Partial<Activity>): Pick<TranscriptEntry, 'text' | 'meta'> {
  const meta: Record<string, unknown> = {};
  if (a.name !== undefined) meta.name = a.name;
  if (a.attachments !== undefined && a.attachments.length > 0) {
    meta.attachments = a.attachments.map((x) => ({ contentType: x.contentType, name: x.name ?? null, url: x.contentUrl ?? null }));
  }
  return {
    ...(a.text === undefined ? {} : { text: a.text.slice(0, 10_000) }),
    ...(Object.keys(meta).length === 0 ? {} : { meta }),
  };
}

/** A bot activity as a transcript line (messages keep their kind). */
export function botEntry(a: Partial<Activity>, at: number): TranscriptEntry {
  const type = a.type ?? 'message';
  return {
    at,
    from: 'bot',
    type,
    ...(a.text === undefined ? {} : { text: a.text }),
    meta: type === ActivityTypes.Message ? { kind: kindOf(a) } : { ...(a.name === undefined ? {} : { name: a.name }) },
  };
}

/** A transcript line as the activity botbuilder's `handoff.initiate` carries. */
export function transcriptActivity(e: TranscriptEntry, like: Activity): Partial<Activity> {
  return {
    type: e.type,
    text: e.text,
    timestamp: new Date(e.at),
    from: { id: e.from === 'customer' ? (like.from?.id ?? 'customer') : e.from, name: e.from, role: e.from === 'customer' ? 'user' : 'bot' },
    conversation: like.conversation,
    channelId: like.channelId,
  };
}
