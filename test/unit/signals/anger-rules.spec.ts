import assert from 'node:assert/strict';
import { SentimentScorer, foldText } from '../../../src/signals/sentiment.js';

/**
 * Every rule of the anger detector, in each locale, with messages as customers type them, and
 * the look-alikes that must not fire. Written for these tests (not taken from any eval set).
 */
const s = new SentimentScorer();
const strong = (text: string, locale: string) => s.score(text, locale).strongNegative;

type Table = Record<string, { fires: string[]; rule?: string }>;

function check(locale: string, table: Table): void {
  for (const [name, { fires, rule }] of Object.entries(table)) {
    it(`${locale}: ${name}`, () => {
      for (const t of fires) {
        const r = s.score(t, locale);
        assert.equal(r.strongNegative, true, `should fire: ${t} (${r.hits.join(', ')})`);
        if (rule !== undefined) assert.ok(r.hits.some((h) => h.startsWith(`(${rule}`)), `${t} should fire through ${rule}: ${r.hits.join(', ')}`);
      }
    });
  }
}

function calm(locale: string, table: Record<string, string[]>): void {
  for (const [name, texts] of Object.entries(table)) {
    it(`${locale}: does not fire on ${name}`, () => {
      for (const t of texts) {
        const r = s.score(t, locale);
        assert.equal(r.strongNegative, false, `should not fire: ${t} (${r.hits.join(', ')})`);
      }
    });
  }
}

describe('anger rules: English', () => {
  check('en', {
    'threats: chargeback, bank, card company': {
      rule: 'threat',
      fires: ['if the refund is not here by tuesday im doing a chargeback', "I'll have my bank reverse the payment", 'disputing it with mastercard tonight', 'my card company is investigating the charge now'],
    },
    'threats: lawyer, court, agencies': {
      rule: 'threat',
      fires: ['forwarding this whole chat to my solicitor', 'I will sue you over this', 'see you in small claims', 'filing a report with the better business bureau', 'contacting consumer affairs about the $60 charge'],
    },
    'threats: public reviews and social media': {
      rule: 'threat',
      fires: ['enjoy your one star review', "I'm posting the photos of the smashed table all over facebook", 'everyone on tiktok is going to hear about this'],
    },
    'never again': {
      rule: 'never again',
      fires: ['never again, acme', 'will never order from you people again', 'last time I buy anything here', "you've lost a customer for life", 'taking my business elsewhere'],
    },
    'sarcastic thanks': {
      rule: 'sarcasm',
      fires: ['thanks for nothing, really', 'wonderful, just wonderful', 'oh great, another delay email', 'thanks for the "help"', 'cheers for nothing'],
    },
    'exasperated repetition': {
      rule: 'repetition',
      fires: ["this is the 4th time I'm asking about order K48213", 'how many times do I have to send the photo', "I've written to you 3 times already", 'this is my fifth email', 'are you even reading my messages'],
    },
    'profanity, incl. shorthand and censored': {
      rule: 'profanity',
      fires: ['wtf where is my parcel', 'what the hell happened to my refund', 'this is bullshit', 'f*** this shop', 'ffs just send it', 'wtf, this is not good', 'this cheap crap broke in a day'],
    },
    'insults and words of anger': {
      rule: 'anger',
      fires: ['you are a bunch of clowns', 'absolutely pathetic service', "I'm livid", 'this company is a scam', 'fed up with the excuses', 'you people suck'],
    },
    'shouting, even without a negative word': {
      rule: 'shouting',
      fires: ['WHERE IS MY REFUND', 'I NEED AN ANSWER TODAY', 'still waiting, WHY IS NOBODY ANSWERING'],
    },
    'two weak cues: "!!!", emphasis, nobody answers, waiting for weeks': {
      fires: ['been waiting 3 weeks and nobody replies!!!', 'hello??? anyone there???', 'I said REFUND, not a voucher'],
    },
  });
  calm('en', {
    'polite and negated negatives': ['not angry, just asking when it ships', 'I hate to bother you, but is my order on its way?', "sorry to be a pain, can I change the colour?", "I'm not upset at all, just confused by the fee", 'no worries, take your time'],
    'positive slang and profanity that praises': ['crazy good price on the lamps', 'that rug is sick, is it in stock?', 'killer deal, ordering two', 'damn that was quick, thank you!', 'insanely comfy chair', 'holy shit that was fast', 'this sofa is fucking amazing'],
    'mild disappointment and factual problems': ['the vase arrived broken', 'a bit disappointed with the colour', "I'm a little frustrated, the tracking hasn't moved", 'my refund is still pending', 'I was charged twice for order A12345', 'the courier missed me again'],
    'questions about chargebacks, lawyers and fraud': ['how do I file a chargeback?', 'my bank says the chargeback was reversed, is my refund coming?', 'my lawyer friend recommended you', 'someone stole my card and used it here', 'got a text asking me to pay a fee, is it a scam?', "I never ordered this, I think it's fraud"],
    'neutral messages': ['hi, where is order K48213?', 'THANK YOU SO MUCH', 'ORDER A12345', 'tell me a joke', 'how many days do I have to return something?', "I'll never need the warranty, can you remove it?"],
  });
});

