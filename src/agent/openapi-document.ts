/**
 * The console API as an OpenAPI 3.0 document, served at `/api/openapi.json`. Paths come from the
 * route table (src/agent/api-routes.ts), so every route is documented; bodies, answers and
 * errors are described here by operation.
 *
 * @example
 * const doc = openApiDocument();
 * Object.keys(doc.paths); // ['/api/login', '/api/logout', '/api/me', …]
 */
import { API_ROUTES, type OperationId } from './api-routes.js';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json): Json => ({ content: { 'application/json': { schema } } });
const errorResponse = (description: string): Json => ({ description, ...json(ref('Error')) });

const ERRORS: Record<string, Json> = {
  '400': errorResponse('Malformed JSON or a body of the wrong shape (HANDOVER_ERR_BAD_REQUEST)'),
  '401': errorResponse('No session cookie and no valid bearer token (HANDOVER_ERR_UNAUTHORIZED)'),
  '403': errorResponse('Not one of your queues, or another agent owns the conversation (HANDOVER_ERR_FORBIDDEN, HANDOVER_ERR_NOT_ASSIGNED_TO_AGENT)'),
  '404': errorResponse('Unknown conversation or queue (HANDOVER_ERR_UNKNOWN_CONVERSATION, HANDOVER_ERR_UNKNOWN_QUEUE)'),
  '405': errorResponse('Wrong HTTP method; the Allow header lists the right one (HANDOVER_ERR_METHOD_NOT_ALLOWED)'),
  '409': errorResponse('Already taken by another agent, not in a state that allows this, or changed since the `expectedVersion` sent (HANDOVER_ERR_ALREADY_TAKEN, HANDOVER_ERR_NOT_IN_STATE, HANDOVER_ERR_STATE_CONFLICT)'),
  '413': errorResponse('Body larger than the limit (64 KiB by default) (HANDOVER_ERR_PAYLOAD_TOO_LARGE)'),
};
const pick = (...codes: string[]): Json => Object.fromEntries(codes.map((c) => [c, ERRORS[c]!]));

const actingProps: Json = {
  agentId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$', description: 'Required with a bearer token: the help-desk agent doing this. With a session it must be the signed-in agent (or be left out).' },
  agentName: { type: 'string', maxLength: 80, description: 'Shown to the customer ("Ana joined the chat"); bearer tokens only.' },
};

const conversationIdParam: Json = {
  name: 'conversationId',
  in: 'path',
  required: true,
  description: 'The conversation key, `<channel>:<channel conversation id>`, URL-encoded (e.g. `webchat%3Aabc123`).',
  schema: { type: 'string' },
};

const deadLetterIdParam: Json = { name: 'deadLetterId', in: 'path', required: true, description: 'The `id` of a dead letter from GET /api/dead-letters', schema: { type: 'string' } };

