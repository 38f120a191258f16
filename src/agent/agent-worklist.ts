/**
 * The conversations each agent has accepted, kept in the DocumentStore (so any process and a
 * reloaded page find them). Updated with compare-and-set; the handoff state stays the truth, so
 * readers keep only entries the agent still owns.
 *
 * @example
 * const worklist = new AgentWorklist(stores.documents);
 * await worklist.add('ana', id);
 * await worklist.list('ana');          // ['webchat:abc']
 * await worklist.remove('ana', id);
 */
import type { DocumentStore } from '../core/ports/document-store.js';

interface Worklist {
  readonly conversations: readonly string[];
}

/** How many conversations one agent's list keeps (oldest dropped first). */
const LIMIT = 200;

/**
 * Per-agent lists of owned conversations (`agent-worklist:<agentId>` documents).
 *
 * @example
 * await new AgentWorklist(stores.documents).list('ana');
 */
export class AgentWorklist {
  constructor(private readonly documents: DocumentStore) {}

  private key(agentId: string): string {
    return `agent-worklist:${agentId}`;
  }

  private async update(agentId: string, change: (list: readonly string[]) => readonly string[]): Promise<void> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const doc = await this.documents.read<Worklist>(this.key(agentId));
      const next = { conversations: change(doc?.value.conversations ?? []).slice(-LIMIT) };
      const r = doc === undefined ? await this.documents.create(this.key(agentId), next) : await this.documents.write(this.key(agentId), next, doc.eTag);
      if (r.ok) return;
    }
  }

  add(agentId: string, conversationId: string): Promise<void> {
    return this.update(agentId, (l) => [...l.filter((c) => c !== conversationId), conversationId]);
  }

  remove(agentId: string, conversationId: string): Promise<void> {
    return this.update(agentId, (l) => l.filter((c) => c !== conversationId));
  }

  async list(agentId: string): Promise<readonly string[]> {
    return (await this.documents.read<Worklist>(this.key(agentId)))?.value.conversations ?? [];
  }
}
