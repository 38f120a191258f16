import type { HandoffId } from '../../core/ids.js';
import type { HandoffPacket } from '../../core/conversation.js';
import type { PacketStore } from '../../core/ports/packet-store.js';
import { HandoverError } from '../../core/errors.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';

/**
 * `PacketStore` on Redis: one JSON string per handoff. A packet is written once and read whole,
 * so a plain string is enough (no hash, no script).
 *
 * @example
 * const packets = new RedisPacketStore(client, new RedisKeys('handover'));
 * await packets.put(handoffId('h-1'), packet);
 * const same = await packets.get(handoffId('h-1'));
 */
export class RedisPacketStore implements PacketStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async put(id: HandoffId, packet: HandoffPacket): Promise<void> {
    await this.client.set(this.keys.packet(id), JSON.stringify(packet));
  }

  async get(id: HandoffId): Promise<HandoffPacket | undefined> {
    const json = await this.client.get(this.keys.packet(id));
    if (json === null) return undefined;
    try {
      return JSON.parse(json) as HandoffPacket;
    } catch (e) {
      throw new HandoverError(
        'HANDOVER_ERR_STORE_DATA_INVALID',
        `handoff packet "${id}" is not JSON: check that nothing else writes under this key prefix`,
        { cause: e },
      );
    }
  }
}