const OPERATIONS: Record<OperationId, Json> = {
  login: {
    requestBody: { required: true, ...json(ref('LoginRequest')) },
    responses: {
      '200': {
        description:
          'Signed in. `Set-Cookie: handover_agent=…; HttpOnly; SameSite=Strict; Max-Age=…`, then the known-device cookie `handover_device=…; Path=/api/login; HttpOnly; SameSite=Strict` (on that browser only its own failures count for this agent)',
        ...json(ref('LoginResponse')),
      },
      ...pick('400', '413'),
      '401': errorResponse('Unknown agent id or wrong password (HANDOVER_ERR_UNAUTHORIZED)'),
      '403': errorResponse('A browser request from another site: `Origin` not this host, or `Sec-Fetch-Site: cross-site` (HANDOVER_ERR_CROSS_SITE)'),
      '429': {
        ...errorResponse('Too many failed sign-ins for this id from this address, from this address, or for this id from everywhere (manifest.json console.signIn); checked before the password (HANDOVER_ERR_TOO_MANY_REQUESTS)'),
        headers: { 'Retry-After': { description: 'Seconds until the window has room', schema: { type: 'integer' } } },
      },
      '503': {
        ...errorResponse('Too many sign-ins being checked at once on this process (HANDOVER_ERR_BUSY)'),
        headers: { 'Retry-After': { description: 'Seconds to wait (1)', schema: { type: 'integer' } } },
      },
    },
  },
  logout: {
    responses: {
      '204': { description: 'Signed out; the cookie is cleared.' },
      '403': errorResponse('A browser request from another site (HANDOVER_ERR_CROSS_SITE)'),
    },
  },
  getMe: { responses: { '200': { description: 'The caller, with the first page of the conversations the agent owns', ...json(ref('Me')) }, ...pick('401') } },
  listMyConversations: {
    parameters: [
      { name: 'after', in: 'query', required: false, schema: { type: 'string' }, description: 'The `next` of the previous page (`activeNext` of /api/me); leave out for the first page' },
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
    ],
    responses: {
      '200': { description: 'One page, by conversation id; every conversation owned for the whole paging appears exactly once', ...json(ref('MyConversations')) },
      ...pick('400', '401'),
      '403': errorResponse('A bearer token owns no conversations (HANDOVER_ERR_FORBIDDEN)'),
    },
  },
  listQueues: {
    responses: {
      '200': { description: "The caller's queues (every queue for supervisors and bearer tokens)", ...json({ type: 'object', properties: { queues: { type: 'array', items: ref('Queue') }, now: { type: 'integer' } }, required: ['queues', 'now'] }) },
      ...pick('401'),
    },
  },
  getQueue: {
    parameters: [{ name: 'queue', in: 'path', required: true, schema: { type: 'string' }, description: 'Queue id from manifest.json (e.g. `support`)' }],
    responses: { '200': { description: 'The queue', ...json(ref('Queue')) }, ...pick('401', '403', '404') },
  },
  getConversation: {
    parameters: [conversationIdParam],
    responses: { '200': { description: 'State, briefing, full transcript and macros', ...json(ref('Conversation')) }, ...pick('401', '403', '404') },
  },
  acceptConversation: {
    parameters: [conversationIdParam],
    requestBody: { required: false, ...json({ type: 'object', additionalProperties: false, properties: actingProps }) },
    responses: {
      '200': { description: 'Accepted: the briefing comes first, then the transcript', ...json(ref('Conversation')) },
      ...pick('400', '401', '404', '409', '413'),
      '403': errorResponse('Not one of your queues — checked in the same compare-and-set as the claim, so a transfer that lands first refuses it (HANDOVER_ERR_FORBIDDEN)'),
    },
  },
  sendMessage: {
    parameters: [conversationIdParam],
    requestBody: {
      required: true,
      ...json({ type: 'object', additionalProperties: false, required: ['text'], properties: { text: { type: 'string', minLength: 1, maxLength: 4000 }, ...actingProps } }),
    },
    responses: {
      '202': { description: 'On its way to the customer', ...json({ type: 'object', properties: { ok: { type: 'boolean' }, now: { type: 'integer' } } }) },
      ...pick('400', '401', '403', '404', '409', '413'),
    },
  },
  getMedia: {
    description:
      "What a customer sent on WhatsApp Web (whatsapp-web.js downloads it) or uploaded in web chat (the widget's attach button, Direct Line's /upload), kept in the shared store for 7 days: images, audio and video inline, anything else as a download, always sandboxed. Any signed-in console user; the id is random and comes from the transcript line's attachments.",
    parameters: [{ name: 'mediaId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
    responses: { '200': { description: 'The file, with its type', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } }, ...pick('401', '404') },
  },
  sendFile: {
    description:
      'WhatsApp conversations only. JPEG and PNG images up to 5 MB are sent as photos; PDF, plain text and Office documents up to 16 MB as documents. ' +
      'The file is kept in the shared store until the channel has sent it (Cloud API: uploaded to /<phone-number-id>/media, then an image or document message; whatsapp-web.js: MessageMedia). ' +
      'Outside the 24-hour window of the Cloud API it is not sent and a note in the transcript tells the agent.',
    parameters: [
      conversationIdParam,
      { name: 'caption', in: 'query', required: false, description: 'Text sent with the file (up to 1024 characters)', schema: { type: 'string', maxLength: 1024 } },
      { name: 'X-File-Name', in: 'header', required: false, description: 'The file name, percent-encoded UTF-8 (shown to the customer for documents)', schema: { type: 'string' } },
      { name: 'agentId', in: 'query', required: false, description: 'Bearer tokens only: the help-desk agent sending it', schema: actingProps['agentId'] },
      { name: 'agentName', in: 'query', required: false, description: 'Bearer tokens only', schema: actingProps['agentName'] },
    ],
    requestBody: {
      required: true,
      content: Object.fromEntries(
        ['image/jpeg', 'image/png', 'application/pdf', 'text/plain', 'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.ms-powerpoint', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'].map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
      ),
    },
    responses: {
      '202': { description: 'On its way to the customer', ...json({ type: 'object', properties: { ok: { type: 'boolean' }, file: { type: 'object', properties: { name: { type: 'string' }, contentType: { type: 'string' }, size: { type: 'integer' }, kind: { type: 'string', enum: ['image', 'document'] } } }, now: { type: 'integer' } } }) },
      ...pick('401', '403', '404', '409'),
      '400': errorResponse('A type that cannot be sent, an empty file, a caption over 1024 characters, or a conversation that is not on WhatsApp (HANDOVER_ERR_BAD_REQUEST)'),
      '413': errorResponse('Over 5 MB (images) or 16 MB (documents) (HANDOVER_ERR_PAYLOAD_TOO_LARGE)'),
    },
  },
  transferConversation: {
    parameters: [conversationIdParam],
    requestBody: {
      required: true,
      ...json({
        type: 'object',
        additionalProperties: false,
        required: ['queue'],
        properties: {
          queue: { type: 'string', description: 'Target queue id; the 2nd transfer without a resolution goes to the senior queue' },
          note: { type: 'string', maxLength: 1000 },
          expectedVersion: {
            type: 'integer',
            minimum: 1,
            description: 'Optional. The `state.version` the caller saw: when the conversation changed since (accepted, moved, escalated), the transfer is refused with 409 HANDOVER_ERR_STATE_CONFLICT instead of acting on a stale view.',
          },
          idempotencyKey: {
            type: 'string',
            pattern: '^[\\x21-\\x7e]{1,128}$',
            description:
              'Optional. One key per intended transfer (e.g. a UUID made when the form is shown). A repeat with the same key — a double click, a retry after a timeout — is the same transfer: 200 with the current state, the conversation is not moved again (so a double click never counts as a 2nd transfer to the senior queue). Keys are scoped to the caller; the latest 8 of a conversation are remembered.',
          },
          ...actingProps,
        },
      }),
    },
    responses: { '200': { description: 'Back in a queue', ...json(ref('Conversation')) }, ...pick('400', '401', '403', '404', '409', '413') },
  },
  resolveConversation: {
    parameters: [conversationIdParam],
    requestBody: { required: false, ...json({ type: 'object', additionalProperties: false, properties: actingProps }) },
    responses: { '200': { description: 'Resolved; the bot owns the chat again', ...json(ref('Conversation')) }, ...pick('400', '401', '403', '404', '409', '413') },
  },
  returnToBot: {
    parameters: [conversationIdParam],
    requestBody: {
      required: false,
      ...json({
        type: 'object',
        additionalProperties: false,
        properties: {
          collected: { type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] }, description: 'Fields the agent settled (e.g. `{"order_number":"A1001"}`); the bot will not ask for them again' },
          note: { type: 'string', maxLength: 1000 },
          ...actingProps,
        },
      }),
    },
    responses: { '200': { description: 'Returned to the bot', ...json(ref('Conversation')) }, ...pick('400', '401', '403', '404', '409', '413') },
  },
  listDeadLetters: {
    parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, description: 'At most this many, newest first' }],
    responses: {
      '200': {
        description: 'Undelivered messages, newest first, and how many there are (the agent who wrote one was told: a `relay.dead_lettered` line in the transcript and event on /agent/ws)',
        ...json({ type: 'object', required: ['total', 'deadLetters', 'now'], properties: { total: { type: 'integer' }, deadLetters: { type: 'array', items: ref('DeadLetter') }, now: { type: 'integer' } } }),
      },
      ...pick('400', '401'),
      '403': errorResponse('Agents other than supervisors do not see this list (HANDOVER_ERR_FORBIDDEN)'),
    },
  },
  redeliverDeadLetter: {
    parameters: [deadLetterIdParam],
    responses: {
      '202': { description: 'Sent again (after anything sent to the customer meanwhile) and removed from the list', ...json({ type: 'object', properties: { ok: { type: 'boolean' }, now: { type: 'integer' } } }) },
      ...pick('401'),
      '403': errorResponse('Supervisors and help desks only (HANDOVER_ERR_FORBIDDEN)'),
      '404': errorResponse('Not in the list (any more): sent again or discarded already (HANDOVER_ERR_NOT_FOUND)'),
    },
  },
  discardDeadLetter: {
    parameters: [deadLetterIdParam],
    responses: {
      '200': { description: 'Removed from the list; never sent', ...json({ type: 'object', properties: { ok: { type: 'boolean' }, now: { type: 'integer' } } }) },
      ...pick('401'),
      '403': errorResponse('Supervisors and help desks only (HANDOVER_ERR_FORBIDDEN)'),
      '404': errorResponse('Not in the list (any more): sent again or discarded already (HANDOVER_ERR_NOT_FOUND)'),
    },
  },
  getOpenApi: { responses: { '200': { description: 'This document', ...json({ type: 'object' }) } } },
  eraseCustomer: {
    description:
      'Removes every conversation the customer index links to this customer id (the channel user id: web chat user, WhatsApp number / BSUID) on this store: handoff state, transcript, conversation memory, bot state, web chat history, briefings, callback booking and slot places, WhatsApp conversation data, relay messages and dead letters. Answers what went, per class; an audit line (who, when, counts, the customer as a SHA-256) is stored, never the erased content. A customer with an open handoff (waiting, with an agent, booked) is refused with 409 unless `force=true`, which takes it out of its queue, the agent\'s list or its callback slot. An unknown customer is erased with zero counts.',
    parameters: [
      { name: 'customerId', in: 'path', required: true, description: 'The customer id (1 to 200 characters, no spaces)', schema: { type: 'string', maxLength: 200 } },
      { name: 'force', in: 'query', required: false, description: 'Erase an open handoff too', schema: { type: 'boolean', default: false } },
    ],
    responses: {
      '200': {
        description: 'Erased; what went, per class, and the audit line',
        ...json({
          type: 'object',
          required: ['customerId', 'conversationIds', 'removed', 'audit', 'now'],
          properties: {
            customerId: { type: 'string' },
            conversationIds: { type: 'array', items: { type: 'string' } },
            removed: { type: 'object', description: 'How much of each class went', properties: Object.fromEntries(['conversations', 'handoffStates', 'transcriptLines', 'conversationMemory', 'botState', 'webChatHistory', 'briefings', 'callbacks', 'whatsapp', 'customerFiles', 'relayMessages', 'other'].map((k) => [k, { type: 'integer' }])) },
            audit: { type: 'object', properties: { at: { type: 'integer' }, action: { type: 'string', enum: ['erase'] }, by: { type: 'string' }, subject: { type: 'string', description: 'sha256(customer id), hex' }, counts: { type: 'object', description: 'How much of each class went', properties: Object.fromEntries(['conversations', 'handoffStates', 'transcriptLines', 'conversationMemory', 'botState', 'webChatHistory', 'briefings', 'callbacks', 'whatsapp', 'customerFiles', 'relayMessages', 'other'].map((k) => [k, { type: 'integer' }])) }, forcedOpen: { type: 'integer' } } },
            now: { type: 'integer' },
          },
        }),
      },
      ...pick('400', '401'),
      '403': errorResponse('Supervisors and help desks only (HANDOVER_ERR_FORBIDDEN)'),
      '409': errorResponse('The customer has an open handoff; resolve or return it, or pass force=true (HANDOVER_ERR_NOT_IN_STATE)'),
    },
  },
  setMyPresence: {
    requestBody: {
      required: true,
      ...json({ type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'string', enum: ['online', 'away', 'offline'] } } }),
    },
    responses: {
      '200': {
        description: 'The presence now. Signing in is online and signing out offline already; an online agent whose console lost its connection is away after `console.awayAfterSeconds`. Callbacks booked in the next hour that no longer fit move (the customers are told).',
        ...json({ type: 'object', properties: { presence: ref('Presence'), now: { type: 'integer' } } }),
      },
      ...pick('400', '401', '413'),
      '403': errorResponse('A bearer token has no presence (HANDOVER_ERR_FORBIDDEN)'),
    },
  },
  getDashboard: {
    responses: {
      '200': { description: 'Live queues (waiting, breached: past the SLA deadline they entered with), agents (status, open chats), dead letters, today and the last 30 UTC days of metrics (as flushed by every process, at most ~10 s behind)', ...json(ref('Dashboard')) },
      ...pick('401'),
      '403': errorResponse('Supervisors and help desks only (HANDOVER_ERR_FORBIDDEN)'),
    },
  },
  searchHistory: {
    parameters: [
      { name: 'customer', in: 'query', required: false, schema: { type: 'string', maxLength: 120 }, description: "A customer id (exact) or part of the customer's name, case-insensitive" },
      { name: 'order', in: 'query', required: false, schema: { type: 'string', maxLength: 120 }, description: 'An order number mentioned in the conversation (collected by the bot or settled by the agent), case-insensitive' },
      { name: 'from', in: 'query', required: false, schema: { type: 'string' }, description: 'Closed at or after: YYYY-MM-DD (UTC), an ISO date-time or ms since the epoch' },
      { name: 'to', in: 'query', required: false, schema: { type: 'string' }, description: 'Closed at or before: YYYY-MM-DD (the end of that UTC day), an ISO date-time or ms since the epoch' },
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
    ],
    responses: {
      '200': { description: 'Closed handoffs, newest first (kept as long as transcripts: manifest.json `retention.transcriptsDays`). Agents see those of their queues and those they closed; open one with GET /api/conversations/{conversationId}.', ...json(ref('History')) },
      ...pick('400', '401'),
    },
  },
  listStaff: {
    responses: {
      '200': { description: 'Every agent of manifest.json with queues, presence and the shifts in force', ...json(ref('StaffList')) },
      ...pick('401'),
      '403': errorResponse('Supervisors and help desks only (HANDOVER_ERR_FORBIDDEN)'),
    },
  },
  setShifts: {
    parameters: [{ name: 'agentId', in: 'path', required: true, schema: { type: 'string' }, description: 'An agent id of manifest.json `console.agents`' }],
    requestBody: {
      required: true,
      ...json({
        type: 'object',
        additionalProperties: false,
        required: ['shifts'],
        properties: { shifts: { ...ref('Shifts'), nullable: true, description: "The agent's shifts from now on (stored: every process, after restarts); null: manifest.json's again" } },
      }),
    },
    responses: {
      '200': {
        description: 'Stored. Booked callbacks that no longer fit moved to the next free slot (or back to the queue), each customer told in their language',
        ...json({ type: 'object', properties: { agent: ref('Staff'), rechecked: ref('Recheck'), now: { type: 'integer' } } }),
      },
      ...pick('400', '401', '413'),
      '403': errorResponse('Supervisors and help desks only (HANDOVER_ERR_FORBIDDEN)'),
      '404': errorResponse('No such agent in manifest.json (HANDOVER_ERR_NOT_FOUND)'),
    },
  },
  listCallbackSlots: {
    parameters: [{ name: 'queue', in: 'path', required: true, schema: { type: 'string' }, description: 'Queue id from manifest.json' }],
    responses: {
      '200': {
        description: "The next slots inside the queue's hours within `callbacks.horizonHours`: callbacks of this queue booked in each, and how many more it can take (agents on shift — online ones for the next hour — minus bookings of every queue they work, minus the whole live queue still expected then)",
        ...json({
          type: 'object',
          properties: { queue: { type: 'string' }, slots: { type: 'array', items: ref('CallbackSlot') }, timezone: { type: 'string' }, now: { type: 'integer' } },
        }),
      },
      ...pick('401', '403', '404'),
    },
  },
};

