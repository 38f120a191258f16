/**
 * The self-check of the library internals (src/internals/README.md): every patch fits the
 * installed botbuilder, and each check really fails on a library that moved.
 */
import assert from 'node:assert/strict';
import { ConversationState, MemoryStorage } from 'botbuilder';
import { botStateSlot } from '../../../src/internals/botbuilder-state.js';
import { checkInternals } from '../../../src/internals/self-check.js';
import { checkDialogInternals } from '../../../src/internals/dialogs-self-check.js';
import { commandOptionsPatchApplies, timeOnlyWhileOffline } from '../../../src/internals/redis-offline-timeout.js';
import { isHandoverError } from '../../../src/core/errors.js';

describe('library internals: the start-up self-check', () => {
  it('every patch fits the installed versions (the test run loads botbuilder with native async)', () => {
    const checks = [...checkInternals(), checkDialogInternals()];
    assert.deepEqual(checks.map((c) => c.name), ['native-async', 'botstate-slot', 'dialog-state-configuration']);
    for (const c of checks) assert.equal(c.ok, true, `${c.name}: ${c.detail}`);
    const native = checks.find((c) => c.name === 'native-async')!;
    assert.match(native.detail, process.env.HANDOVER_NATIVE_ASYNC === '0' ? /^off/ : /^on: \d+ async bodies/);
  });

  it('botStateSlot refuses a BotState whose private slot moved, with a code and the file to update', () => {
    const state = new ConversationState(new MemoryStorage());
    assert.equal(typeof botStateSlot(state), 'symbol');
    Object.defineProperty(state, 'stateKey', { value: 'moved' });
    assert.throws(() => botStateSlot(state), (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_INTERNAL') && /src\/internals\/botbuilder-state\.ts/.test((e as Error).message));
  });

  it('the Redis command-options patch refuses a client without per-client command options', () => {
    const fake = { isReady: true, on: () => undefined };
    assert.equal(commandOptionsPatchApplies(fake), false);
    assert.throws(() => timeOnlyWhileOffline(fake, 5000), (e: unknown) => isHandoverError(e, 'HANDOVER_ERR_INTERNAL') && /redis-offline-timeout/.test((e as Error).message));
    const patched = { isReady: true, on: () => undefined, _commandOptions: { timeout: 0 } };
    timeOnlyWhileOffline(patched, 5000);
    assert.equal((patched._commandOptions as { timeout: number }).timeout, 0, 'no timeout while connected');
    Object.defineProperty(patched, 'isReady', { value: false });
    assert.equal((patched._commandOptions as { timeout: number }).timeout, 5000, 'the offline timeout while away');
  });
});