describe('anger rules: Português (Brasil)', () => {
  check('pt-BR', {
    'ameaças: Procon, Reclame Aqui, justiça, advogado': {
      rule: 'threat',
      fires: ['vou reclamar no procon amanhã', 'já tô postando no reclame aqui', 'vou processar vocês', 'meu advogado vai entrar em contato', 'vou entrar na justiça por danos morais'],
    },
    'ameaças: estorno no cartão, chargeback': {
      rule: 'threat',
      fires: ['vou contestar essa compra no cartão', 'vou pedir chargeback no banco', 'já abri disputa na operadora do cartão'],
    },
    'ameaças: redes sociais e avaliações': {
      rule: 'threat',
      fires: ['vou expor vocês nas redes sociais', 'nota zero pra essa loja no google, uma estrela'],
    },
    'nunca mais': {
      rule: 'never again',
      fires: ['nunca mais compro nessa loja', 'perderam uma cliente', 'não compro mais com vcs'],
    },
    'agradecimento irônico': {
      rule: 'sarcasm',
      fires: ['obrigado por nada', 'valeu pela ajuda, só que não', 'ótimo, mais um atraso', 'parabéns pelo atendimento'],
    },
    'repetição exasperada': {
      rule: 'repetition',
      fires: ['é a terceira vez que eu pergunto', 'já falei 4 vezes o número do pedido', 'quantas vezes vou ter que explicar', 'pela quinta vez: cadê meu reembolso'],
    },
    'palavrões e abreviações (pqp, vsf, tnc, krl)': {
      rule: 'profanity',
      fires: ['pqp, de novo não chegou', 'vsf, cadê o estorno', 'tnc, três semanas', 'krl, ninguém atende', 'que porra é essa'],
    },
    'xingamentos e raiva': {
      rule: 'anger',
      fires: ['bando de incompetentes', 'to puto com essa loja', 'que palhaçada', 'vcs são uma piada', 'estou de saco cheio'],
    },
    'caixa alta': { rule: 'shouting', fires: ['CADÊ MEU REEMBOLSO', 'QUERO FALAR COM ALGUÉM AGORA'] },
  });
  calm('pt-BR', {
    'negações e formas educadas': ['não estou irritado, só queria saber do pedido', 'desculpa incomodar, tem previsão de entrega?', 'não é reclamação, só uma dúvida', 'sem problemas, eu espero', 'não odeio, só não combinou com a sala'],
    'gíria positiva e palavrão que elogia': ['esse sofá é foda demais', 'preço absurdo de bom', 'chegou rápido pra caramba, amei', 'tá uma loucura de barato', 'porra, que rápido! amei', 'caralho, que sofá lindo'],
    'desculpas em caixa alta': ['DESCULPA A DEMORA!!!'],
    'decepção leve e problemas de fato': ['o vaso chegou quebrado', 'fiquei um pouco decepcionada', 'meio chateado com a demora', 'o reembolso ainda não caiu', 'aff, o entregador não veio de novo'],
    'perguntas e relatos de fraude': ['como contesto uma compra que não reconheço?', 'vi no reclame aqui que vocês são bons', 'recebi um sms pedindo pix, é golpe?', 'deu erro ao processar o pagamento'],
    'mensagens neutras': ['oi, queria saber do pedido K48213', 'OBRIGADA PELA AJUDA', 'nunca comprei aqui antes, como funciona?', 'me conta uma piada'],
  });
});

