/**
 * The handoff's own texts in neutral words (no brand, no shop), in every locale the product speaks:
 * what `createHandover` uses when the app has no `locales/` of its own, and under an app's texts
 * for any key they leave out. Queue names come from `manifest.json` → `queues.<id>.label` unless a
 * locale file says `queue.<id>`. Generated from locales/*.json's handoff/auth/nlu keys with the
 * sample shop's name taken out; a test keeps the keys in step with SYSTEM_KEYS.
 *
 * @example
 * NEUTRAL_TEXTS.en['handoff.wait_soon']; // 'Someone will be with you shortly.'
 */
export const NEUTRAL_TEXTS: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>> = {
  "en": {
    "auth.ask_zip": "To protect your account, what's the ZIP code on it?",
    "auth.retry_zip": "That ZIP code doesn't match our records. Please try again.",
    "auth.failed": "I couldn't verify your account.",
    "auth.ok": "Thanks, you're verified.",
    "handoff.notice": "I'm connecting you with a person from our {queue} team. {wait}",
    "handoff.wait_minutes": "The expected wait is about {minutes} minutes.",
    "handoff.wait_soon": "Someone will be with you shortly.",
    "handoff.transferred": "I'm passing you to our {queue} team. {wait}",
    "handoff.still_waiting": "Sorry for the wait: you're still in line for our {queue} team, number {position}. {wait}",
    "handoff.agent_joined": "{agent} has joined the conversation.",
    "handoff.resolved": "{agent} has closed the conversation. Thanks for contacting us!",
    "handoff.returned": "You're back with the assistant. How else can I help?",
    "handoff.store_trouble": "We're having a technical problem. Your message is saved and we'll reply as soon as possible.",
    "handoff.callback_offer": "If you prefer, a person can write to you here at {time} instead. Reply 1 to book that time.",
    "handoff.callback_booked": "Booked: a person will write to you here at {time}.",
    "handoff.callback_full": "That time was just taken. The next free time is {time}: reply 1 to book it.",
    "handoff.callback_moved": "We had to move your booked time: a person will write to you here at {time} instead of {previous}.",
    "handoff.callback_cancelled": "Sorry, we can no longer keep your {previous} booking. You are back at the front of the queue and a person will write to you as soon as one is free.",
    "handoff.callback_missed": "Sorry, no one could write to you at {booked}. A person can write to you here at {time} instead. Reply 1 to book that time.",
    "handoff.callback_missed_no_slot": "Sorry, no one could write to you at {booked}. You are first in the queue and a person will write to you as soon as one is free.",
    "handoff.csat_question": "How would you rate the help you got, from 1 (poor) to 5 (great)?",
    "handoff.csat_thanks": "Thank you for your feedback!",
    "nlu.confirm": "Did you mean: {label}?",
    "nlu.something_else": "Something else",
    "nlu.rephrase": "Sorry — tell me in other words what you need?",
    "fallback": [
      "Sorry, I didn't understand that. Could you say it another way?",
      "I'm sorry, I still didn't get that. Could you put it differently?",
      "I didn't understand that either, sorry."
    ]
  },
  "pt-BR": {
    "auth.ask_zip": "Para proteger sua conta, qual é o CEP (ZIP) cadastrado?",
    "auth.retry_zip": "Esse CEP não confere com nosso cadastro. Tente de novo, por favor.",
    "auth.failed": "Não consegui verificar sua conta.",
    "auth.ok": "Obrigado, você foi verificado.",
    "handoff.notice": "Vou transferir você para uma pessoa da nossa equipe de {queue}. {wait}",
    "handoff.wait_minutes": "A espera prevista é de cerca de {minutes} minutos.",
    "handoff.wait_soon": "Alguém vai atender você em instantes.",
    "handoff.transferred": "Vou passar você para a nossa equipe de {queue}. {wait}",
    "handoff.still_waiting": "Desculpe a demora: você continua na fila da equipe de {queue}, na posição {position}. {wait}",
    "handoff.agent_joined": "{agent} entrou na conversa.",
    "handoff.resolved": "{agent} encerrou a conversa. Obrigado pelo contato!",
    "handoff.returned": "Você voltou para o assistente. Como mais posso ajudar?",
    "handoff.store_trouble": "Estamos com um problema técnico. Sua mensagem foi guardada e responderemos assim que possível.",
    "handoff.callback_offer": "Se preferir, uma pessoa pode escrever para você aqui às {time}. Responda 1 para agendar.",
    "handoff.callback_booked": "Agendado: uma pessoa vai escrever para você aqui às {time}.",
    "handoff.callback_full": "Esse horário acabou de ser ocupado. O próximo livre é {time}: responda 1 para agendar.",
    "handoff.callback_moved": "Precisamos mudar o horário agendado: uma pessoa vai escrever para você aqui às {time}, em vez de {previous}.",
    "handoff.callback_cancelled": "Desculpe, não conseguimos manter o horário das {previous}. Você voltou para o início da fila e uma pessoa vai escrever assim que estiver livre.",
    "handoff.callback_missed": "Desculpe, ninguém conseguiu escrever para você às {booked}. Uma pessoa pode escrever aqui às {time}. Responda 1 para agendar.",
    "handoff.callback_missed_no_slot": "Desculpe, ninguém conseguiu escrever para você às {booked}. Você é o primeiro da fila e uma pessoa vai escrever assim que estiver livre.",
    "handoff.csat_question": "Que nota você dá para o atendimento, de 1 (ruim) a 5 (ótimo)?",
    "handoff.csat_thanks": "Obrigado pela sua avaliação!",
    "nlu.confirm": "Você quis dizer: {label}?",
    "nlu.something_else": "Outra coisa",
    "nlu.rephrase": "Desculpe — pode me dizer com outras palavras o que você precisa?",
    "fallback": [
      "Desculpe, não entendi. Pode dizer de outro jeito?",
      "Desculpe, ainda não entendi. Pode explicar de outra forma?",
      "Também não entendi, desculpe."
    ]
  },
  "es": {
    "auth.ask_zip": "Para proteger tu cuenta, ¿cuál es el código postal (ZIP) registrado?",
    "auth.retry_zip": "Ese código postal no coincide con nuestros registros. Inténtalo de nuevo.",
    "auth.failed": "No pude verificar tu cuenta.",
    "auth.ok": "Gracias, ya estás verificado.",
    "handoff.notice": "Te comunico con una persona de nuestro equipo de {queue}. {wait}",
    "handoff.wait_minutes": "La espera estimada es de unos {minutes} minutos.",
    "handoff.wait_soon": "Alguien te atenderá en breve.",
    "handoff.transferred": "Te paso con nuestro equipo de {queue}. {wait}",
    "handoff.still_waiting": "Perdona la espera: sigues en la fila del equipo de {queue}, en el puesto {position}. {wait}",
    "handoff.agent_joined": "{agent} se unió a la conversación.",
    "handoff.resolved": "{agent} cerró la conversación. ¡Gracias por contactarnos!",
    "handoff.returned": "Volviste con el asistente. ¿En qué más puedo ayudarte?",
    "handoff.store_trouble": "Tenemos un problema técnico. Tu mensaje quedó guardado y responderemos lo antes posible.",
    "handoff.callback_offer": "Si lo prefieres, una persona puede escribirte aquí a las {time}. Responde 1 para reservar ese horario.",
    "handoff.callback_booked": "Reservado: una persona te escribirá aquí a las {time}.",
    "handoff.callback_full": "Ese horario se acaba de ocupar. El siguiente libre es {time}: responde 1 para reservarlo.",
    "handoff.callback_moved": "Tuvimos que cambiar el horario que reservaste: una persona te escribirá aquí a las {time} en lugar de a las {previous}.",
    "handoff.callback_cancelled": "Lo sentimos, no podemos mantener el horario de las {previous}. Vuelves al principio de la fila y una persona te escribirá en cuanto esté libre.",
    "handoff.callback_missed": "Lo sentimos, nadie pudo escribirte a las {booked}. Una persona puede escribirte aquí a las {time}. Responde 1 para reservar ese horario.",
    "handoff.callback_missed_no_slot": "Lo sentimos, nadie pudo escribirte a las {booked}. Eres el primero en la fila y una persona te escribirá en cuanto esté libre.",
    "handoff.csat_question": "¿Cómo calificarías la ayuda que recibiste, de 1 (mala) a 5 (excelente)?",
    "handoff.csat_thanks": "¡Gracias por tu opinión!",
    "nlu.confirm": "¿Quisiste decir: {label}?",
    "nlu.something_else": "Otra cosa",
    "nlu.rephrase": "Perdón — ¿me dices con otras palabras qué necesitas?",
    "fallback": [
      "Perdón, no entendí. ¿Puedes decirlo de otra forma?",
      "Perdón, sigo sin entender. ¿Puedes explicarlo de otra manera?",
      "Tampoco entendí eso, perdón."
    ]
  }
};
