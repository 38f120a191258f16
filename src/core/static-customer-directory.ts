/**
 * A `CustomerDirectory` over a fixed list (the sample's data/customers.json, or a scenario's
 * customer). A real deployment plugs its CRM in behind the same port.
 *
 * @example
 * const directory = new StaticCustomerDirectory([{ id: 'c-1001', zip: '94107' }]);
 */
import type { CustomerProfile } from './conversation.js';
import type { CustomerDirectory } from './ports/customer-directory.js';

/**
 * Customers from a list, looked up by id.
 *
 * @example
 * await new StaticCustomerDirectory([{ id: 'c-1', tier: 'b2b' }]).lookup('c-1'); // { id: 'c-1', tier: 'b2b' }
 */
export class StaticCustomerDirectory implements CustomerDirectory {
  private readonly byId: Map<string, CustomerProfile>;
  constructor(customers: readonly CustomerProfile[]) {
    this.byId = new Map(customers.map((c) => [c.id, c]));
  }
  async lookup(customerId: string): Promise<CustomerProfile | null> {
    return this.byId.get(customerId) ?? null;
  }
}
