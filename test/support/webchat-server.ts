import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebChatChannel, type MessageRateLimitOptions, type StartRateLimitOptions, type WebChatChannel, type WebChatChannelOptions } from '../../src/channels/webchat/index.js';
import { MemoryActivityLog } from '../../src/store/memory/memory-activity-log.js';
import { MemoryRateLimiter } from '../../src/store/memory/memory-rate-limiter.js';
import { WebChatEchoBot } from './webchat-echo-bot.js';

/** A running test server: the channel on node:http, bound to 127.0.0.1 on a free port. */
export interface TestWebChatServer {
  readonly channel: WebChatChannel;
  readonly bot: WebChatEchoBot;
  readonly baseUrl: string;
  readonly wsBase: string;
  close(): Promise<void>;
}

const quietLog = { info: () => {}, warn: () => {}, error: (m: string, meta?: unknown) => console.error(m, meta) };

/**
 * What a test may change: any channel option; the rate limits without their buckets (memory ones,
 * one for each limit, unless the test passes its own `limiter`).
 */
export type TestWebChatOptions = Partial<Omit<WebChatChannelOptions, 'startRateLimit' | 'messageRateLimit'>> & {
  readonly startRateLimit?: Partial<StartRateLimitOptions> | false;
  readonly messageRateLimit?: Partial<MessageRateLimitOptions> | false;
};

/**
 * Starts the web chat channel with {@link WebChatEchoBot} the way the app mounts it, over memory
 * stores: a fresh history and fresh buckets (the start limit's on the system clock, the message
 * limits' on the test's `clock`).
 *
 * @example
 * const srv = await startWebChatServer(); … await srv.close();
 */
export async function startWebChatServer(
  overrides: TestWebChatOptions = {},
  /** Extra test-only routes (a test page, a client library): return true when handled. */
  extraRoute?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean,
): Promise<TestWebChatServer> {
  const bot = new WebChatEchoBot();
  const { startRateLimit, messageRateLimit, ...rest } = overrides;
  const channel = createWebChatChannel({
    logic: (ctx) => bot.onTurn(ctx),
    log: quietLog,
    tokenSecret: 'test-secret-0123456789',
    activityLog: new MemoryActivityLog(),
    ...rest,
    startRateLimit: startRateLimit === false ? false : { limiter: new MemoryRateLimiter(), ...startRateLimit },
    messageRateLimit: messageRateLimit === false ? false : { limiter: new MemoryRateLimiter(overrides.clock), ...messageRateLimit },
  });
  const server = http.createServer((req, res) => {
    if (extraRoute?.(req, res) === true) return;
    channel
      .handleRequest(req, res)
      .then((handled) => {
        if (!handled) res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":{"code":"HANDOVER_ERR_NOT_FOUND"}}');
      })
      .catch(() => res.writeHead(500).end());
  });
  server.on('upgrade', (req, socket, head) => {
    if (!channel.handleUpgrade(req, socket, head)) socket.destroy();
  });
  const port = Number(process.env['PORT'] ?? 0);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    channel,
    bot,
    baseUrl: `http://127.0.0.1:${actual}`,
    wsBase: `ws://127.0.0.1:${actual}`,
    async close() {
      await channel.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// `npx tsx test/support/webchat-server.ts` runs the demo by hand (PORT=3978 by default).
if (require.main === module) {
  process.env['PORT'] ??= '3978';
  void startWebChatServer().then((s) => console.log(`web chat demo on ${s.baseUrl}/`));
}
