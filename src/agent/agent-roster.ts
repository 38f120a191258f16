/**
 * The console's agents, from manifest.json (`console.agents`): who they are, their role and the
 * queues they may see. A supervisor sees every queue.
 *
 * @example
 * const roster = new AgentRoster(manifest);
 * roster.find('ana')?.name;                         // 'Ana'
 * roster.queuesOf(roster.find('sam')!);             // every queue of the manifest
 */
import type { Manifest } from '../config/manifest-schema.js';

/**
 * An agent as the console and the API see them (never with the password hash).
 *
 * @example
 * const ana: ConsoleAgent = { id: 'ana', name: 'Ana', role: 'agent', queues: ['support'] };
 */
export interface ConsoleAgent {
  readonly id: string;
  readonly name: string;
  readonly role: 'agent' | 'supervisor';
  /** The queues they work; for a supervisor, every queue. */
  readonly queues: readonly string[];
  /** The language they read briefings in, when manifest.json says (else their browser's, else the default locale). */
  readonly locale?: string;
}

/**
 * The agents of manifest.json, by id.
 *
 * @example
 * new AgentRoster(manifest).find('ana')?.queues; // ['support', 'support_l2', 'billing']
 */
export class AgentRoster {
  private readonly agents: Map<string, { readonly agent: ConsoleAgent; readonly passwordHash: string }>;
  /** Every queue of the manifest, in manifest order. */
  readonly allQueues: readonly string[];

  constructor(manifest: Pick<Manifest, 'console' | 'queues'>) {
    this.allQueues = Object.keys(manifest.queues);
    this.agents = new Map(
      manifest.console.agents.map((a) => [
        a.id,
        {
          agent: { id: a.id, name: a.name, role: a.role, queues: a.role === 'supervisor' ? this.allQueues : [...a.queues], ...(a.locale === undefined ? {} : { locale: a.locale }) },
          passwordHash: a.passwordHash,
        },
      ]),
    );
  }

  /** The agent with this id, or undefined. */
  find(id: string): ConsoleAgent | undefined {
    return this.agents.get(id)?.agent;
  }

  /** The stored hash of an agent's password (for sign-in only). */
  passwordHashOf(id: string): string | undefined {
    return this.agents.get(id)?.passwordHash;
  }

  /** True when the queue exists in the manifest. */
  hasQueue(queue: string): boolean {
    return this.allQueues.includes(queue);
  }
}
