import type { HandoffId } from '../../core/ids.js';
import type { HandoffPacket } from '../../core/conversation.js';
import type { PacketStore } from '../../core/ports/packet-store.js';
import type { ConversationExpiry } from './conversation-expiry.js';

/**
 * In-process `PacketStore`. With an `expiry` (what `createMemoryStores` passes) the briefings of a
 * conversation idle past its TTL are forgotten with it (each packet names its conversation).
 *
 * @example
 * await new MemoryPacketStore().put(handoffId('h1'), packet);
 */
export class MemoryPacketStore implements PacketStore {
  private readonly packets = new Map<HandoffId, { conversationId: string; json: string }>();
  /** conversation -> its handoffs' ids (only kept with an expiry: nothing else reads it). */
  private readonly byConversation = new Map<string, Set<HandoffId>>();

  constructor(private readonly expiry?: ConversationExpiry) {
    expiry?.register({ forget: (id) => this.forget(id) });
  }

  async put(id: HandoffId, packet: HandoffPacket): Promise<void> {
    const conversationId = String(packet.conversationId);
    const previous = this.packets.get(id);
    if (this.expiry !== undefined) {
      this.expiry.touch(conversationId);
      if (previous !== undefined && previous.conversationId !== conversationId) this.unindex(previous.conversationId, id);
      let mine = this.byConversation.get(conversationId);
      if (mine === undefined) this.byConversation.set(conversationId, (mine = new Set()));
      mine.add(id);
    }
    this.packets.set(id, { conversationId, json: JSON.stringify(packet) });
  }

  async get(id: HandoffId): Promise<HandoffPacket | undefined> {
    const p = this.packets.get(id);
    if (p !== undefined) this.expiry?.check(p.conversationId);
    const still = this.packets.get(id);
    return still === undefined ? undefined : (JSON.parse(still.json) as HandoffPacket);
  }

  /** How many briefings of a conversation are held (what an erasure reports). */
  countOf(conversationId: string): number {
    return this.byConversation.get(conversationId)?.size ?? 0;
  }

  /** Entry counts (what the memory bound is measured by). */
  counts(): { packets: number } {
    return { packets: this.packets.size };
  }

  private forget(conversationId: string): void {
    const mine = this.byConversation.get(conversationId);
    if (mine === undefined) return;
    for (const id of mine) this.packets.delete(id);
    this.byConversation.delete(conversationId);
  }

  private unindex(conversationId: string, id: HandoffId): void {
    const mine = this.byConversation.get(conversationId);
    mine?.delete(id);
    if (mine?.size === 0) this.byConversation.delete(conversationId);
  }
}
