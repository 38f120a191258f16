import { HandoverError } from '../../core/errors.js';

/**
 * The prefix every key and channel starts with unless `createRedisStores({ prefix })` says otherwise.
 *
 * @example
 * new RedisKeys(DEFAULT_PREFIX).deadlines(); // "handover:deadlines"
 */
export const DEFAULT_PREFIX = 'handover';

/**
 * The only place Redis key names are built (BullMQ's key builder is the model): every store asks
 * this object, so a prefix change, a test's private namespace or a future Cluster layout is one edit.
 *
 * Layout (`p` = prefix):
 * - `p:handoff:{<conversationId>}`        hash: `v` version, `s` state JSON, `qk` queue key it sits in, `ak` agent list it sits in
 * - `p:transcript:{<conversationId>}`     list of TranscriptEntry JSON
 * - `p:queue:<queueId>`                   sorted set of conversation ids, score = queueScore()
 * - `p:deadlines`                         sorted set of conversation ids, score = SLA deadline (ms)
 * - `p:agent:<agentId>:assigned`          sorted set of the conversation ids the agent owns, all scores 0 (paged BYLEX)
 * - `p:doc:<key>`                         hash: `v` value JSON, `e` eTag
 * - `p:packet:<handoffId>`                string: HandoffPacket JSON
 * - `p:events`                            pub/sub channel of DomainEvents
 * - `p:relay:{<route>}`                   stream of RelayMessages, one consumer group
 * - `p:relay:{<route>}:done:<messageId>`  dedupe marker (expires)
 * - `p:relay:{<route>}:alive:<consumer>`  listener heartbeat (expires)
 * - `p:relay-dead`                        list of dead letters (JSON, newest first, capped), every route
 * - `p:lease:{relay:<route>}`             which listener reads the route now (a `RedisLease`)
 * - `p:lease:{<name>}`                    string: the holder id, expiring (PX) — see `RedisLease`
 * - `p:activity:{<conversationId>}`       string: web chat position after the last activity (the watermark)
 * - `p:activity:{<conversationId>}:items` list of the last N ChannelActivity JSON
 * - `p:activity:{<conversationId>}:once:<key>` position of an activity appended with that once-key (expires)
 * - `p:activity-recent`                   sorted set of web chat conversation ids, score = last write (ms)
 * - `p:activity-feed`                     pub/sub channel: every append, so the process holding the socket pushes it
 * - `p:inbox`                             sorted set of customer lines whose turn has not run, "<conversation id> <activity id>", score = when claimable (ms)
 * - `p:inbox:items`                       hash: the same member -> "<owner> <position> <attempts>\n<activity JSON>"
 * - `p:lease:{node:<owner>}`              an inbox owner's liveness (a `RedisLease` its process renews)
 * - `p:rate:{<key>}`                      hash: a token bucket (`t` tokens, `ts` last refill, ms by Redis' clock), expiring when full
 * - `p:packets:{<conversationId>}`        set of the conversation's handoff ids that have a packet (erasure finds its briefings)
 * - `p:customer:{<customerId>}`           set of the customer's conversation ids (written with the conversation memory; erasure)
 * - `p:audit`                             sorted set of audit lines (JSON), score = when (ms); lines past `retention.auditDays` trimmed
 * - `p:history`                           sorted set of closed handoffs, member "<handoffId> <conversationId>", score = closed at (ms); trimmed to `retention.transcriptsDays`
 * - `p:history:{<conversationId>}`        hash: handoff id -> HistoryEntry JSON (the console's history search), expiring with the transcripts' retention
 *
 * Retention (docs/operations.md "Retention and erasure", docs/redis.md): every key of a conversation expires
 * `retention.<class>Days` after its last write; an open handoff's state, transcript and packets
 * have no TTL until the closing transition sets it (`commitHandoff-7.lua`).
 * - `p:signin:{signin}:n:<key>`           sorted set: sign-in attempts of one counter (member = ticket, score = ms by Redis' clock), expiring with the window
 * - `p:signin:{signin}:m:<marker>`        string "1": a remembered marker (a known device of an agent), expiring
 *
 * The `{…}` hash tags put every key one script or MULTI touches for one conversation (or one route)
 * in the same Cluster slot. Queues and deadlines span conversations and cannot share a slot with
 * them; see `commitHandoff-7.lua`.
 *
 * @example
 * const keys = new RedisKeys('handover-test:1a2b');
 * keys.handoff(conversationId('c-1')); // "handover-test:1a2b:handoff:{c-1}"
 */
export class RedisKeys {
  readonly prefix: string;