const rangeList: Json = { type: 'array', items: { type: 'array', items: { type: 'string', pattern: '^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$' }, minItems: 2, maxItems: 2 }, maxItems: 6 };

const SCHEMAS: Record<string, Json> = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string', example: 'HANDOVER_ERR_ALREADY_TAKEN' }, message: { type: 'string' } } } },
  },
  LoginRequest: { type: 'object', additionalProperties: false, required: ['id', 'password'], properties: { id: { type: 'string', example: 'ana' }, password: { type: 'string', format: 'password' } } },
  LoginResponse: { type: 'object', properties: { caller: ref('Caller'), expiresAt: { type: 'integer', description: 'ms since the epoch' } } },
  Caller: {
    type: 'object',
    required: ['kind', 'name', 'queues'],
    properties: {
      kind: { type: 'string', enum: ['agent', 'desk'] },
      id: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', enum: ['agent', 'supervisor'] },
      queues: { type: 'array', items: { type: 'string' } },
    },
  },
  Macro: { type: 'object', required: ['id', 'title', 'text'], properties: { id: { type: 'string' }, title: { type: 'string' }, text: { type: 'string', description: 'With {placeholders} filled where the conversation knows them' } } },
  Me: {
    type: 'object',
    properties: {
      caller: ref('Caller'),
      macros: { type: 'array', items: ref('Macro') },
      allQueues: { type: 'array', items: { type: 'string' } },
      queueLabels: { type: 'object', additionalProperties: { type: 'string' }, description: "Each queue's name for people (manifest.json queues.<id>.label), by id" },
      active: { type: 'array', items: ref('QueueItem'), description: 'The first page of the conversations the agent owns (by conversation id)' },
      activeNext: { type: 'string', nullable: true, description: 'Cursor for GET /api/me/conversations?after=…; null when `active` holds them all' },
      activeTotal: { type: 'integer', description: 'How many conversations the agent owns' },
      now: { type: 'integer' },
      presence: { ...ref('Presence'), nullable: true, description: "The signed-in agent's presence; null for a bearer token" },
      locale: { type: 'string', enum: ['en', 'pt-BR', 'es'], description: "The language briefings are written in for the caller: the agent's locale (manifest.json), else Accept-Language, else the default locale" },
    },
  },
  Presence: {
    type: 'object',
    required: ['status', 'chosen', 'connections', 'since'],
    properties: {
      status: { type: 'string', enum: ['online', 'away', 'offline'], description: 'What counts for capacity and the expected wait' },
      chosen: { type: 'string', enum: ['online', 'away', 'offline'], description: 'What the agent chose (online turns away after a lost connection)' },
      connections: { type: 'integer', description: 'Console sockets open now, on every process' },
      since: { type: 'integer', description: 'ms since the epoch' },
    },
  },
  Shifts: {
    type: 'object',
    additionalProperties: false,
    description: "Working hours in `callbacks.timezone`: [from, to] ranges (HH:MM, to may be 24:00) per weekday, a missing day is off; exceptions by date (YYYY-MM-DD), [] for a day off. The queue's hours stay the outer bound.",
    properties: {
      mon: rangeList,
      tue: rangeList,
      wed: rangeList,
      thu: rangeList,
      fri: rangeList,
      sat: rangeList,
      sun: rangeList,
      exceptions: { type: 'object', additionalProperties: rangeList, example: { '2026-12-24': [['09:00', '13:00']], '2026-12-25': [] } },
    },
  },
  Staff: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      queues: { type: 'array', items: { type: 'string' } },
      presence: ref('Presence'),
      shifts: { ...ref('Shifts'), nullable: true, description: 'null: whenever their queues are open' },
      shiftsFrom: { type: 'string', enum: ['console', 'manifest', 'none'] },
      onShiftNow: { type: 'boolean' },
    },
  },
  DashboardDay: {
    type: 'object',
    properties: {
      day: { type: 'string', description: 'YYYY-MM-DD (UTC)' },
      conversations: { type: 'integer' },
      handoffs: { type: 'integer' },
      containmentRate: { type: 'number', nullable: true, description: 'Conversations never handed off ÷ conversations' },
      overflowRate: { type: 'number', nullable: true, description: "Handoffs requested while the queue's expected wait exceeded its SLA ÷ handoffs" },
      costPerResolutionUsd: { type: 'number', nullable: true, description: '(bot turns × botTurnUsd + human contacts × humanContactUsd) ÷ (contained conversations + handoffs resolved by an agent)' },
      satisfaction: { type: 'object', properties: { mean: { type: 'number', nullable: true, description: 'Mean 1–5 answer after an agent resolved' }, responses: { type: 'integer' } } },
      handoffsByReason: { type: 'object', additionalProperties: { type: 'integer' } },
      resolvedByAgent: { type: 'integer' },
      returnedToBot: { type: 'integer' },
    },
  },
  Dashboard: {
    type: 'object',
    properties: {
      queues: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            label: { type: 'string', description: "The queue's name for people (manifest.json queues.<id>.label)" },
            slaSeconds: { type: 'integer' },
            waiting: { type: 'integer' },
            breached: { type: 'integer', description: 'Waiting past the SLA deadline they entered the queue with' },
            oldestWaitMs: { type: 'integer', nullable: true },
            expectedWaitMs: { type: 'integer' },
          },
        },
      },
      agents: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            role: { type: 'string', enum: ['agent', 'supervisor'] },
            status: { type: 'string', enum: ['online', 'away', 'offline'] },
            connections: { type: 'integer' },
            onShiftNow: { type: 'boolean' },
            queues: { type: 'array', items: { type: 'string' } },
            openChats: { type: 'integer' },
          },
        },
      },
      breaches: {
        type: 'array',
        description: 'Conversations waiting past their SLA, longest over first (at most 50)',
        items: {
          type: 'object',
          properties: {
            conversationId: { type: 'string' },
            queue: { type: 'string' },
            priority: { type: 'integer' },
            waitingMs: { type: 'integer', description: 'Since the customer asked for a person' },
            overdueMs: { type: 'integer', description: 'Past the SLA deadline it entered the queue with' },
            escalations: { type: 'integer' },
          },
        },
      },
      deadLetters: { type: 'integer' },
      today: ref('DashboardDay'),
      days: { type: 'array', items: ref('DashboardDay'), description: 'The last 30 UTC days, oldest first' },
      now: { type: 'integer' },
    },
  },
  History: {
    type: 'object',
    properties: {
      conversations: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            conversationId: { type: 'string' },
            customerId: { type: 'string', nullable: true, description: 'null: an anonymous visitor' },
            customerName: { type: 'string', nullable: true },
            orders: { type: 'array', items: { type: 'string' } },
            reason: { type: 'string', nullable: true },
            queue: { type: 'string', nullable: true },
            agentId: { type: 'string', nullable: true },
            agentName: { type: 'string', nullable: true },
            channel: { type: 'string', nullable: true },
            outcome: { type: 'string', enum: ['resolved', 'returned'] },
            requestedAt: { type: 'integer', nullable: true },
            assignedAt: { type: 'integer', nullable: true },
            closedAt: { type: 'integer' },
          },
        },
      },
      scanned: { type: 'integer', description: 'Closed handoffs looked at (at most 5000 within from/to)' },
      now: { type: 'integer' },
    },
  },
  StaffList: {
    type: 'object',
    properties: { agents: { type: 'array', items: ref('Staff') }, timezone: { type: 'string' }, now: { type: 'integer' } },
  },
  Recheck: {
    type: 'object',
    properties: { moved: { type: 'integer', description: 'Bookings moved to a later slot' }, cancelled: { type: 'integer', description: 'Bookings sent back to the queue (no slot left)' } },
  },
  CallbackSlot: {
    type: 'object',
    properties: { start: { type: 'integer' }, end: { type: 'integer' }, booked: { type: 'integer' }, free: { type: 'integer' } },
  },
  Callback: {
    type: 'object',
    description: 'The callback booked for this handoff: the time promised now (also once due), when it was booked and every move',
    properties: {
      at: { type: 'integer' },
      bookedAt: { type: 'integer' },
      queue: { type: 'string' },
      changes: {
        type: 'array',
        items: { type: 'object', properties: { at: { type: 'integer' }, from: { type: 'integer' }, to: { type: 'integer', nullable: true }, why: { type: 'string', enum: ['capacity', 'missed', 'no_capacity'] } } },
      },
    },
  },
  MyConversations: {
    type: 'object',
    required: ['conversations', 'next', 'total'],
    properties: {
      conversations: { type: 'array', items: ref('QueueItem') },
      next: { type: 'string', nullable: true, description: 'Pass as `after` for the next page; null on the last page' },
      total: { type: 'integer' },
      now: { type: 'integer' },
    },
  },
  QueueItem: {
    type: 'object',
    properties: {
      conversationId: { type: 'string' },
      status: { type: 'string', enum: ['bot', 'queued', 'scheduled', 'assigned', 'resolved', 'returned'] },
      queue: { type: 'string', nullable: true },
      priority: { type: 'integer' },
      enqueuedAt: { type: 'integer', nullable: true },
      slaDeadline: { type: 'integer', nullable: true, description: 'The SLA deadline promised when it entered the queue, ms since the epoch; escalations do not move it (past it: breached)' },
      escalations: { type: 'integer', description: 'SLA escalations so far' },
      reason: { type: 'string', nullable: true },
      summary: { type: 'string', nullable: true, description: "The briefing's sentence in the caller's language" },
      intent: { type: 'string', nullable: true },
      channel: { type: 'string', nullable: true },
      customerName: { type: 'string', nullable: true },
      transfers: { type: 'integer' },
      agentId: { type: 'string', nullable: true },
    },
  },
  Queue: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      label: { type: 'string', description: "The queue's name for people (manifest.json queues.<id>.label)" },
      slaSeconds: { type: 'integer' },
      waiting: { type: 'integer' },
      expectedWaitMs: { type: 'integer' },
      conversations: { type: 'array', items: ref('QueueItem'), description: 'Highest priority first, then oldest first' },
    },
  },
  State: {
    type: 'object',
    properties: {
      status: { type: 'string' },
      queue: { type: 'string', nullable: true },
      priority: { type: 'integer' },
      reason: { type: 'string', nullable: true },
      agentId: { type: 'string', nullable: true },
      requestedAt: { type: 'integer', nullable: true },
      assignedAt: { type: 'integer', nullable: true },
      slaDeadline: { type: 'integer', nullable: true, description: 'The SLA deadline promised for the current wait; escalations do not move it' },
      transfers: { type: 'integer' },
      escalations: { type: 'integer' },
      version: { type: 'integer' },
      callbackAt: { type: 'integer', nullable: true, description: 'When a booked callback is due (status `scheduled`)' },
    },
  },
  Briefing: {
    type: 'object',
    description: 'Why the bot handed off and what it knows: built once at handoff time',
    properties: {
      reason: { type: 'string', example: 'customer_request' },
      trace: { type: 'array', items: { type: 'string' }, description: 'Why the rule fired (and why others did not)' },
      summary: { type: 'string', description: "One sentence a person would write (who, what they want, what is known, why, the mood), in the caller's language (`summaryLocale`); a briefing stored before `brief` existed keeps its English one" },
      summaryLocale: { type: 'string', enum: ['en', 'pt-BR', 'es'], description: 'The language of `summary`: the agent\'s locale (manifest.json), else the request\'s Accept-Language, else the default locale' },
      brief: {
        type: 'object',
        description: 'The facts the summary is written from (absent on briefings stored before it)',
        properties: {
          who: { type: 'object', properties: { kind: { type: 'string', enum: ['named', 'anonymous', 'unknown'] }, name: { type: 'string' }, tier: { type: 'string', enum: ['standard', 'b2b'] } } },
          reason: { type: 'string' },
          wants: { type: 'string', nullable: true, description: 'The topic (intent id) the customer is about; null when they only asked for a person' },
          known: { type: 'object', additionalProperties: { type: 'string' }, description: 'What the bot collected, as text' },
          mood: { type: 'string', enum: ['calm', 'upset', 'angry'], description: 'From the sentiment of the last messages' },
          turn: { type: 'integer' },
          tries: { type: 'integer', description: 'Tries behind the reason (requests of the missing detail, misunderstandings, failed sign-ins)' },
          missing: { type: 'string', description: 'The detail the bot could not get (missing_entity)' },
        },
      },
      intent: { type: 'string', nullable: true },
      sentiment: { type: 'array', items: { type: 'object', properties: { turn: { type: 'integer' }, score: { type: 'number' } } } },
      collected: { type: 'object', additionalProperties: true },
      customer: { type: 'object', nullable: true, additionalProperties: true },
      authenticated: { type: 'boolean' },
      steps: { type: 'array', items: { type: 'string' }, description: 'What the bot tried' },
      queue: { type: 'string' },
      priority: { type: 'integer' },
      slaDeadline: { type: 'integer' },
      requestedAt: { type: 'integer' },
      channel: { type: 'string' },
      locale: { type: 'string' },
      turn: { type: 'integer' },
    },
  },
  TranscriptEntry: {
    type: 'object',
    required: ['at', 'from', 'type'],
    properties: {
      at: { type: 'integer' },
      from: { type: 'string', enum: ['customer', 'bot', 'agent', 'system'] },
      type: { type: 'string' },
      text: { type: 'string' },
      meta: { type: 'object', additionalProperties: true },
    },
  },
  RelayMessage: {
    type: 'object',
    required: ['conversationId', 'kind', 'at', 'id'],
    properties: {
      conversationId: { type: 'string' },
      kind: { type: 'string', enum: ['agent_message', 'system_message', 'handoff_status'] },
      text: { type: 'string' },
      agentId: { type: 'string' },
      agentName: { type: 'string' },
      at: { type: 'integer', description: 'When it was written (ms since the epoch)' },
      id: { type: 'string' },
      meta: { type: 'object', additionalProperties: true },
    },
  },
  DeadLetter: {
    type: 'object',
    description: 'A message for a customer given up on after its retries (its conversation went on without it)',
    required: ['id', 'route', 'message', 'error', 'attempts', 'at'],
    properties: {
      id: { type: 'string' },
      route: { type: 'string', description: 'The relay route, e.g. `webchat`' },
      message: ref('RelayMessage'),
      error: { type: 'string', description: 'The last failure' },
      attempts: { type: 'integer' },
      at: { type: 'integer', description: 'When it was given up on (ms since the epoch)' },
    },
  },
  Conversation: {
    type: 'object',
    properties: {
      conversationId: { type: 'string' },
      state: ref('State'),
      briefing: { ...ref('Briefing'), nullable: true },
      callback: { ...ref('Callback'), nullable: true },
      transcript: { type: 'array', items: ref('TranscriptEntry') },
      macros: { type: 'array', items: ref('Macro') },
      now: { type: 'integer' },
    },
  },
};

