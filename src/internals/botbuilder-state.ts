/**
 * Library internals of botbuilder: where `BotState` caches a turn's state (its private `stateKey`
 * Symbol) and where botbuilder-dialogs' `DialogStateManager` looks for its memory-scope
 * configuration in turn state (the string key `DialogStateManagerConfiguration`). See
 * src/internals/README.md.
 *
 * @example
 * const slot = botStateSlot(conversationState); // the Symbol BotState caches under
 * keepDialogStateConfiguration(context, configuration);
 */
import type { BotState, TurnContext } from 'botbuilder';
import type { DialogStateManagerConfiguration } from 'botbuilder-dialogs';
import { HandoverError } from '../core/errors.js';

/** The turn-state key botbuilder-dialogs' DialogStateManager reads its configuration from. */
export const DIALOG_STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';

/**
 * BotState's own turn-state slot (a private Symbol), so a subclass caches where botbuilder's
 * clear/get/delete look. Throws HANDOVER_ERR_INTERNAL when botbuilder moved it.
 */
export function botStateSlot(state: BotState): symbol {
  const slot = (state as unknown as { stateKey?: unknown }).stateKey;
  if (typeof slot !== 'symbol') {
    throw new HandoverError('HANDOVER_ERR_INTERNAL', "botbuilder's BotState no longer keeps its cache under `stateKey`: update src/internals/botbuilder-state.ts (or use botbuilder's ConversationState)");
  }
  return slot;
}

/**
 * Hands the memory-scope configuration of an earlier turn to this turn's first DialogContext:
 * botbuilder rebuilds it (a ServiceCollection, a zod parse) otherwise, the same every turn — what
 * botbuilder's own DialogManager does with its `stateConfiguration`.
 */
export function keepDialogStateConfiguration(context: TurnContext, configuration: DialogStateManagerConfiguration | undefined): void {
  if (configuration !== undefined) context.turnState.set(DIALOG_STATE_MANAGER_CONFIGURATION, configuration);
}
