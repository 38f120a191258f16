import assert from 'node:assert/strict';
import { acceptedLocale, briefFacts, briefingLocale, briefingSentence, moodOf, summarize } from '../../../src/bridge/briefing.js';
import { BRIEFING_TEXTS } from '../../../src/bridge/briefing-texts.js';
import type { BriefFacts, HandoffPacket } from '../../../src/core/conversation.js';
import { HANDOFF_REASONS } from '../../../src/core/conversation.js';
import { Redactor } from '../../../src/core/redact.js';
import { turn } from '../../support/signals.js';

const dana: BriefFacts['who'] = { kind: 'named', name: 'Dana Reyes', tier: 'standard' };
const brief = (over: Partial<BriefFacts> = {}): BriefFacts => ({ who: dana, reason: 'missing_entity', wants: 'order_status', known: {}, mood: 'calm', turn: 3, tries: 2, missing: 'order_number', ...over });
const LOCALES = ['en', 'pt-BR', 'es'] as const;
/** What a log reads like, never a person's sentence. */
const LOG_LIKE = /score|comparative|turn \d|turno \d|\b[a-z]+_[a-z_]+\b|\{|\}|undefined|null|NaN|  /i;

describe('briefingSentence: the briefing as a sentence a person would write, in the agent language', () => {
  it('en: a named customer, what they want, why, the mood', () => {
    assert.equal(
      briefingSentence(brief({ mood: 'upset' }), 'en'),
      'Dana Reyes, a standard customer, wants to know where their order is; the bot could not get the order number after two tries, and the customer is getting upset.',
    );
    assert.equal(
      briefingSentence(brief({ known: { order_number: 'A12345', zip: '94107' }, reason: 'negative_sentiment', mood: 'angry', tries: undefined, missing: undefined }), 'en'),
      'Dana Reyes, a standard customer, wants to know where order A12345 is (ZIP 94107); the chat with the bot turned sour, and the customer is angry.',
    );
    assert.equal(briefingSentence(brief({ who: { kind: 'anonymous' }, wants: null, reason: 'customer_request', tries: undefined, missing: undefined }), 'en'), 'An anonymous web chat visitor asked to talk to a person.');
    assert.equal(
      briefingSentence(brief({ who: { kind: 'unknown' }, wants: 'return_item', known: { order_number: 'A1' }, reason: 'fallback_loop', tries: 3, missing: undefined }), 'en'),
      'A customer we have no record of wants to return order A1; the bot failed to understand them three times.',
    );
    assert.equal(
      briefingSentence(brief({ who: { kind: 'named', tier: 'b2b' }, wants: 'contract_renewal', reason: 'revenue_risk', tries: undefined, missing: undefined }), 'en'),
      'A business customer wants to talk about a contract renewal; a sale or a customer is at risk.',
    );
  });

  it('pt-BR: the same facts in Portuguese', () => {
    assert.equal(
      briefingSentence(brief({ mood: 'upset' }), 'pt-BR'),
      'Dana Reyes, cliente padrão, quer saber onde está o pedido; o bot não conseguiu o número do pedido após duas tentativas, e a pessoa está perdendo a paciência.',
    );
    assert.equal(
      briefingSentence(brief({ known: { order_number: 'A12345' }, mood: 'angry', reason: 'auth_failed', tries: 3, missing: undefined }), 'pt-BR'),
      'Dana Reyes, cliente padrão, quer saber onde está o pedido A12345; a conta não pôde ser verificada após três tentativas, e a pessoa está com raiva.',
    );
    assert.equal(briefingSentence(brief({ who: { kind: 'anonymous' }, wants: null, reason: 'customer_request' }), 'pt-BR'), 'Um visitante anônimo do chat do site pediu para falar com uma pessoa.');
  });

  it('es: the same facts in Spanish', () => {
    assert.equal(
      briefingSentence(brief({ mood: 'upset' }), 'es'),
      'Dana Reyes, cliente estándar, quiere saber dónde está su pedido; el bot no consiguió el número de pedido tras dos intentos y la persona está perdiendo la paciencia.',
    );
    assert.equal(
      briefingSentence(brief({ who: { kind: 'unknown' }, wants: 'billing_question', known: { order_number: 'A12345' }, reason: 'stalled', tries: undefined, missing: undefined, mood: 'calm' }), 'es'),
      'Un cliente que no está en nuestros registros tiene una duda de facturación (pedido A12345); la conversación no avanzaba.',
    );
  });

  it('every reason, mood and customer kind reads as a sentence in every locale: no ids, scores, turn numbers or holes', () => {
    const reasons = [...HANDOFF_REASONS, 'repeated_transfer', 'agent_takeover'] as const;
    const whos: BriefFacts['who'][] = [dana, { kind: 'named', tier: 'b2b' }, { kind: 'anonymous' }, { kind: 'unknown' }];
    for (const locale of LOCALES)
      for (const reason of reasons)
        for (const mood of ['calm', 'upset', 'angry'] as const)
          for (const who of whos)
            for (const tries of [undefined, 1, 2, 12])
              for (const known of [{}, { order_number: 'A12345', new_address: '1 Main St' }] as Record<string, string>[]) {
                const s = briefingSentence(brief({ who, reason, mood, tries, known, wants: reason === 'customer_request' ? null : 'change_address' }), locale);
                assert.doesNotMatch(s, LOG_LIKE, `${locale} ${reason}: ${s}`);
                assert.match(s, /^[A-Z][^;]*(;[^;]*)?\.$/, s);
              }
  });

  it('a topic without words of its own, and an unknown locale (English)', () => {
    assert.equal(briefingSentence(brief({ wants: 'gift_cards', reason: 'low_confidence', tries: 0, missing: undefined }), 'de-DE'), 'Dana Reyes, a standard customer, needs help with gift cards; the bot could not tell what they needed.');
    assert.equal(briefingLocale('pt'), 'pt-BR');
    assert.equal(briefingLocale('es-MX'), 'es');
    assert.equal(briefingLocale('fr'), undefined);
  });

  it("the agent's browser language (Accept-Language) by weight, then order", () => {
    assert.equal(acceptedLocale('de-DE,de;q=0.9,pt-BR;q=0.8,en;q=0.5'), 'pt-BR');
    assert.equal(acceptedLocale('en;q=0.2, es-AR;q=0.7'), 'es');
    assert.equal(acceptedLocale('pt'), 'pt-BR');
    assert.equal(acceptedLocale('fr-FR, *;q=0.1'), undefined);
    assert.equal(acceptedLocale('es;q=0, en'), 'en');
    assert.equal(acceptedLocale(undefined), undefined);
  });

  it('each locale has every key of en', () => {
    for (const locale of LOCALES) assert.deepEqual(Object.keys(BRIEFING_TEXTS[locale]).sort(), Object.keys(BRIEFING_TEXTS.en).sort(), locale);
  });
});