/**
 * Builds the document (a fresh object each call; cheap).
 *
 * @example
 * sendJson(res, 200, openApiDocument());
 */
export function openApiDocument(): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of API_ROUTES) {
    const op = OPERATIONS[r.operationId];
    paths[r.path] ??= {};
    paths[r.path]![r.method.toLowerCase()] = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [
        r.path.startsWith('/api/conversations')
          ? 'conversations'
          : r.path.startsWith('/api/queues')
            ? 'queues'
            : r.path.startsWith('/api/dead-letters')
              ? 'delivery'
              : r.path.startsWith('/api/staff') || r.path === '/api/me/presence'
                ? 'staffing'
                : r.path.startsWith('/api/customers')
                  ? 'customers'
                  : r.path === '/api/dashboard' || r.path === '/api/history'
                    ? 'supervision'
                    : 'session',
      ],
      ...(r.auth ? {} : { security: [] }),
      ...op,
      responses: { ...(op['responses'] as Json), ...(r.method === 'POST' || r.method === 'GET' ? { '405': ERRORS['405'] } : {}) },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'handover agent console API',
      version: '1.0.0',
      description: [
        'Queues, briefings and the agent actions of the handover service, for the agent console and for external help desks.',
        'Authenticate with the console session cookie (POST /api/login) or with `Authorization: Bearer <token>`, where tokens come from the',
        'environment variable HANDOVER_API_TOKENS="name:token,name:token" (tokens of at least 16 characters). A bearer token sees every queue;',
        'its actions name the help-desk agent in `agentId`. Errors are always `{ "error": { "code": "HANDOVER_ERR_…", "message": "…" } }`.',
        'Live updates: WebSocket /agent/ws (session cookie) pushes every domain event of the queues you see; outgoing webhooks (manifest.json',
        '`webhooks`) POST the same events signed with `X-Handover-Signature: sha256=<hex HMAC-SHA256 of the raw body>`.',
      ].join(' '),
    },
    servers: [{ url: '/' }],
    security: [{ sessionCookie: [] }, { bearerToken: [] }],
    tags: [
      { name: 'session', description: 'Sign-in and the caller' },
      { name: 'queues', description: 'Waiting conversations' },
      { name: 'conversations', description: 'Briefing, transcript and agent actions' },
      { name: 'delivery', description: 'Messages for customers that could not be delivered (dead letters)' },
      { name: 'customers', description: "Erasure of a customer's data (GDPR / LGPD)" },
      { name: 'supervision', description: 'The supervisor dashboard (queues, agents, metrics) and the history of closed conversations' },
      { name: 'staffing', description: "Agents' presence and shifts: what callback slots and the expected wait are computed from" },
    ],
    paths,
    components: {
      securitySchemes: {
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'handover_agent', description: 'Set by POST /api/login (HttpOnly, SameSite=Strict)' },
        bearerToken: { type: 'http', scheme: 'bearer', description: 'A token listed in HANDOVER_API_TOKENS' },
      },
      schemas: SCHEMAS,
    },
  };
}