describe('anger rules: Español', () => {
  check('es', {
    'amenazas: Profeco y agencias de consumo': {
      rule: 'threat',
      fires: ['voy a poner una queja en profeco', 'mañana me quejo en la OCU', 'esto va para el SERNAC', 'voy a hablar con mi abogado', 'les voy a meter una demanda'],
    },
    'amenazas: contracargo, banco': {
      rule: 'threat',
      fires: ['voy a hacer un contracargo', 'voy a desconocer el cargo con mi banco', 'ya abrí una disputa con la tarjeta'],
    },
    'amenazas: redes y reseñas': {
      rule: 'threat',
      fires: ['voy a publicar en twitter cómo tratan a la gente', 'les dejo una estrella y una reseña negativa'],
    },
    'nunca más': { rule: 'never again', fires: ['nunca más les compro', 'perdieron un cliente', 'jamás vuelvo a comprar aquí'] },
    'agradecimiento sarcástico': {
      rule: 'sarcasm',
      fires: ['gracias por nada', 'qué bien, otro retraso', 'excelente servicio, cinco días sin respuesta', 'felicidades por el pésimo servicio'],
    },
    'repetición exasperada': {
      rule: 'repetition',
      fires: ['es la tercera vez que pregunto', 'ya les dije 3 veces el número de pedido', 'cuántas veces tengo que repetirlo', 'cuarto mensaje y nada'],
    },
    'groserías y abreviaturas (carajo, mierda, ctm, hdp, wtf)': {
      rule: 'profanity',
      fires: ['carajo, otra vez', 'qué mierda de servicio', 'ctm, nadie contesta', 'hdp, me cobraron doble', 'wtf con mi pedido', 'pinche tienda'],
    },
    'insultos y enojo': {
      rule: 'anger',
      fires: ['son unos ladrones', 'estoy harto', 'me tienen hasta la madre', 'qué falta de respeto', 'no sirven para nada'],
    },
    mayúsculas: { rule: 'shouting', fires: ['DÓNDE ESTÁ MI PEDIDO', 'QUIERO MI DINERO YA'] },
  });
  calm('es', {
    'negaciones y formas corteses': ['no estoy enojado, solo pregunto cuándo llega', 'perdón la molestia, ¿me ayudan con el pedido?', 'no es queja, solo una duda', 'no pasa nada, espero', 'no lo odio, solo no es mi estilo'],
    'jerga positiva y groserías que elogian': ['está de puta madre el sofá', 'precio de locos, me llevo dos', 'qué padre el tapete', 'el precio está brutal', 'no mames, qué barato', 'hostia, qué rápido llegó'],
    'disculpas en mayúsculas': ['PERDÓN POR LA DEMORA!!!'],
    'decepción leve y problemas concretos': ['el jarrón llegó roto', 'un poco decepcionado con la tela', 'estoy un poco molesto por la demora', 'todavía no me llega el reembolso', 'otra vez no vino el repartidor'],
    'preguntas y reportes de fraude': ['¿cómo desconozco un cargo que no hice?', 'creo que es fraude, yo no compré eso', 'me llegó un sms raro, ¿es estafa?', 'mi abogado me recomendó la tienda'],
    'mensajes neutros': ['hola, ¿dónde está mi pedido K48213?', 'MUCHAS GRACIAS', 'quiero que cierren mi cuenta', 'cuéntame un chiste'],
  });
});

describe('anger rules: reading the text', () => {
  it('folds accents, case, quotes and stretched letters once for every rule', () => {
    assert.equal(foldText('Cadê meu PEDIDO?? Sooo “late”'), 'cade meu pedido?? so "late"');
    assert.equal(foldText('pqppp'), 'pqp');
    assert.equal(foldText('BBB'), 'bbb'); // a word that is only the run stays
    assert.equal(strong('reporting you to the BBB', 'en'), true);
  });

  it('scores what counted, and strong rules push the score down', () => {
    const r = s.score('vou no procon', 'pt-BR');
    assert.ok(r.score <= -4, String(r.score));
    assert.ok(r.hits.includes('(threat: procon)'), r.hits.join(', '));
    assert.ok(s.score('obrigado pela ajuda!', 'pt-BR').score > 0);
  });

  it('ignores codes, acronyms and quoted names in capitals', () => {
    for (const t of ["it's SW1A 2AA not SW1A 1AA", 'flying JFK to MEX tomorrow, can you check the delivery?', 'my statement shows "ACME HOME LTDA", is that you?', 'USPS says delivered']) {
      assert.equal(strong(t, 'en'), false, t);
    }
  });

  it('keeps a neutral long message calm and fast', () => {
    const long = `${'I would like to know when the sofa will be delivered to my address, thanks. '.repeat(30)}`;
    s.score(long, 'en');
    const t0 = performance.now();
    const r = s.score(long, 'en');
    assert.equal(r.strongNegative, false);
    assert.ok(performance.now() - t0 < 50);
  });
});
