/**
 * The console HTTP API's routes, in one table: the router matches against it and the OpenAPI
 * document is written from it, so a route cannot exist without being documented.
 *
 * @example
 * matchRoute('POST', '/api/conversations/webchat%3Aabc/accept');
 * // { route: { operationId: 'acceptConversation', … }, params: { conversationId: 'webchat:abc' } }
 */

/**
 * Operation ids of the API (one handler each).
 *
 * @example
 * const op: OperationId = 'acceptConversation';
 */
export type OperationId =
  | 'login'
  | 'logout'
  | 'getMe'
  | 'listMyConversations'
  | 'listQueues'
  | 'getQueue'
  | 'getConversation'
  | 'acceptConversation'
  | 'sendMessage'
  | 'sendFile'
  | 'getMedia'
  | 'transferConversation'
  | 'resolveConversation'
  | 'returnToBot'
  | 'listDeadLetters'
  | 'redeliverDeadLetter'
  | 'discardDeadLetter'
  | 'getOpenApi'
  | 'setMyPresence'
  | 'listStaff'
  | 'setShifts'
  | 'listCallbackSlots'
  | 'eraseCustomer'
  | 'getDashboard'
  | 'searchHistory';

/**
 * One route: method, OpenAPI path template and whether it needs a caller.
 *
 * @example
 * const r: ApiRoute = { method: 'GET', path: '/api/queues', operationId: 'listQueues', summary: 'Queues', auth: true };
 */
export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** OpenAPI path template, e.g. `/api/queues/{queue}`. */
  readonly path: string;
  readonly operationId: OperationId;
  readonly summary: string;
  /** False only for sign-in, sign-out and the API description itself. */
  readonly auth: boolean;
}

/**
 * Every route of the API.
 *
 * @example
 * API_ROUTES.map((r) => `${r.method} ${r.path}`);
 */
