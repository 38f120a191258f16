/**
 * The self-check of the sample dialog bot's coupling to botbuilder-dialogs (the turn-state key
 * `DialogStateManager` reads its configuration from), run when the sample bot is loaded. See
 * src/internals/README.md and self-check.ts.
 *
 * @example
 * const c = checkDialogInternals(); if (!c.ok) log.warn(c.detail);
 */
import { TestAdapter, TurnContext } from 'botbuilder';
import { DialogStateManager, type DialogContext, type DialogStateManagerConfiguration } from 'botbuilder-dialogs';
import { keepDialogStateConfiguration } from './botbuilder-state.js';
import type { InternalsCheck } from './self-check.js';

let cached: InternalsCheck | undefined;

export function checkDialogInternals(): InternalsCheck {
  cached ??= checkDialogStateConfiguration();
  return cached;
}

function checkDialogStateConfiguration(): InternalsCheck {
  const context = new TurnContext(new TestAdapter(), { type: 'message', text: '', channelId: 'self-check', conversation: { id: 'self-check' } as never, from: { id: 'u' } as never, recipient: { id: 'b' } as never });
  const marker: DialogStateManagerConfiguration = { memoryScopes: [], pathResolvers: [] };
  keepDialogStateConfiguration(context, marker);
  // what a DialogContext's constructor does with its turn (it reads nothing else of the context here)
  const state = new DialogStateManager({ context } as DialogContext);
  return state.configuration === marker
    ? { name: 'dialog-state-configuration', ok: true, detail: 'DialogStateManager takes the configuration kept in turn state (rebuilt once per process, not per turn)' }
    : { name: 'dialog-state-configuration', ok: false, detail: "DialogStateManager no longer reads 'DialogStateManagerConfiguration' from turn state: each turn rebuilds it (slower, still correct); update src/internals/botbuilder-state.ts" };
}
