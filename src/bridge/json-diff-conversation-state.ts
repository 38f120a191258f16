/**
 * botbuilder's `ConversationState` with a cheaper change check. `BotState` hashes the state three
 * times a turn (after the read, before the save, after the write), each time with a key-sorting
 * stringify and SHA-256: about 40 µs of a 0.5 ms turn on Redis. Here the "hash" is the state's
 * plain JSON (without its eTag), taken after the read and before the save; the save keeps the text
 * it compared, so a change made after that comparison is written by the next save. Everything else — the cache slot in turn state, `clear()`,
 * `delete()`, property accessors, botbuilder-dialogs' memory scopes — is botbuilder's own.
 *
 * The one difference: a state whose properties were re-created in another order with the same
 * values counts as changed and is written once more (botbuilder's sorted stringify would skip
 * that write). Never the other way round: a changed state is always written.
 *
 * @example
 * const conversationState = new JsonDiffConversationState(new DocumentStorage(stores.documents, 'botstate'));
 * const dialogState = conversationState.createProperty<DialogState>('dialogState');
 * await conversationState.saveChanges(context); // skipped when nothing changed this turn
 */
import { botStateSlot } from '../internals/botbuilder-state.js';
import { ConversationState, type CachedBotState, type Storage, type TurnContext } from 'botbuilder';

type State = CachedBotState['state'];

/**
 * What the change check compares: the state's JSON without its eTag ('' for no state).
 *
 * @example
 * stateFingerprint({ a: 1, eTag: 'x' }); // '{"a":1}'
 */
export function stateFingerprint(state: State | undefined): string {
  if (state === undefined || state === null) return '';
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { eTag, ...rest } = state;
  return JSON.stringify(rest);
}

/**
 * Drop-in for botbuilder's `ConversationState` (same constructor, same storage keys).
 *
 * @example
 * const state = new JsonDiffConversationState(new MemoryStorage());
 * const count = state.createProperty<number>('count');
 * await count.set(context, ((await count.get(context, 0)) ?? 0) + 1);
 * await state.saveChanges(context); // written: the JSON changed
 */
export class JsonDiffConversationState extends ConversationState {
  /** BotState's own turn-state slot (a private Symbol of botbuilder's), so clear/get/delete still apply. */
  private readonly slot: symbol;

  constructor(storage: Storage, namespace?: string) {
    super(storage, namespace);
    this.slot = botStateSlot(this);
  }

  override load(context: TurnContext, force = false): Promise<State> {
    const cached = context.turnState.get(this.slot) as CachedBotState | undefined;
    if (!force && cached?.state) return Promise.resolve(cached.state);
    return Promise.resolve(this.storageKey(context)).then((key) =>
      this.storage.read([key]).then((items) => {
        const state: State = items[key] ?? {};
        context.turnState.set(this.slot, { state, hash: stateFingerprint(state) } satisfies CachedBotState);
        return state;
      }),
    );
  }

  override saveChanges(context: TurnContext, force = false): Promise<void> {
    const cached = context.turnState.get(this.slot) as CachedBotState | undefined;
    const current = cached === undefined ? undefined : stateFingerprint(cached.state);
    if (!force && (cached === undefined || cached.hash === current)) return Promise.resolve();
    return Promise.resolve(this.storageKey(context)).then((key) => {
      const saved = cached ?? { state: {}, hash: '' };
      saved.state.eTag = '*';
      return this.storage.write({ [key]: saved.state }).then(() => {
        // the text compared above (one JSON a save): a change made after it, even during the write,
        // differs from it and is written by the next save; never marked saved unwritten
        saved.hash = current ?? stateFingerprint(saved.state);
        context.turnState.set(this.slot, saved);
      });
    });
  }
}
