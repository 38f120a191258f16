/**
 * Real `handover start` processes for integration tests: each is `node bin/handover.cjs start` on
 * 127.0.0.1 with a free port, on the test's Redis and key prefix, so several of them are one
 * deployment exactly as an operator would run it. Plus the customer and agent sides the tests drive
 * them with: a widget socket customer and the console HTTP API with a help-desk bearer token.
 *
 * @example
 * const a = await spawnHandover({ REDIS_URL, REDIS_PREFIX: prefix });
 * const c = await WidgetCustomer.start(a.ws);
 * await a.stop();
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { JsonSocket } from './webchat-clients.js';

type Json = Record<string, unknown>;

const bin = path.resolve(__dirname, '../../bin/handover.cjs');

/** The help-desk token every spawned process accepts (HANDOVER_API_TOKENS). */
export const DESK_TOKEN = 'desk-token-0123456789abcdef';
/** The web chat token secret shared by the processes, so a customer can resume on any of them. */
export const WEBCHAT_SECRET = 'test-webchat-secret-0123456789abcdef';

/** One running `handover start`. */
export interface HandoverProcess {
  readonly pid: number;
  readonly base: string;
  readonly ws: string;
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything it printed on stderr so far. */
  stderr(): string;
  /** SIGTERM and wait for the exit (a clean stop); resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash: nothing is cleaned up) and wait for the process to be gone. */
  kill(): Promise<void>;
}

/**
 * Starts `handover start --host 127.0.0.1 [args]` with PORT=0 and the given environment on top of
 * this process's, and resolves once it prints its banner.
 */
export async function spawnHandover(env: Record<string, string>, args: readonly string[] = []): Promise<HandoverProcess> {
  // customers of a suite all come from 127.0.0.1 and type faster than people: message limits off unless a test sets WEBCHAT_MESSAGE_LIMITS
  return startHandoverProcess({ WEBCHAT_MESSAGE_LIMITS: 'off', ...env }, args);
}

/**
 * `handover start --host 127.0.0.1 [args]` with PORT=0, the shared secrets and `env` on top of this
 * process's environment, run in `cwd` (default: this repository), resolved at its banner; `handoverBin`:
 * another copy's bin/handover.cjs (an installed package's), default this repository's.
 */
export async function startHandoverProcess(env: Record<string, string>, args: readonly string[] = [], cwd?: string, handoverBin: string = bin): Promise<HandoverProcess> {
  const child = spawn(process.execPath, [handoverBin, 'start', '--host', '127.0.0.1', ...args], {
    ...(cwd === undefined ? {} : { cwd }),
    env: { ...process.env, PORT: '0', WEBCHAT_SECRET, HANDOVER_API_TOKENS: `desk:${DESK_TOKEN}`, ...env },
    stdio: 'pipe',
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const banner = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (/Press Ctrl\+C to stop\./.test(out)) {
        child.stdout.off('data', onData);
        resolve(out);
      }
    };
    child.stdout.on('data', onData);
    void exited.then((code) => reject(new Error(`handover start exited with ${code} before its banner: ${out}\n${stderr}`)));
  });
  // Keep reading so a full pipe never blocks the child.
  child.stdout.resume();
  const base = /handover is running on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
  if (base === undefined) throw new Error(`no address in the banner: ${banner}`);
  return {
    pid: child.pid!,
    base,
    ws: base.replace(/^http/, 'ws'),
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The answer of a console API call. */
export interface ApiAnswer {
  readonly status: number;
  readonly json: Json;
}

/** Calls the console API of a process as the help desk (bearer token). */
export async function deskCall(base: string, method: 'GET' | 'POST', apiPath: string, body?: unknown): Promise<ApiAnswer> {
  const res = await fetch(`${base}${apiPath}`, {
    method,
    headers: { Authorization: `Bearer ${DESK_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Json) };
}

/** `/api/conversations/<id>` with the id encoded. */
export const conversationApi = (id: string, action = ''): string => `/api/conversations/${encodeURIComponent(id)}${action === '' ? '' : `/${action}`}`;

/** Polls `cond` (no timing assertion: the bound only stops a broken run from hanging). */
export async function eventually(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000, everyMs = 20): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs) throw new Error(`still waiting for ${what} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * A customer on the widget WebSocket of one process: records every activity with the watermark it
 * came with, and can resume on another process from the last watermark it saw.
 */
export class WidgetCustomer {
  /** Every activity received, over every socket this customer had, in arrival order. */
  readonly received: Json[] = [];
  private lastWatermark = '';

  private constructor(
    private socket: JsonSocket,
    readonly webchatId: string,
    private token: string,
  ) {
    this.listen(socket);
  }

  /** `webchat:<id>`: the conversation id the console API uses. */
  get conversationId(): string {
    return `webchat:${this.webchatId}`;
  }

  /** The watermark of the last activity this customer saw (what the widget keeps for a resume). */
  get watermark(): string {
    return this.lastWatermark;
  }

  static async start(ws: string): Promise<WidgetCustomer> {
    const socket = await JsonSocket.open(`${ws}/webchat/ws`);
    socket.send({ type: 'start', locale: 'en' });
    const session = await socket.waitFor((f) => f['type'] === 'session');
    return new WidgetCustomer(socket, String(session['conversationId']), String(session['token']));
  }

  say(text: string): void {
    this.socket.send({ type: 'message', text });
  }

  /** Texts of the agent messages received, in order (duplicates kept: tests count them). */
  agentTexts(): string[] {
    return this.received.filter((a) => role(a) === 'agent').map((a) => String(a['text']));
  }

  /** Texts of every message received from the bot side (bot, system and agent lines). */
  botSideTexts(): string[] {
    return this.received.filter((a) => a['type'] === 'message' && (a['from'] as Json | undefined)?.['role'] !== 'user').map((a) => String(a['text'] ?? ''));
  }

  /** Closes the socket (the page goes away); the customer keeps their token and watermark. */
  async disconnect(): Promise<void> {
    await this.socket.close();
  }

  /** Opens a socket on `ws` and resumes the conversation after the last watermark seen. */
  async resume(ws: string): Promise<void> {
    const socket = await JsonSocket.open(`${ws}/webchat/ws`);
    this.socket = socket;
    this.listen(socket);
    socket.send({ type: 'resume', conversationId: this.webchatId, token: this.token, watermark: this.lastWatermark, locale: 'en' });
    const session = await socket.waitFor((f) => f['type'] === 'session' || f['type'] === 'error');
    if (session['type'] === 'error') throw new Error(`resume refused: ${JSON.stringify(session)}`);
    this.token = String(session['token']);
  }

  async close(): Promise<void> {
    await this.socket.close();
  }

  /** Takes the frames the socket already has, then every later one (JsonSocket records them first). */
  private listen(socket: JsonSocket): void {
    const take = (frame: Json): void => {
      if (frame['type'] !== 'activities' || !Array.isArray(frame['activities'])) return;
      this.received.push(...(frame['activities'] as Json[]));
      if (typeof frame['watermark'] === 'string') this.lastWatermark = frame['watermark'];
    };
    let seen = 0;
    const catchUp = (): void => {
      while (seen < socket.frames.length) take(socket.frames[seen++]!);
    };
    catchUp();
    socket.ws.on('message', catchUp);
  }
}

function role(a: Json): unknown {
  return ((a['channelData'] as Json | undefined)?.['handover'] as Json | undefined)?.['role'];
}
