/**
 * Wraps real stores so a test can take ports "down" (every call throws, as a dead Redis would)
 * and bring them back. The wrapped object satisfies `Stores`, checked by the compiler.
 */
import type { Stores } from '../../src/core/ports/stores.js';

export type Port = 'handoffs' | 'transcripts' | 'documents' | 'packets' | 'events' | 'relay';

export class FlakyStores {
  readonly down = new Set<Port>();
  readonly stores: Stores;
  constructor(inner: Stores) {
    const wrap = <T extends object>(port: Port, target: T): T =>
      new Proxy(target, {
        get: (t, prop, receiver) => {
          const v = Reflect.get(t, prop, receiver) as unknown;
          if (typeof v !== 'function') return v;
          return (...args: unknown[]) => {
            if (this.down.has(port)) return Promise.reject(new Error(`${port} store unavailable (test)`));
            return (v as (...a: unknown[]) => unknown).apply(t, args);
          };
        },
      });
    this.stores = {
      handoffs: wrap('handoffs', inner.handoffs),
      transcripts: wrap('transcripts', inner.transcripts),
      documents: wrap('documents', inner.documents),
      packets: wrap('packets', inner.packets),
      events: wrap('events', inner.events),
      relay: wrap('relay', inner.relay),
      close: () => inner.close(),
    };
  }
  all(): Port[] {
    return ['handoffs', 'transcripts', 'documents', 'packets', 'events', 'relay'];
  }
}
