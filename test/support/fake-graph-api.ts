import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer of the fake Graph API. */
export interface FakeGraphReply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/** A request the fake Graph API received. */
export interface FakeGraphRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

/** A media file the fake serves (what a customer sent). */
export interface FakeMedia {
  readonly bytes: Buffer;
  readonly mimeType: string;
}

/**
 * A local stand-in for Meta's Graph API on 127.0.0.1 (random port). Only the network edge is fake;
 * the real GraphApiClient and fetch are exercised.
 *
 * - `POST /<version>/<phone-number-id>/messages`: every payload is checked against Meta's documented
 *   send-message formats (text, template, interactive reply buttons and list messages with their
 *   limits, read receipts with the typing indicator; `to` or `recipient`); a payload that breaks
 *   them is answered like Meta does (400, code 100) and listed in `violations`. Otherwise: scripted
 *   `replies` (message sends only, not read receipts), 503 while `down`, else 200 with a wamid
 *   (`{ success: true }` for read receipts).
 * - `GET /<version>/<media-id>`: the media's URL, MIME type, sha256 and size (404 when unknown);
 *   `GET /media-bytes/<media-id>`: the bytes. Both need the bearer token, like Meta's.
 *
 * @example
 * const graph = await FakeGraphApi.start();
 * graph.replies.push({ status: 500 }, { status: 500 });
 * graph.media.set('1479', { bytes: Buffer.from('…'), mimeType: 'image/jpeg' });
 * // … new GraphApiClient({ baseUrl: graph.baseUrl, … }) …
 * graph.delivered; graph.violations; // what went out; what broke Meta's formats
 * await graph.close();
 */
