import type { CustomerProfile } from '../conversation.js';

/**
 * Looks up the account behind a conversation (CRM, in the sample: a JSON file or the scenario's
 * customer). Used for authentication and value at risk.
 *
 * @example
 * const profile = await directory.lookup('c-1001');
 */
export interface CustomerDirectory {
  lookup(customerId: string): Promise<CustomerProfile | null>;
}
