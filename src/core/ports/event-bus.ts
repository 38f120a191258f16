import type { DomainEvent } from '../events.js';

/**
 * Domain events broadcast to every subscriber of every process (agent consoles, webhooks, metrics).
 * Delivery to a *specific* conversation's channel goes through `MessageRelay`, not here.
 *
 * @example
 * const off = bus.subscribe((e) => { if (e.type === 'handoff.requested') notify(e); });
 */
export interface EventBus {
  publish(event: DomainEvent): Promise<void>;
  /** Returns a function that removes the subscription. */
  subscribe(handler: (event: DomainEvent) => void | Promise<void>): () => void;
}
