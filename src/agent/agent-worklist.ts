/**
 * "My conversations": the conversations an agent owns, a page at a time. The list is derived from
 * the committed handoff states by the store itself (`HandoffStore.listAssigned`, updated in the same
 * compare-and-set as the state), so it is complete whatever the concurrency — no separate list to
 * keep in step, no update lost to a lost race, no cap.
 *
 * Earlier versions kept a capped per-agent document (`agent-worklist:<agentId>`). On an agent's
 * first listing, the conversations of such a document that the agent still owns are indexed (a
 * same-state commit derives their entry) and the document is deleted: nothing owned before an
 * upgrade goes missing from the list.
 *
 * @example
 * const worklist = new AgentWorklist(stores);
 * const { conversations, next, total } = await worklist.page(agentId('ana'), { limit: 50 });
 * const more = next === null ? undefined : await worklist.page(agentId('ana'), { after: next });
 */
import type { AgentId } from '../core/ids.js';
import { conversationId } from '../core/ids.js';
import type { AssignedPage } from '../core/ports/handoff-store.js';
import type { Stores } from '../core/ports/stores.js';

interface LegacyWorklist {
  readonly conversations: readonly string[];
}

/**
 * Per-agent pages of owned conversations.
 *
 * @example
 * await new AgentWorklist(stores).page(agentId('ana'));
 */
export class AgentWorklist {
  /** Agents whose legacy document this process has already folded in (or found absent). */
  private readonly migrated = new Set<string>();

  constructor(private readonly stores: Pick<Stores, 'handoffs' | 'documents'>) {}

  /** One page (by conversation id) of what `agent` owns; `after` is the previous page's `next`. */
  async page(agent: AgentId, page: { readonly after?: string | null; readonly limit?: number } = {}): Promise<AssignedPage> {
    if (!this.migrated.has(agent)) await this.migrate(agent);
    return this.stores.handoffs.listAssigned(agent, page);
  }

  private async migrate(agent: AgentId): Promise<void> {
    const key = `agent-worklist:${agent}`;
    const doc = await this.stores.documents.read<LegacyWorklist>(key);
    for (const c of doc?.value.conversations ?? []) {
      const id = conversationId(c);
      const s = await this.stores.handoffs.get(id);
      // the same state again: the commit derives the agent's entry (a lost race means another commit just did)
      if (s.status === 'assigned' && s.agentId === agent) await this.stores.handoffs.commit(id, s.version, s);
    }
    if (doc !== undefined) await this.stores.documents.delete(key);
    this.migrated.add(agent);
  }
}