export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', path: '/api/login', operationId: 'login', summary: 'Sign in as a console agent (sets the session cookie)', auth: false },
  { method: 'POST', path: '/api/logout', operationId: 'logout', summary: 'Sign out (ends the session, clears the cookie)', auth: false },
  { method: 'GET', path: '/api/me', operationId: 'getMe', summary: 'The caller, the macros, every queue id and the conversations the agent owns', auth: true },
  { method: 'GET', path: '/api/me/conversations', operationId: 'listMyConversations', summary: 'The conversations the agent owns, a page at a time (?after=<next>&limit=<1-500>)', auth: true },
  { method: 'GET', path: '/api/queues', operationId: 'listQueues', summary: "The caller's queues with their waiting conversations", auth: true },
  { method: 'POST', path: '/api/me/presence', operationId: 'setMyPresence', summary: "Set the signed-in agent's presence: online, away or offline", auth: true },
  { method: 'GET', path: '/api/staff', operationId: 'listStaff', summary: 'Every agent with queues, presence and shifts (supervisors and help desks)', auth: true },
  { method: 'POST', path: '/api/staff/{agentId}/shifts', operationId: 'setShifts', summary: "Set an agent's shifts, or null for manifest.json's (supervisors and help desks); booked callbacks that no longer fit move", auth: true },
  { method: 'GET', path: '/api/queues/{queue}', operationId: 'getQueue', summary: 'One queue: waiting conversations by priority, then age', auth: true },
  { method: 'GET', path: '/api/queues/{queue}/callbacks', operationId: 'listCallbackSlots', summary: "The queue's upcoming callback slots: booked and how many more each can take", auth: true },
  { method: 'GET', path: '/api/conversations/{conversationId}', operationId: 'getConversation', summary: 'A conversation: state, briefing, full transcript, filled macros', auth: true },
  { method: 'POST', path: '/api/conversations/{conversationId}/accept', operationId: 'acceptConversation', summary: 'Take a waiting conversation (exactly one of concurrent claims wins; the others get 409)', auth: true },
  { method: 'POST', path: '/api/conversations/{conversationId}/messages', operationId: 'sendMessage', summary: "Send a message to the customer, through the customer's own channel", auth: true },
  { method: 'GET', path: '/api/media/{mediaId}', operationId: 'getMedia', summary: "A customer's photo, voice note, video or document kept for the console (WhatsApp Web, web chat uploads)", auth: true },
  { method: 'POST', path: '/api/conversations/{conversationId}/files', operationId: 'sendFile', summary: 'Send an image or a document to the customer (WhatsApp): the body is the file, Content-Type its type, X-File-Name its name, ?caption= optional', auth: true },
  { method: 'POST', path: '/api/conversations/{conversationId}/transfer', operationId: 'transferConversation', summary: 'Move the conversation to another queue, with a note', auth: true },
  { method: 'POST', path: '/api/conversations/{conversationId}/resolve', operationId: 'resolveConversation', summary: 'Close the conversation as solved (the customer is asked for a 1–5 rating)', auth: true },
  { method: 'POST', path: '/api/conversations/{conversationId}/return', operationId: 'returnToBot', summary: 'Give the conversation back to the bot, optionally with fields the agent settled', auth: true },
  { method: 'GET', path: '/api/dead-letters', operationId: 'listDeadLetters', summary: 'Messages for customers that could not be delivered after their retries (supervisors and help desks)', auth: true },
  { method: 'POST', path: '/api/dead-letters/{deadLetterId}/retry', operationId: 'redeliverDeadLetter', summary: 'Send an undelivered message again, through the customer\'s channel', auth: true },
  { method: 'POST', path: '/api/dead-letters/{deadLetterId}/discard', operationId: 'discardDeadLetter', summary: 'Remove an undelivered message from the list without sending it', auth: true },
  { method: 'DELETE', path: '/api/customers/{customerId}', operationId: 'eraseCustomer', summary: "Erase everything stored for a customer (supervisors and help desks): transcripts, memory, bot state, history, briefings, callbacks; audited", auth: true },
  { method: 'GET', path: '/api/dashboard', operationId: 'getDashboard', summary: 'Supervisor dashboard (supervisors and help desks): live queues with waiting and breached counts, agents with status and open chats, dead letters, today and the last 30 days of metrics', auth: true },
  { method: 'GET', path: '/api/history', operationId: 'searchHistory', summary: 'Past (closed) conversations by customer id or name, order number or date (?customer=&order=&from=&to=&limit=); agents see those of their queues', auth: true },
  { method: 'GET', path: '/api/openapi.json', operationId: 'getOpenApi', summary: 'This API as an OpenAPI 3 document', auth: false },
];

const compiled = API_ROUTES.map((route) => {
  const names: string[] = [];
  // `.` is the only regex character in our paths; `{name}` becomes one path segment.
  const source = route.path.replace(/\./g, '\\.').replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, names, re: new RegExp(`^${source}$`) };
});

/**
 * The result of matching a request against the table.
 *
 * @example
 * const m: RouteMatch = matchRoute('GET', '/api/queues/support'); // { kind: 'found', params: { queue: 'support' } }
 */
export type RouteMatch =
  | { readonly kind: 'found'; readonly route: ApiRoute; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'wrong-method'; readonly allowed: readonly string[] }
  | { readonly kind: 'none' };

/**
 * Finds the route of a method and path; path parameters are URL-decoded. A path that exists for
 * other methods only is `wrong-method` (405 with `Allow`).
 *
 * @example
 * matchRoute('DELETE', '/api/queues').kind; // 'wrong-method'
 */
export function matchRoute(method: string, pathname: string): RouteMatch {
  const allowed: string[] = [];
  for (const c of compiled) {
    const m = c.re.exec(pathname);
    if (m === null) continue;
    if (c.route.method !== method && !(method === 'HEAD' && c.route.method === 'GET')) {
      allowed.push(c.route.method);
      continue;
    }
    const params: Record<string, string> = {};
    let bad = false;
    c.names.forEach((n, i) => {
      try {
        params[n] = decodeURIComponent(m[i + 1]!);
      } catch {
        bad = true;
      }
    });
    if (bad) return { kind: 'none' };
    return { kind: 'found', route: c.route, params };
  }
  return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
}
