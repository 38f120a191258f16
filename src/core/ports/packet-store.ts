import type { HandoffId } from '../ids.js';
import type { HandoffPacket } from '../conversation.js';

/** The briefing, built once per handoff and read by the agent console and external desks. */
export interface PacketStore {
  put(id: HandoffId, packet: HandoffPacket): Promise<void>;
  get(id: HandoffId): Promise<HandoffPacket | undefined>;
}
