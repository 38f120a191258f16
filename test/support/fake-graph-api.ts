import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer of the fake Graph API. */
export interface FakeGraphReply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/** A request the fake Graph API received. */
export interface FakeGraphRequest {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

/**
 * A local stand-in for Meta's Graph API on 127.0.0.1 (random port): records every POST, answers from a
 * script (`replies`), or with 503 while `down`, else 200 with a fresh wamid. Only the network edge is
 * fake; the real GraphApiClient and fetch are exercised.
 *
 * @example
 * const graph = await FakeGraphApi.start();
 * graph.replies.push({ status: 500 }, { status: 500 });
 * // … new GraphApiClient({ baseUrl: graph.baseUrl, … }) …
 * graph.delivered; // the 200-answered message payloads
 * await graph.close();
 */
export class FakeGraphApi {
  readonly requests: FakeGraphRequest[] = [];
  /** Payloads answered with 200 (what WhatsApp would have delivered). */
  readonly delivered: Array<Record<string, unknown>> = [];
  readonly replies: FakeGraphReply[] = [];
  down = false;
  private seq = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeGraphApi> {
    let self: FakeGraphApi | undefined;
    const server = createServer((req, res) => {
      void readJson(req).then((body) => {
        const api = self!;
        api.requests.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
        const reply = api.down ? { status: 503, body: { error: { code: 2, message: 'Service temporarily unavailable' } } } : api.replies.shift();
        if (reply !== undefined && reply.status !== 200) {
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(reply.body ?? { error: { message: 'scripted failure' } }));
          return;
        }
        api.delivered.push(body);
        const id = `wamid.OUT${++api.seq}`;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ messaging_product: 'whatsapp', messages: [{ id }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    self = new FakeGraphApi(server, `http://127.0.0.1:${port}/v21.0`);
    return self;
  }

  /** Texts delivered to `to`, in order. */
  textsTo(to: string): string[] {
    return this.delivered
      .filter((d) => d['to'] === to && d['type'] === 'text')
      .map((d) => (d['text'] as { body: string }).body);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
