import { HandoverError } from '../../../core/errors.js';

/**
 * A set of recently seen ids with a fixed capacity; the oldest entries fall out first. Used to process
 * duplicate message events once without growing memory forever (a long-running session sees millions).
 *
 * @example
 * const seen = new BoundedIdSet(1000);
 * seen.addIfAbsent('a'); // true
 * seen.addIfAbsent('a'); // false: duplicate
 */
export class BoundedIdSet {
  // A Map keeps insertion order, which is all an LRU of "seen" ids needs.
  private readonly ids = new Map<string, true>();

  constructor(private readonly capacity: number) {
    if (!(capacity > 0)) throw new HandoverError('HANDOVER_ERR_CONFIG_INVALID', `BoundedIdSet capacity (the adapter's dedupeCapacity) must be a positive number, got ${capacity}`);
  }

  /** Adds `id`; false when it was already there (and refreshes it as most recent). */
  addIfAbsent(id: string): boolean {
    if (this.ids.has(id)) {
      this.ids.delete(id);
      this.ids.set(id, true);
      return false;
    }
    this.ids.set(id, true);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.keys().next();
      if (oldest.done !== true) this.ids.delete(oldest.value);
    }
    return true;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
