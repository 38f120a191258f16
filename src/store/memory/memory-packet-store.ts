import type { HandoffId } from '../../core/ids.js';
import type { HandoffPacket } from '../../core/conversation.js';
import type { PacketStore } from '../../core/ports/packet-store.js';

/** In-process `PacketStore`. *
 * @example
 * await new MemoryPacketStore().put(handoffId('h1'), packet);
 */
export class MemoryPacketStore implements PacketStore {
  private readonly packets = new Map<HandoffId, string>();
  async put(id: HandoffId, packet: HandoffPacket): Promise<void> {
    this.packets.set(id, JSON.stringify(packet));
  }
  async get(id: HandoffId): Promise<HandoffPacket | undefined> {
    const p = this.packets.get(id);
    return p === undefined ? undefined : (JSON.parse(p) as HandoffPacket);
  }
}
