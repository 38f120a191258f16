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
import { ConversationState, MemoryStorage, TurnContext } from 'botbuilder';
import { botStateSlot } from './botbuilder-state.js';
import { nativeAsyncBodies, nativeAsyncInstalled } from './native-async.js';

/** One patch's verdict. */
export interface InternalsCheck {
  readonly name: 'native-async' | 'botstate-slot' | 'dialog-state-configuration';
  readonly ok: boolean;
  readonly detail: string;
}

let cached: readonly InternalsCheck[] | undefined;

/**
 * Every check of what the engine uses, run once per process (the answer cannot change while it
 * runs). The sample dialog bot's own (`checkDialogInternals`, dialogs-self-check.ts) runs when it
 * is loaded: botbuilder-dialogs is ~300 modules a bot of your own never loads.
 */
export function checkInternals(): readonly InternalsCheck[] {
  cached ??= [checkNativeAsync(), checkBotStateSlot()];
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
