/**
 * `handover/sample-bot`: the sample dialog bot (dialogs/ and locales/ as data) and its intent
 * recogniser, apart from the root entry so a host with its own bot never loads botbuilder-dialogs
 * or the recogniser's tokenisers. `createHandover` builds the bot itself when `root` has dialogs/.
 *
 * @example
 * import { IntentRecognizer } from 'handover/sample-bot';
 * const r = IntentRecognizer.train({ greet: ['hi', 'hello'], bye: ['bye', 'see you'] }, 'en');
 */
export { DialogBot, type BotRecognizer } from './dialogs/dialog-bot.js';
export { IntentRecognizer, type Recognition, type TrainOptions } from './dialogs/intent-recognizer.js';
export { loadDialogs, SYSTEM_KEYS, type DialogCatalog } from './dialogs/load-dialogs.js';
