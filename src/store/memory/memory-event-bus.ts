import type { DomainEvent } from '../../core/events.js';
import type { EventBus } from '../../core/ports/event-bus.js';

/**
 * In-process `EventBus`. A failing subscriber is reported to `onError` and never stops the others
 * or the publisher.
 *
 * @example
 * const bus = new MemoryEventBus(); bus.subscribe((e) => console.log(e.type));
 */
export class MemoryEventBus implements EventBus {
  private readonly handlers = new Set<(e: DomainEvent) => void | Promise<void>>();
  constructor(private readonly onError: (e: unknown) => void = () => {}) {}

  async publish(event: DomainEvent): Promise<void> {
    for (const h of [...this.handlers]) {
      try {
        await h(event);
      } catch (e) {
        this.onError(e);
      }
    }
  }

  subscribe(handler: (event: DomainEvent) => void | Promise<void>): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
}
