/**
 * A mark for channel adapters that never show a customer the events meant for a desk
 * (`handoff.initiate`: the briefing and the whole transcript). This package's web chat, WhatsApp and
 * simulator adapters carry it; botbuilder's CloudAdapter does not — it would deliver such an event
 * to the customer's own client — so the handoff middleware sends `handoff.initiate` into the turn
 * only on a marked adapter unless told otherwise (`initiate` option).
 *
 * @example
 * class MyAdapter extends BotAdapter { readonly [KEEPS_DESK_EVENTS_PRIVATE] = true; … }
 * keepsDeskEventsPrivate(new MyAdapter()); // true
 */
export const KEEPS_DESK_EVENTS_PRIVATE: unique symbol = Symbol.for('handover.keepsDeskEventsPrivate');

/** True when `adapter` declares that it keeps desk events from the customer. */
export function keepsDeskEventsPrivate(adapter: object): boolean {
  return (adapter as { [KEEPS_DESK_EVENTS_PRIVATE]?: unknown })[KEEPS_DESK_EVENTS_PRIVATE] === true;
}
