import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '../../core/events.js';
import type { EventBus } from '../../core/ports/event-bus.js';
import { HandoverError } from '../../core/errors.js';
import type { RedisKeys } from './keys.js';
import { closeConnection, duplicateConnection, type RedisClient } from './redis-connection.js';

type Handler = (event: DomainEvent) => void | Promise<void>;

/** What travels on the channel: the event and the bus instance that published it. */
interface Envelope {
  readonly o: string;
  readonly e: DomainEvent;
}

/**
 * `EventBus` across processes: Redis pub/sub on one channel, received on a dedicated connection
 * (a subscribed connection cannot run other commands).
 *
 * Why pub/sub and not a stream: domain events are notifications (agent consoles refresh, metrics
 * count, webhooks fire); what must not be lost, the customer-bound messages, goes through the
 * `RedisMessageRelay` stream, and the state itself is in the `HandoffStore`. Pub/sub fans out to every
 * process with no consumer bookkeeping and no retention to trim; the price is that a process that is
 * disconnected at that moment misses the event (it re-reads state when it reconnects).
 *
 * Local subscribers are called directly by `publish`, like `MemoryEventBus` (so `await publish()`
 * means this process has handled it), and the copy coming back from Redis is skipped by its origin id.
 * Remote events are handled one at a time in arrival order. A failing subscriber goes to `onError`.
 *
 * @example
 * const bus = await RedisEventBus.start(client, new RedisKeys('handover'), console.error);
 * const off = bus.subscribe((e) => console.log(e.type));
 * await bus.publish({ type: 'customer.message', conversationId, at: Date.now(), text: 'hi', activityType: 'message' });
 * off();
 * await bus.close();
 */
export class RedisEventBus implements EventBus {
  private readonly handlers = new Set<Handler>();
  private readonly origin = randomUUID();
  /** Serializes remote deliveries so subscribers see events in the order Redis delivered them. */
  private remoteChain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly client: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly channel: string,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** Opens the subscriber connection and subscribes before returning, so no event published after is missed. */
  static async start(client: RedisClient, keys: RedisKeys, onError: (e: unknown) => void): Promise<RedisEventBus> {
    const subscriber = await duplicateConnection(client, onError);
    const bus = new RedisEventBus(client, subscriber, keys.eventsChannel(), onError);
    // node-redis re-subscribes by itself after a reconnect.
    await subscriber.subscribe(bus.channel, (message: string) => bus.receive(message));
    return bus;
  }

  async publish(event: DomainEvent): Promise<void> {
    const envelope: Envelope = { o: this.origin, e: event };
    // Broadcast first: if Redis refuses, nobody (local or remote) has seen a half-published event.
    await this.client.publish(this.channel, JSON.stringify(envelope));
    await this.dispatch(event);
  }

  subscribe(handler: Handler): () => void {
    // A Set, like MemoryEventBus: the same function subscribed twice is called once.
    this.handlers.add(handler);
    return () => {
      this.handlers.delete(handler);
    };
  }

  /** Unsubscribes and closes the subscriber connection; the shared client is closed by its owner. */
  async close(): Promise<void> {
    this.handlers.clear();
    try {
      if (this.subscriber.isReady) await this.subscriber.unsubscribe(this.channel);
    } catch (e) {
      this.onError(e);
    }
    await closeConnection(this.subscriber);
    await this.remoteChain;
  }

  private receive(message: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch (e) {
      this.onError(new HandoverError('HANDOVER_ERR_STORE_DATA_INVALID', `event on ${this.channel} is not JSON: another program publishes there`, { cause: e }));
      return;
    }
    if (envelope.o === this.origin) return; // already dispatched locally by publish()
    this.remoteChain = this.remoteChain.then(() => this.dispatch(envelope.e));
  }

  private async dispatch(event: DomainEvent): Promise<void> {
    for (const h of [...this.handlers]) {
      try {
        await h(event);
      } catch (e) {
        this.onError(e);
      }
    }
  }
}