export class FakeGraphApi {
  readonly requests: FakeGraphRequest[] = [];
  /** Message payloads answered with 200 (what WhatsApp would have delivered); read receipts excluded. */
  readonly delivered: Array<Record<string, unknown>> = [];
  /** Read receipts answered with success (`{ message_id, typing }`). */
  readonly reads: Array<{ messageId: string; typing: boolean }> = [];
  /** Requests that broke Meta's documented formats, with why. */
  readonly violations: Array<{ body: Record<string, unknown>; problems: string[] }> = [];
  readonly replies: FakeGraphReply[] = [];
  readonly media = new Map<string, FakeMedia>();
  /** Files uploaded to `/<phone-number-id>/media` (valid ones only), in order. */
  readonly uploads: Array<{ id: string; mimeType: string; filename: string; bytes: Buffer }> = [];
  /** The access token media requests must carry. */
  token: string | undefined;
  down = false;
  /** Answer read receipts with 500 (presence failing while messages go through). */
  failReads = false;
  private seq = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    readonly origin: string,
  ) {}

  static async start(): Promise<FakeGraphApi> {
    let self: FakeGraphApi | undefined;
    const server = createServer((req, res) => {
      void readRaw(req).then((raw) => (isMultipart(req) ? self!.handleUpload(req, res, raw) : self!.handle(req, res, parseJson(raw))));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const origin = `http://127.0.0.1:${port}`;
    self = new FakeGraphApi(server, `${origin}/v21.0`, origin);
    return self;
  }

  /** Texts delivered to `to` (a phone number or a user id), in order. */
  textsTo(to: string): string[] {
    return this.delivered.filter((d) => recipientOf(d) === to && d['type'] === 'text').map((d) => (d['text'] as { body: string }).body);
  }

  /** Interactive messages delivered to `to`, in order. */
  interactivesTo(to: string): Array<Record<string, unknown>> {
    return this.delivered.filter((d) => recipientOf(d) === to && d['type'] === 'interactive').map((d) => d['interactive'] as Record<string, unknown>);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): void {
    const path = req.url ?? '';
    this.requests.push({ method: req.method ?? 'GET', path, authorization: req.headers.authorization, body });
    if (req.method === 'GET') return this.serveMedia(req, res, path);
    if (!/^\/v\d+\.\d+\/\d+\/messages$/.test(path)) return json(res, 404, { error: { code: 803, message: `unknown path ${path}` } });
    const problems = checkSendPayload(body);
    if (problems.length > 0) {
      this.violations.push({ body, problems });
      return json(res, 400, { error: { code: 100, message: `(#100) Invalid parameter: ${problems.join('; ')}` } });
    }
    const isRead = body['status'] === 'read';
    if (isRead && this.failReads) return json(res, 500, { error: { code: 1, message: 'An unknown error occurred' } });
    const reply = this.down ? { status: 503, body: { error: { code: 2, message: 'Service temporarily unavailable' } } } : isRead ? undefined : this.replies.shift();
    if (reply !== undefined && reply.status !== 200) {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(reply.body ?? { error: { message: 'scripted failure' } }));
      return;
    }
    if (isRead) {
      this.reads.push({ messageId: String(body['message_id']), typing: body['typing_indicator'] !== undefined });
      return json(res, 200, { success: true });
    }
    this.delivered.push(body);
    const id = `wamid.OUT${++this.seq}`;
    const input = recipientOf(body);
    json(res, 200, { messaging_product: 'whatsapp', contacts: [{ input, ...(body['recipient'] === undefined ? { wa_id: input } : { user_id: input }) }], messages: [{ id }] });
  }

  /**
   * `POST /<version>/<phone-number-id>/media` (Meta's "Upload media"): multipart/form-data with
   * `messaging_product=whatsapp`, `type` (the MIME type) and one `file` part of that type; images JPEG
   * or PNG up to 5 MB, documents (PDF, text, Office) up to 100 MB. Answers `{ id }` and keeps the file
   * (listed in `uploads`, servable like received media); a request breaking the format gets 400 code 100.
   */
  private async handleUpload(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const path = req.url ?? '';
    const problems: string[] = [];
    if (!/^\/v\d+\.\d+\/\d+\/media$/.test(path)) return json(res, 404, { error: { code: 803, message: `unknown path ${path}` } });
    if (this.token !== undefined && req.headers.authorization !== `Bearer ${this.token}`) return json(res, 401, { error: { code: 190, message: 'Invalid OAuth access token' } });
    let form: FormData | undefined;
    try {
      form = await new Response(new Uint8Array(raw), { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
    } catch {
      problems.push('body is not multipart/form-data');
    }
    const file = form?.get('file');
    const type = form?.get('type');
    if (form !== undefined) {
      if (form.get('messaging_product') !== 'whatsapp') problems.push('messaging_product must be "whatsapp"');
      if (typeof type !== 'string' || type === '') problems.push('type (the MIME type) required');
      if (!(file instanceof Blob)) problems.push('file required');
      else {
        const fileType = file.type.split(';')[0];
        if (typeof type === 'string' && fileType !== type) problems.push(`file part type ${file.type} differs from type ${String(type)}`);
        const limit = UPLOAD_LIMITS[fileType ?? ''];
        if (limit === undefined) problems.push(`unsupported media type ${file.type}`);
        else if (file.size > limit) problems.push(`${file.type} over ${limit} bytes`);
        if (file.size === 0) problems.push('empty file');
      }
      form.forEach((_v, k) => {
        if (!['messaging_product', 'type', 'file'].includes(k)) problems.push(`unexpected field ${k}`);
      });
    }
    if (problems.length > 0) {
      this.violations.push({ body: { upload: path }, problems });
      return json(res, 400, { error: { code: 100, message: `(#100) Invalid parameter: ${problems.join('; ')}` } });
    }
    if (this.down) return json(res, 503, { error: { code: 2, message: 'Service temporarily unavailable' } });
    const f = file as File;
    const bytes = Buffer.from(await f.arrayBuffer());
    const id = `${4_000_000_000_000 + ++this.seq}`;
    this.uploads.push({ id, mimeType: String(type), filename: f.name, bytes });
    this.media.set(id, { bytes, mimeType: String(type) });
    json(res, 200, { id });
  }

  private serveMedia(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (this.token !== undefined && req.headers.authorization !== `Bearer ${this.token}`) return json(res, 401, { error: { code: 190, message: 'Invalid OAuth access token' } });
    if (this.down) return json(res, 503, { error: { code: 2, message: 'Service temporarily unavailable' } });
    const url = new URL(path, this.origin);
    const bytes = /^\/media-bytes\/([^/]+)$/.exec(url.pathname);
    if (bytes !== null) {
      const m = this.media.get(decodeURIComponent(bytes[1] ?? ''));
      if (m === undefined) return json(res, 404, { error: { code: 100, message: 'not found' } });
      res.writeHead(200, { 'content-type': m.mimeType, 'content-length': String(m.bytes.length) }).end(m.bytes);
      return;
    }
    const info = /^\/v\d+\.\d+\/([^/]+)$/.exec(url.pathname);
    const id = decodeURIComponent(info?.[1] ?? '');
    const m = this.media.get(id);
    if (m === undefined) return json(res, 404, { error: { code: 100, message: `Unsupported get request. Object with ID '${id}' does not exist` } });
    json(res, 200, { messaging_product: 'whatsapp', url: `${this.origin}/media-bytes/${encodeURIComponent(id)}`, mime_type: m.mimeType, sha256: 'fake', file_size: m.bytes.length, id });
  }
}

function recipientOf(d: Record<string, unknown>): unknown {
  return d['to'] ?? d['recipient'];
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const len = (s: unknown): number => (typeof s === 'string' ? Array.from(s).length : -1);

/**
 * Meta's documented send-message formats (Cloud API "Send messages", "Interactive reply buttons
 * messages", "Interactive list messages", "Typing indicators"), as checks. Returns the problems.
 *
 * @example
 * checkSendPayload({ messaging_product: 'whatsapp', to: '1', type: 'text', text: { body: '' } }); // ['text.body: 1..4096 characters']
 */
export function checkSendPayload(b: Record<string, unknown>): string[] {
  const p: string[] = [];
  if (b['messaging_product'] !== 'whatsapp') p.push('messaging_product must be "whatsapp"');
  if (b['status'] === 'read') {
    if (typeof b['message_id'] !== 'string' || b['message_id'] === '') p.push('message_id required');
    const t = b['typing_indicator'] as { type?: unknown } | undefined;
    if (t !== undefined && t.type !== 'text') p.push('typing_indicator.type must be "text"');
    for (const k of Object.keys(b)) if (!['messaging_product', 'status', 'message_id', 'typing_indicator'].includes(k)) p.push(`unexpected field ${k} in a read receipt`);
    return p;
  }
  const to = b['to'];
  const recipient = b['recipient'];
  if (to === undefined && recipient === undefined) p.push('to or recipient required');
  if (to !== undefined && !(typeof to === 'string' && /^\+?\d{6,15}$/.test(to))) p.push('to must be a phone number');
  if (recipient !== undefined && !(typeof recipient === 'string' && /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/.test(recipient))) p.push('recipient must be a business-scoped user id');
  if (b['recipient_type'] !== undefined && b['recipient_type'] !== 'individual') p.push('recipient_type must be "individual"');
  switch (b['type']) {
    case 'text': {
      const t = b['text'] as { body?: unknown } | undefined;
      if (len(t?.body) < 1 || len(t?.body) > 4096) p.push('text.body: 1..4096 characters');
      break;
    }
    case 'template': {
      const t = b['template'] as { name?: unknown; language?: { code?: unknown } } | undefined;
      if (typeof t?.name !== 'string' || t.name === '') p.push('template.name required');
      if (typeof t?.language?.code !== 'string') p.push('template.language.code required');
      break;
    }
    case 'interactive':
      p.push(...checkInteractive(b['interactive'] as Record<string, unknown> | undefined));
      break;
    case 'image':
    case 'document': {
      // Meta's "Image messages" / "Document messages": a media id (or a link), an optional caption (≤ 1024), documents a filename
      const kind = b['type'];
      const m = b[kind] as { id?: unknown; link?: unknown; caption?: unknown; filename?: unknown } | undefined;
      if (m === undefined) p.push(`${kind} object required`);
      else {
        if ((typeof m.id !== 'string' || m.id === '') === (typeof m.link !== 'string' || m.link === '')) p.push(`${kind}: exactly one of id or link`);
        if (m.caption !== undefined && (len(m.caption) < 1 || len(m.caption) > 1024)) p.push(`${kind}.caption: 1..1024 characters`);
        if (kind === 'image' && m.filename !== undefined) p.push('image has no filename');
        if (kind === 'document' && m.filename !== undefined && len(m.filename) < 1) p.push('document.filename must not be empty');
        for (const k of Object.keys(m)) if (!['id', 'link', 'caption', 'filename'].includes(k)) p.push(`unexpected field ${kind}.${k}`);
      }
      break;
    }
    default:
      p.push(`type ${String(b['type'])} not expected from handover`);
  }
  return p;
}

function checkInteractive(i: Record<string, unknown> | undefined): string[] {
  const p: string[] = [];
  if (i === undefined) return ['interactive required'];
  const body = (i['body'] as { text?: unknown } | undefined)?.text;
  const action = i['action'] as Record<string, unknown> | undefined;
  if (i['type'] === 'button') {
    if (len(body) < 1 || len(body) > 1024) p.push('button body.text: 1..1024 characters');
    const buttons = (action?.['buttons'] ?? []) as Array<{ type?: unknown; reply?: { id?: unknown; title?: unknown } }>;
    if (buttons.length < 1 || buttons.length > 3) p.push('1..3 reply buttons');
    for (const btn of buttons) {
      if (btn.type !== 'reply') p.push('button type must be "reply"');
      if (len(btn.reply?.title) < 1 || len(btn.reply?.title) > 20) p.push(`button title "${String(btn.reply?.title)}": 1..20 characters`);
      const id = btn.reply?.id;
      if (len(id) < 1 || len(id) > 256 || (typeof id === 'string' && id.trim() !== id)) p.push('button id: 1..256 characters, no leading/trailing spaces');
    }
    if (new Set(buttons.map((x) => x.reply?.id)).size !== buttons.length) p.push('button ids must be unique');
    if (new Set(buttons.map((x) => x.reply?.title)).size !== buttons.length) p.push('button titles must be unique');
  } else if (i['type'] === 'list') {
    if (len(body) < 1 || len(body) > 4096) p.push('list body.text: 1..4096 characters');
    if (len(action?.['button']) < 1 || len(action?.['button']) > 20) p.push('list action.button: 1..20 characters');
    const sections = (action?.['sections'] ?? []) as Array<{ title?: unknown; rows?: Array<{ id?: unknown; title?: unknown; description?: unknown }> }>;
    if (sections.length < 1 || sections.length > 10) p.push('1..10 sections');
    const rows = sections.flatMap((s) => s.rows ?? []);
    if (rows.length < 1 || rows.length > 10) p.push('1..10 rows across all sections');
    for (const s of sections) if (s.title !== undefined && len(s.title) > 24) p.push('section title: up to 24 characters');
    if (sections.length > 1 && sections.some((s) => s.title === undefined)) p.push('section titles required with several sections');
    for (const r of rows) {
      if (len(r.title) < 1 || len(r.title) > 24) p.push(`row title "${String(r.title)}": 1..24 characters`);
      if (len(r.id) < 1 || len(r.id) > 200) p.push('row id: 1..200 characters');
      if (r.description !== undefined && len(r.description) > 72) p.push('row description: up to 72 characters');
    }
    if (new Set(rows.map((r) => r.id)).size !== rows.length) p.push('row ids must be unique');
  } else {
    p.push(`interactive.type ${String(i['type'])} not expected from handover`);
  }
  return p;
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function isMultipart(req: IncomingMessage): boolean {
  return req.method === 'POST' && String(req.headers['content-type'] ?? '').startsWith('multipart/form-data');
}

/** Meta's supported upload types and sizes (Cloud API media reference), images and documents. */
const UPLOAD_LIMITS: Record<string, number> = {
  'image/jpeg': 5 * 1024 * 1024,
  'image/png': 5 * 1024 * 1024,
  'application/pdf': 100 * 1024 * 1024,
  'text/plain': 100 * 1024 * 1024,
  'application/msword': 100 * 1024 * 1024,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 100 * 1024 * 1024,
  'application/vnd.ms-excel': 100 * 1024 * 1024,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 100 * 1024 * 1024,
  'application/vnd.ms-powerpoint': 100 * 1024 * 1024,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 100 * 1024 * 1024,
};
