import type { HandoffId } from '../../core/ids.js';
import type { HandoffPacket } from '../../core/conversation.js';
import type { PacketStore } from '../../core/ports/packet-store.js';
import { HandoverError } from '../../core/errors.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import { LuaScript } from './lua-script.js';
import { DEFAULT_RETENTION, type RetentionPolicy } from '../../core/ports/customer-data.js';

const putScript = LuaScript.load('putPacket-3.lua');

/**
 * `PacketStore` on Redis: one JSON string per handoff (written once and read whole), its id kept
 * in the conversation's packet-id set (so an erasure finds it); both expire `retention.briefingsMs`
 * after the write, or after the closing transition while the handoff is open (`putPacket-3.lua`).
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
    private readonly retention: RetentionPolicy = DEFAULT_RETENTION,
  ) {}

  async put(id: HandoffId, packet: HandoffPacket): Promise<void> {
    const conversation = String(packet.conversationId);
    await putScript.run(
      this.client,
      [this.keys.packet(id), this.keys.conversationPackets(conversation), this.keys.handoff(conversation)],
      [JSON.stringify(packet), id, String(this.retention.briefingsMs)],
    );
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
