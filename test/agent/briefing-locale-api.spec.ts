import assert from 'node:assert/strict';
import { makeRoot } from '../support/custom-root.js';
import { apiCall, conversationPath, customerHandsOff, signIn, startTestService, type TestService } from '../support/agent-service.js';

type Json = Record<string, unknown>;

describe("console API: the briefing's summary in the reader's language (agent locale, Accept-Language, default locale)", function () {
  this.timeout(60_000);
  let root: { dir: string; remove(): void };
  let t: TestService;
  let id: string;

  before(async () => {
    // ana reads Spanish (manifest.json console.agents[].locale); sam has no locale of his own
    root = makeRoot((m) => {
      const console = m['console'] as Json;
      const agents = (console['agents'] as Json[]).map((a) => (a['id'] === 'ana' ? { ...a, locale: 'es' } : a));
      return { ...m, console: { ...console, agents } };
    });
    t = await startTestService({ root: root.dir });
    id = (await customerHandsOff(t)).conversationId;
  });
  after(async () => {
    await t?.close();
    root?.remove();
  });

  const summaries = async (cookie: string, headers: Record<string, string> = {}): Promise<{ me: string; queue: string; briefing: string; lang: string }> => {
    const me = await apiCall(t.base, 'GET', '/api/me', { cookie, headers });
    const queues = await apiCall(t.base, 'GET', '/api/queues', { cookie, headers });
    const item = ((queues.json['queues'] as Json[]).flatMap((q) => q['conversations'] as Json[]) as Json[]).find((c) => c['conversationId'] === id)!;
    const view = await apiCall(t.base, 'GET', conversationPath(id), { cookie, headers });
    const briefing = view.json['briefing'] as Json;
    return { me: me.json['locale'] as string, queue: item['summary'] as string, briefing: briefing['summary'] as string, lang: briefing['summaryLocale'] as string };
  };

  it("an agent's own locale wins over the browser's", async () => {
    const cookie = await signIn(t.base, 'ana');
    const s = await summaries(cookie, { 'Accept-Language': 'pt-BR,pt;q=0.9' });
    assert.deepEqual(s, { me: 'es', queue: 'Un visitante anónimo del chat web pidió hablar con una persona.', briefing: 'Un visitante anónimo del chat web pidió hablar con una persona.', lang: 'es' });
  });

  it("without one, the browser's language; without a language briefings are written in, the default locale", async () => {
    const cookie = await signIn(t.base, 'sam');
    assert.deepEqual(await summaries(cookie, { 'Accept-Language': 'de-DE,pt-BR;q=0.8,en;q=0.5' }), {
      me: 'pt-BR',
      queue: 'Um visitante anônimo do chat do site pediu para falar com uma pessoa.',
      briefing: 'Um visitante anônimo do chat do site pediu para falar com uma pessoa.',
      lang: 'pt-BR',
    });
    const plain = await summaries(cookie, { 'Accept-Language': 'fr-FR' });
    assert.equal(plain.me, 'en');
    assert.equal(plain.briefing, 'An anonymous web chat visitor asked to talk to a person.');
  });

  it('a briefing stored before its facts existed keeps its English summary', async () => {
    const state = await t.svc.stores.handoffs.get(id as never);
    const packet = await t.svc.stores.packets.get(state!.handoffId!);
    const { brief: _facts, ...old } = packet!;
    await t.svc.stores.packets.put(state!.handoffId!, { ...old, summary: 'An old summary.' });
    const cookie = await signIn(t.base, 'ana');
    const s = await summaries(cookie);
    assert.equal(s.briefing, 'An old summary.');
    assert.equal(s.lang, 'en');
  });
});