describe('briefFacts and moodOf', () => {
  it('mood from the sentiment trend: calm, upset, angry', () => {
    assert.equal(moodOf([]), 'calm');
    assert.equal(moodOf([{ turn: 1, score: 2 }, { turn: 2, score: -1 }]), 'calm');
    assert.equal(moodOf([{ turn: 1, score: -1 }, { turn: 2, score: -1 }]), 'upset');
    assert.equal(moodOf([{ turn: 1, score: 0 }, { turn: 2, score: -3 }]), 'upset');
    assert.equal(moodOf([{ turn: 1, score: 0 }, { turn: 2, score: -2 }, { turn: 3, score: -4 }]), 'angry');
    assert.equal(moodOf([{ turn: 1, score: -6 }]), 'angry');
    assert.equal(moodOf([{ turn: 1, score: 0 }], true), 'angry');
  });

  it('facts of a missing order number, from the signals; an anonymous visitor; no raw numbers in the English summary', () => {
    const signals = turn({ turn: 3, intent: 'order_status', topic: 'order_status', entitiesMissing: [{ name: 'order_number', requests: 2 }], sentiment: { score: -3, comparative: -1.5, strongNegative: false } });
    const f = briefFacts(null, signals, { reason: 'missing_entity' }, { zip: 94107, address: { street: 'x' } }, 'webchat', [{ turn: 2, score: -1 }, { turn: 3, score: -3 }]);
    assert.deepEqual(f, { who: { kind: 'anonymous' }, reason: 'missing_entity', wants: 'order_status', known: { zip: '94107' }, mood: 'upset', turn: 3, tries: 2, missing: 'order_number' });
    const s = summarize(null, signals, { reason: 'missing_entity' }, {}, 'webchat', [{ turn: 3, score: -5 }]);
    assert.equal(s, 'An anonymous web chat visitor wants to know where their order is; the bot could not get the order number after two tries, and the customer is angry.');
  });

  it('an intent that only asks for a person is not what the customer wants', () => {
    const signals = turn({ intent: 'human', topic: null, flags: ['customer_request'], explicitRequest: true });
    const f = briefFacts({ id: 'c-1', name: 'Dana Reyes' }, signals, { reason: 'customer_request' }, {}, 'webchat', []);
    assert.equal(f.wants, null);
    assert.equal(briefingSentence(f, 'en'), 'Dana Reyes, a standard customer, asked to talk to a person.');
  });

  it('the stored packet masks what the customer typed in brief.known too', () => {
    const packet = {
      conversationId: 'webchat:1',
      reason: 'missing_entity',
      trace: [],
      intent: null,
      sentiment: [],
      collected: { card: '4111 1111 1111 1111' },
      customer: null,
      authenticated: false,
      steps: [],
      transcript: [],
      summary: 'x',
      brief: brief({ known: { card: '4111 1111 1111 1111' } }),
      queue: 'support',
      priority: 1,
      slaDeadline: 0,
      requestedAt: 0,
      channel: 'webchat',
      locale: 'en',
      turn: 1,
    } as unknown as HandoffPacket;
    const kept = new Redactor().packet(packet);
    assert.equal(kept.brief?.known['card'], '•••• 1111');
    assert.equal(kept.brief?.who.name, 'Dana Reyes');
  });
});
