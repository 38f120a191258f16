import { randomUUID } from 'node:crypto';
import type { AuditLine, CustomerData, ErasedCounts, RetentionPolicy } from '../../core/ports/customer-data.js';
import { DEFAULT_RETENTION, noneErased } from '../../core/ports/customer-data.js';
import type { RelayMessage } from '../../core/ports/message-relay.js';
import { conversationOfDocumentKey } from '../memory/memory-document-store.js';
import { documentClass, userOfDocument } from '../../handoff/customer-erasure.js';
import { escapeGlob, type RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';

/**
 * `CustomerData` on Redis: the customer index (`p:customer:{id}`, written by `writeDocument-2.lua`
 * with the conversation memory), the removal of every key of one conversation, and the audit
 * (`p:audit`, a sorted set by time, trimmed to `retention.auditMs`).
 *
 * A conversation's keys are found by name (state, transcript, packets and their id set, memory,
 * web chat history, bursts), by SCAN MATCH for the documents whose names embed the id (the bot's
 * state, WhatsApp Cloud windows, the history's once-markers), by HSCAN for turn-inbox entries, and
 * by reading the dead-letter list and the relay streams (both capped) for its messages. Erasure is
 * rare: the SCANs walk the keyspace once per conversation.
 *
 * @example
 * const data = new RedisCustomerData(client, keys, retention);
 * await data.conversationsOf('c-1001'); // ['webchat:42', 'whatsapp-cloud:5511…']
 */
export class RedisCustomerData implements CustomerData {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retention: RetentionPolicy = DEFAULT_RETENTION,
    /** How a web chat id is named in the other stores: `webchat:` + id. */
    private readonly webChatPrefix = 'webchat:',
    private readonly now: () => number = Date.now,
    /** The console's history index: a conversation's entries go with it. */
    private readonly history?: { forgetConversation(conversationId: string): Promise<number> },
  ) {}

  async conversationsOf(customerId: string): Promise<string[]> {
    return (await this.client.sMembers(this.keys.customer(customerId))).sort();
  }

  async purgeConversation(conversationId: string): Promise<ErasedCounts> {
    const c = noneErased();
    const k = this.keys;
    const del: string[] = [];

    // handoff state: out of its queue, the agent's list and the deadline index first
    const [qk, ak, stateJson] = await this.client.hmGet(k.handoff(conversationId), ['qk', 'ak', 's']);
    if (typeof stateJson === 'string') {
      c.handoffStates = 1;
      const m = this.client.multi();
      if (typeof qk === 'string' && qk !== '') m.zRem(qk, conversationId);
      if (typeof ak === 'string' && ak !== '') m.zRem(ak, conversationId);
      m.zRem(k.deadlines(), conversationId);
      await m.exec();
      del.push(k.handoff(conversationId));
    }

    c.transcriptLines = await this.client.lLen(k.transcript(conversationId));
    del.push(k.transcript(conversationId));

    // briefings: every handoff id recorded with a packet, plus the current state's
    const handoffIds = new Set(await this.client.sMembers(k.conversationPackets(conversationId)));
    if (typeof stateJson === 'string') {
      const hid = (JSON.parse(stateJson) as { handoffId?: unknown }).handoffId;
      if (typeof hid === 'string') handoffIds.add(hid);
    }
    for (const hid of handoffIds) {
      if ((await this.client.exists(k.packet(hid))) === 1) c.briefings++;
      del.push(k.packet(hid));
    }
    del.push(k.conversationPackets(conversationId));

    // documents: the conversation memory by name, the others by their embedded id
    if ((await this.client.exists(k.document(`memory:${conversationId}`))) === 1) c.conversationMemory++;
    del.push(k.document(`memory:${conversationId}`));
    const colon = conversationId.indexOf(':');
    const patterns: string[] = [];
    if (colon > 0) {
      const channel = conversationId.slice(0, colon);
      const rest = conversationId.slice(colon + 1);
      patterns.push(`${escapeGlob(k.document(''))}*${escapeGlob(channel)}/conversations/${escapeGlob(rest)}/*`);
      if (channel === 'whatsapp-cloud') patterns.push(`${escapeGlob(k.document('whatsapp-cloud:'))}*:conv:${escapeGlob(rest)}`);
    }
    const docPrefix = k.document('');
    for (const pattern of patterns) {
      for (const key of await this.scan(pattern)) {
        const docKey = key.slice(docPrefix.length);
        if (conversationOfDocumentKey(docKey) !== conversationId) continue;
        if (documentClass(docKey) === 'whatsapp') c.whatsapp++;
        else c.botState++;
        del.push(key);
      }
    }

    // web chat history (named by the web chat id, without the channel prefix)
    if (conversationId.startsWith(this.webChatPrefix)) {
      const wid = conversationId.slice(this.webChatPrefix.length);
      c.webChatHistory = await this.client.lLen(k.activityItems(wid));
      del.push(k.activity(wid), k.activityItems(wid));
      const once = await this.scan(`${escapeGlob(k.activity(wid))}:once:*`);
      c.other += once.length;
      del.push(...once);
      await this.client.zRem(k.activityRecent(), wid);
      // turn-inbox entries: member "<web chat id> <activity id>"
      const members: string[] = [];
      for await (const batch of this.client.hScanIterator(k.inboxItems(), { MATCH: `${escapeGlob(wid)} *`, COUNT: 500 })) {
        for (const e of batch as unknown as { field: string }[]) members.push(e.field);
      }
      if (members.length > 0) {
        await this.client.multi().hDel(k.inboxItems(), members).zRem(k.inbox(), members).exec();
        c.other += members.length;
      }
    }

    // bursts (named by the conversation id; see RedisBurstStore)
    const burst = `${k.prefix}:burst:{${conversationId}}`;
    for (const key of [burst, `${burst}:claimed`, `${burst}:answered`]) if ((await this.client.exists(key)) === 1) c.other++;
    del.push(burst, `${burst}:claimed`, `${burst}:answered`);
    await this.client.multi().zRem(`${k.prefix}:bursts`, conversationId).zRem(`${k.prefix}:bursts:claimed`, conversationId).exec();

    // relay: dead letters and stream entries addressed to the conversation
    for (const raw of await this.client.lRange(k.relayDeadLetters(), 0, -1)) {
      if (messageOf(raw, 'letter') === conversationId) c.relayMessages += await this.client.lRem(k.relayDeadLetters(), 1, raw);
    }
    const streamPrefix = `${k.prefix}:relay:{`;
    for (const key of await this.scan(`${escapeGlob(streamPrefix)}*}`)) {
      if ((await this.client.type(key)) !== 'stream') continue;
      const entries = (await this.client.xRange(key, '-', '+')) ?? [];
      const mine = entries.filter((e) => e !== null && messageOf(String(e.message['m'] ?? ''), 'message') === conversationId).map((e) => e!.id);
      if (mine.length > 0) c.relayMessages += await this.client.xDel(key, mine);
    }

    for (let i = 0; i < del.length; i += 500) await this.client.unlink(del.slice(i, i + 500));
    if (this.history !== undefined) c.other += await this.history.forgetConversation(conversationId);
    return c;
  }

  async forgetCustomer(customerId: string): Promise<number> {
    const docPrefix = this.keys.document('');
    const theirs = (await this.scan(`${escapeGlob(docPrefix)}*/users/${escapeGlob(customerId)}/*`)).filter((k) => userOfDocument(k.slice(docPrefix.length)) === customerId);
    await this.client.unlink([this.keys.customer(customerId), ...theirs]);
    return theirs.length;
  }

  async appendAudit(line: AuditLine): Promise<void> {
    const key = this.keys.audit();
    const now = this.now();
    await this.client
      .multi()
      // a unique member even for two identical lines in one ms
      .zAdd(key, { score: line.at, value: JSON.stringify({ ...line, id: randomUUID() }) })
      .zRemRangeByScore(key, '-inf', `(${now - this.retention.auditMs}`)
      .pExpire(key, this.retention.auditMs)
      .exec();
  }

  async readAudit(limit = 100): Promise<AuditLine[]> {
    const raw = await this.client.zRange(this.keys.audit(), '+inf', '-inf', { BY: 'SCORE', REV: true, LIMIT: { offset: 0, count: Math.max(1, limit) } });
    return raw.map((r) => {
      const { id: _id, ...line } = JSON.parse(r) as AuditLine & { id: string };
      return line;
    });
  }

  private async scan(pattern: string): Promise<string[]> {
    const out: string[] = [];
    for await (const batch of this.client.scanIterator({ MATCH: pattern, COUNT: 1000 })) out.push(...(batch as unknown as string[]));
    return out;
  }
}

/** The conversation a dead letter's / relay entry's message is for, or undefined. */
function messageOf(raw: string, kind: 'letter' | 'message'): string | undefined {
  try {
    const v = JSON.parse(raw) as { message?: RelayMessage } & Partial<RelayMessage>;
    const m = kind === 'letter' ? v.message : v;
    return m === undefined ? undefined : String(m.conversationId);
  } catch {
    return undefined;
  }
}
