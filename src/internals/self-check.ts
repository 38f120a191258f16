/**
 * The start-up self-check of the library internals this package relies on (src/internals/README.md):
 * each patch says whether it still fits the installed botbuilder, and what happens when it does not.
 * `handover start` and `createHandover` run it once per process and warn about any that fails;
 * none of them stops the process (a patch that does not fit is off, or throws at its own use with
 * HANDOVER_ERR_INTERNAL naming the file to update).
 *
 * @example
 * for (const c of checkInternals()) if (!c.ok) log.warn(`library internals: ${c.name}: ${c.detail}`);
 */
import { ConversationState, MemoryStorage, TestAdapter, TurnContext } from 'botbuilder';
import { DialogStateManager, type DialogContext, type DialogStateManagerConfiguration } from 'botbuilder-dialogs';
import { botStateSlot, keepDialogStateConfiguration } from './botbuilder-state.js';
import { nativeAsyncBodies, nativeAsyncInstalled } from './native-async.js';

/** One patch's verdict. */
export interface InternalsCheck {
  readonly name: 'native-async' | 'botstate-slot' | 'dialog-state-configuration';
  readonly ok: boolean;
  readonly detail: string;
}

let cached: readonly InternalsCheck[] | undefined;

/** Every check, run once per process (the answer cannot change while it runs). */
export function checkInternals(): readonly InternalsCheck[] {
  cached ??= [checkNativeAsync(), checkBotStateSlot(), checkDialogStateConfiguration()];
  return cached;
}

function checkNativeAsync(): InternalsCheck {
  if (!nativeAsyncInstalled()) return { name: 'native-async', ok: true, detail: 'off: stock botbuilder (HANDOVER_NATIVE_ASYNC=0, or installNativeAsync() not called)' };
  // the rewritten body: `__awaiter(this, void 0, void 0, async function () {…})`
  const native = /async function/.test(TurnContext.prototype.sendActivity.toString());
  if (native) return { name: 'native-async', ok: true, detail: `on: ${nativeAsyncBodies()} async bodies of botbuilder loaded native` };
  return {
    name: 'native-async',
    ok: false,
    detail:
      nativeAsyncBodies() === 0
        ? 'installed after botbuilder was loaded: stock botbuilder runs (import handover/install-native-async first)'
        : "botbuilder's compiled code no longer matches the rewrite: stock botbuilder runs (update src/internals/native-async.ts)",
  };
}

function checkBotStateSlot(): InternalsCheck {
  try {
    botStateSlot(new ConversationState(new MemoryStorage()));
    return { name: 'botstate-slot', ok: true, detail: "BotState caches under its private stateKey Symbol, as JsonDiffConversationState expects" };
  } catch (e) {
    return { name: 'botstate-slot', ok: false, detail: e instanceof Error ? e.message : String(e) };
  }
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
