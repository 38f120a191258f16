/**
 * What a transcript line shows an agent (the open conversation and History alike): messages of the
 * customer, the bot, agents and the system, and the notes that matter to the agent — accepted,
 * transferred (with the note), resolved, returned, callbacks, a message that did not reach the
 * customer, the channel's notes for agents, the customer's rating ("Rated 4/5"). The stores'
 * own bookkeeping (typing, join/leave updates, events of the bot or the middleware such as
 * `handoff.initiate` or `whatsapp.contact`) is not shown: never a raw event name.
 *
 * @example
 * lineView({ at: 1, from: 'system', type: 'event', meta: { name: 'csat.recorded', score: 4 } });
 * // { who: 'System', text: 'Rated 4/5 by the customer', note: true }
 */
import type { TranscriptEntry } from '../../core/conversation.js';
import { clockTime } from './format.js';

/** A line as the console shows it: who, the words, and whether it is a note (not a message). */
export interface LineView {
  readonly who: string;
  readonly text: string;
  readonly note: boolean;
}

/**
 * The line as an agent reads it, or null when it is bookkeeping an agent does not need.
 * `queueLabel` names queues for people (transfer notes).
 *
 * @example
 * lineView({ at: 1, from: 'system', type: 'event', meta: { name: 'handoff.accepted', agentName: 'Ana' } })?.text; // 'Accepted by Ana'
 * lineView({ at: 1, from: 'bot', type: 'event', meta: { name: 'handoff.initiate' } });                          // null
 */
export function lineView(line: TranscriptEntry, queueLabel: (id: string) => string = (id) => id): LineView | null {
  const meta = line.meta ?? {};
  const agentName = typeof meta['agentName'] === 'string' ? meta['agentName'] : undefined;
  const who = line.from === 'customer' ? 'Customer' : line.from === 'bot' ? 'Bot' : line.from === 'agent' ? (agentName ?? 'Agent') : 'System';
  if (line.type === 'message') return { who, text: line.text ?? '', note: false };
  if (line.type !== 'event') return null;
  const text = describeEvent(line, queueLabel);
  return text === null ? null : { who, text, note: true };
}

/** An event line in words ("Accepted by Ana", "Transferred Support → Billing: note"), or null when agents need not see it. */
function describeEvent(line: TranscriptEntry, queueLabel: (id: string) => string): string | null {
  const meta = line.meta ?? {};
  const str = (k: string): string | undefined => (typeof meta[k] === 'string' && meta[k] !== '' ? (meta[k] as string) : undefined);
  const time = (k: string): string => (typeof meta[k] === 'number' ? clockTime(meta[k]) : '?');
  const queue = (k: string): string => (str(k) === undefined ? '?' : queueLabel(str(k)!));
  const said = line.text === undefined || line.text === '' ? '' : `: ${line.text}`;
  switch (str('name')) {
    case 'handoff.accepted':
      return `Accepted by ${str('agentName') ?? str('agentId') ?? 'an agent'}`;
    case 'handoff.takeover':
      return `Taken over by ${str('agentId') ?? 'an agent'}${str('note') === undefined ? '' : ` (${str('note')})`}`;
    case 'handoff.transferred':
      return `Transferred ${queue('from')} → ${queue('to')}${str('note') === undefined ? '' : `: ${str('note')}`}`;
    case 'handoff.resolved':
      return `Resolved by ${str('agentId') ?? 'an agent'}`;
    case 'handoff.returned':
      return `Returned to the bot by ${str('agentId') ?? 'an agent'}`;
    case 'relay.dead_lettered':
      return `Not delivered to the customer${said} (${str('error') ?? 'failed'}; listed under undelivered messages)`;
    case 'agent.message_not_delivered':
      return `Not delivered to the customer${said} (${str('reason') ?? 'the conversation had moved on'})`;
    case 'handoff.callback_scheduled':
      return `Callback booked for ${time('callbackAt')}`;
    case 'handoff.callback_moved':
      return `Callback moved ${time('from')} → ${time('to')} (the agents of that time changed; the customer was told)`;
    case 'handoff.callback_cancelled':
      return 'Callback cancelled: no slot left that the agents can honour; back at the head of the queue (the customer was told)';
    case 'handoff.callback_missed':
      return `Nobody took the callback booked for ${time('booked')} within the SLA; the customer was told${typeof meta['offered'] === 'number' ? ` and offered ${clockTime(meta['offered'])}` : ''}`;
    case 'csat.recorded':
      return typeof meta['score'] === 'number' ? `Rated ${meta['score']}/5 by the customer` : null;
    default:
      // a channel's note for the agent (the WhatsApp window closed, a file it could not send…) says itself
      return meta['audience'] === 'agent' && line.text !== undefined && line.text !== '' ? line.text : null;
  }
}