  constructor(prefix: string = DEFAULT_PREFIX) {
    // A brace in the prefix would become the hash tag of every key and defeat the per-conversation tags.
    if (prefix.length === 0 || /[{}\s]/.test(prefix)) {
      throw new HandoverError(
        'HANDOVER_ERR_CONFIG_INVALID',
        `Redis key prefix "${prefix}" is invalid: use a non-empty prefix without spaces or braces, e.g. "handover"`,
      );
    }
    this.prefix = prefix;
  }

  handoff(conversationId: string): string {
    return `${this.prefix}:handoff:{${conversationId}}`;
  }

  transcript(conversationId: string): string {
    return `${this.prefix}:transcript:{${conversationId}}`;
  }

  queue(queueId: string): string {
    return `${this.prefix}:queue:${queueId}`;
  }

  deadlines(): string {
    return `${this.prefix}:deadlines`;
  }

  /** The conversations an agent owns (derived from committed states by `commitHandoff-7.lua`). */
  agentAssigned(agentId: string): string {
    return `${this.prefix}:agent:${agentId}:assigned`;
  }

  document(key: string): string {
    return `${this.prefix}:doc:${key}`;
  }

  packet(handoffId: string): string {
    return `${this.prefix}:packet:${handoffId}`;
  }

  eventsChannel(): string {
    return `${this.prefix}:events`;
  }

  relayStream(route: string): string {
    return `${this.prefix}:relay:{${route}}`;
  }

  relayDone(route: string, messageId: string): string {
    return `${this.prefix}:relay:{${route}}:done:${messageId}`;
  }

  relayAlive(route: string, consumer: string): string {
    return `${this.prefix}:relay:{${route}}:alive:${consumer}`;
  }

  relayDeadLetters(): string {
    return `${this.prefix}:relay-dead`;
  }

  lease(name: string): string {
    return `${this.prefix}:lease:{${name}}`;
  }

  /** The web chat log's end position; `activityItems` is its list, in the same hash slot. */
  activity(conversationId: string): string {
    return `${this.prefix}:activity:{${conversationId}}`;
  }

  activityItems(conversationId: string): string {
    return `${this.activity(conversationId)}:items`;
  }

  /** Marks an activity appended once under `key` (e.g. a relay message id), in the conversation's slot. */
  activityOnce(conversationId: string, key: string): string {
    return `${this.activity(conversationId)}:once:${key}`;
  }

  /** Pub/sub channel announcing every web chat append (see `RedisActivityLog.watch`). */
  activityFeed(): string {
    return `${this.prefix}:activity-feed`;
  }

  activityRecent(): string {
    return `${this.prefix}:activity-recent`;
  }

  /** The turn inbox's index: customer lines not yet answered, by when they become claimable (see `RedisTurnInbox`). */
  inbox(): string {
    return `${this.prefix}:inbox`;
  }

  /** The turn inbox's entries (owner, position, attempts and the activity). */
  inboxItems(): string {
    return `${this.prefix}:inbox:items`;
  }

  /** The lease name that says an inbox owner (a process) is alive: `lease(nodeLease(owner))`. */
  nodeLease(owner: string): string {
    return `node:${owner}`;
  }

  /** A token bucket of `RedisRateLimiter` (its own slot: one key per script call). */
  rateBucket(key: string): string {
    return `${this.prefix}:rate:{${key}}`;
  }

  /** A sign-in attempt counter; every sign-in key shares the `{signin}` slot, so one script can check three. */
  signInAttempts(key: string): string {
    return `${this.prefix}:signin:{signin}:n:${key}`;
  }

  /** A remembered sign-in marker (a known device of an agent). */
  signInMarker(marker: string): string {
    return `${this.prefix}:signin:{signin}:m:${marker}`;
  }

  /** The handoff ids of a conversation that have a packet (in the conversation's slot). */
  conversationPackets(conversationId: string): string {
    return `${this.prefix}:packets:{${conversationId}}`;
  }

  /** The conversations of a customer (the customer → conversations index). */
  customer(customerId: string): string {
    return `${this.prefix}:customer:{${customerId}}`;
  }

  /** Closed handoffs by time (the console's history search). */
  history(): string {
    return `${this.prefix}:history`;
  }

  /** A conversation's closed handoffs (history entries), in the conversation's slot. */
  historyOf(conversationId: string): string {
    return `${this.prefix}:history:{${conversationId}}`;
  }

  /** Audit lines (erasures). */
  audit(): string {
    return `${this.prefix}:audit`;
  }

  /** A SCAN MATCH pattern for every key under this prefix (glob characters in the prefix escaped). */
  pattern(): string {
    return `${escapeGlob(this.prefix)}:*`;
  }
}

/** A literal for a SCAN MATCH pattern: glob characters escaped. @example escapeGlob('a*b') // 'a\\*b' */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
