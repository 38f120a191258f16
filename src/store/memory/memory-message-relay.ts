import type { MessageRelay, RelayMessage } from '../../core/ports/message-relay.js';

/**
 * In-process `MessageRelay`: messages sent to a route with no listener yet wait, in order, until
 * one starts; a message whose delivery throws stays at the head and is retried on the next send
 * or listen, so nothing is lost and order holds.
 *
 * @example
 * const relay = new MemoryMessageRelay(); await relay.listen('webchat', deliver);
 */
export class MemoryMessageRelay implements MessageRelay {
  private readonly pending = new Map<string, RelayMessage[]>();
  private readonly listeners = new Map<string, (m: RelayMessage) => Promise<void>>();
  private readonly draining = new Map<string, Promise<void>>();
  private readonly delivered = new Set<string>();

  async send(route: string, message: RelayMessage): Promise<void> {
    let q = this.pending.get(route);
    if (q === undefined) this.pending.set(route, (q = []));
    q.push(message);
    await this.drain(route);
  }

  async listen(route: string, handler: (m: RelayMessage) => Promise<void>): Promise<() => Promise<void>> {
    this.listeners.set(route, handler);
    await this.drain(route);
    return async () => {
      if (this.listeners.get(route) === handler) this.listeners.delete(route);
    };
  }

  private drain(route: string): Promise<void> {
    const running = this.draining.get(route);
    if (running !== undefined) return running.then(() => this.drain(route));
    const p = this.drainNow(route).finally(() => this.draining.delete(route));
    this.draining.set(route, p);
    return p;
  }

  private async drainNow(route: string): Promise<void> {
    const q = this.pending.get(route);
    for (;;) {
      const handler = this.listeners.get(route);
      const head = q?.[0];
      if (handler === undefined || head === undefined || q === undefined) return;
      if (!this.delivered.has(head.id)) {
        await handler(head); // throws => the message stays queued
        this.delivered.add(head.id);
      }
      q.shift();
    }
  }
}
