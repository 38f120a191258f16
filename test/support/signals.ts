import type { TurnSignals } from '../../src/core/conversation.js';

/** A neutral, confident, progressing turn; override what a test is about. */
export function turn(over: Partial<TurnSignals> = {}): TurnSignals {
  return {
    turn: 1,
    at: 0,
    intent: 'greeting',
    confidence: 0.95,
    topic: 'greeting',
    topicQueue: 'support',
    flags: [],
    answeredPrompt: false,
    fallback: false,
    fallbacks: 0,
    entitiesRequested: [],
    entitiesMissing: [],
    authFailed: false,
    authFailures: 0,
    authenticated: false,
    sentiment: { score: 0, comparative: 0, strongNegative: false },
    progress: true,
    secondsSinceProgress: 0,
    value: { tier: 'standard', maxOrderTotal: 0, amountNamed: 0, stake: 0 },
    explicitRequest: false,
    ...over,
  };
}
