/**
 * "Can we send right now, and if not, tell me when." The supervisor implements it; the adapter's send
 * queue waits on it so messages written while WhatsApp is disconnected are kept and sent after `ready`.
 *
 * @example
 * await gate.whenReady(signal); // resolves at once when connected
 */
export interface ConnectionGate {
  readonly isReady: boolean;
  /** Resolves when the connection is (or becomes) ready, or when `signal` aborts. */
  whenReady(signal?: AbortSignal): Promise<void>;
}

/** A gate that is always open: for a client managed outside the supervisor. @example new WhatsAppWebAdapter({ client, gate: alwaysReady }) */
export const alwaysReady: ConnectionGate = { isReady: true, whenReady: async () => {} };
