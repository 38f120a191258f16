/**
 * Live updates for the console over a WebSocket (`/agent/ws`), fed by the domain events on
 * `stores.events` (which every process hears, so an agent connected to any node sees
 * everything). Authenticated by the session cookie (or a bearer token) at the upgrade; each
 * caller gets only the events of the queues they see and of the conversations they own —
 * customer messages of their conversations included, as they arrive.
 *
 * Publishing never waits for sockets: events are queued and fanned out in order, off the
 * customer's turn.
 *
 * An agent's sockets are their presence: each open and close is written to the agent's presence
 * (with this process's id), and a heartbeat refreshes the count so other processes can tell a
 * process that died from one that is still serving the agent.
 *
 * @example
 * const hub = new ConsoleSocketHub({ auth, sessions, stores, clock });
 * server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head) || socket.destroy());
 * await hub.close();
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Clock } from '../core/clock.js';
import type { DomainEvent } from '../core/events.js';
import { agentId as toAgentId, conversationId as toConversationId } from '../core/ids.js';
import { isWithHuman, type HandoffState } from '../core/handoff-state.js';
import type { Stores } from '../core/ports/stores.js';
import type { ServerLog } from '../server/http-server.js';
import type { PresenceBook, PresenceChange } from '../staffing/presence.js';
import { AgentSessions } from './agent-sessions.js';
import type { CallerView, ConsoleSocketFrame } from './api-types.js';
import type { ConsoleAuth, Principal } from './console-auth.js';

/**
 * Options of {@link ConsoleSocketHub}.
 *
 * @example
 * new ConsoleSocketHub({ auth, sessions, stores, clock, heartbeatMs: 30_000, sessionCheckMs: 60_000 });
 */
export interface ConsoleSocketHubOptions {
  readonly auth: ConsoleAuth;
  readonly sessions: AgentSessions;
  readonly stores: Stores;
  readonly clock: Clock;
  readonly log?: ServerLog;
  /** Path of the socket (default `/agent/ws`). */
  readonly path?: string;
  /** Ping interval; a socket that misses a pong is dropped (default 30 s). */
  readonly heartbeatMs?: number;
  /** How often live sockets re-check their session (sign-out elsewhere, expiry); default 60 s. */
  readonly sessionCheckMs?: number;
  /** Agents' presence: written when their sockets open and close, refreshed every `presenceBeatMs`. */
  readonly presence?: PresenceBook;
  /** Which agent ids have a presence (the manifest's agents). Default: all. */
  readonly isAgent?: (id: string) => boolean;
  /** Called when a socket changed an agent's presence status (e.g. back online). */
  readonly onPresenceChange?: () => Promise<unknown>;
  /** How often this process refreshes its sockets in the agents' presence (default 30 s; at most a third of the presence's stale time). */
  readonly presenceBeatMs?: number;
}

interface Client {
  readonly ws: WebSocket;
  readonly principal: Principal;
  alive: boolean;
  /** When this socket last passed a typing signal on, per conversation (at most one every 2 s). */
  typedAt?: Map<string, number>;
}

/**
 * What a console sends on `/agent/ws` (everything else goes through the HTTP API): `typing` while
 * the agent writes a reply in a conversation they own (the console sends at most one every 3 s),
 * shown to the customer as "<name> is typing…". Anything else, or typing in a conversation not
 * theirs, is ignored.
 *
 * @example
 * ws.send(JSON.stringify({ type: 'typing', conversationId: 'webchat:wc_1' } satisfies ConsoleClientFrame));
 */
export type ConsoleClientFrame = { readonly type: 'typing'; readonly conversationId: string };

/** A console's frame, or undefined for anything that is not one (ignored). */
function parseClientFrame(text: string): ConsoleClientFrame | undefined {
  try {
    const f = JSON.parse(text) as { type?: unknown; conversationId?: unknown };
    if (f.type === 'typing' && typeof f.conversationId === 'string' && f.conversationId.length > 0 && f.conversationId.length <= 300) return { type: 'typing', conversationId: f.conversationId };
  } catch {
    // not JSON: ignored
  }
  return undefined;
}

const QUEUE_EVENTS = new Set(['handoff.requested', 'handoff.escalated', 'handoff.callback_scheduled', 'handoff.callback_due']);

/**
 * True when this caller should receive this event (state: the conversation's current state).
 *
 * @example
 * eventVisibleTo(principal, ['support'], false, { type: 'handoff.requested', queue: 'support', … }, state); // true
 */
export function eventVisibleTo(p: Principal, queues: readonly string[], seesAll: boolean, e: DomainEvent, s: HandoffState | undefined): boolean {
  if (seesAll) return true;
  // back with the bot (returned, resolved): what the customer tells the bot is not the old queue's
  // (nor the old agent's) business until the chat is handed off again
  if (e.type === 'customer.message' && s !== undefined && s.version > 0 && !isWithHuman(s)) return false;
  const mine = p.kind === 'agent' && ((s?.agentId ?? null) === p.agent.id || ('agentId' in e && e.agentId === p.agent.id));
  if (mine) return true;
  if (QUEUE_EVENTS.has(e.type) && 'queue' in e) return queues.includes(e.queue);
  if (e.type === 'handoff.transferred') return queues.includes(e.from) || queues.includes(e.to);
  return s?.queue !== null && s?.queue !== undefined && queues.includes(s.queue);
}

/**
 * The `/agent/ws` sockets of this process and the event fan-out to them.
 *
 * @example
 * const hub = new ConsoleSocketHub({ auth, sessions, stores, clock });
 * hub.handleUpgrade(req, socket, head);
 * hub.closeSession(token); // after a sign-out
 */
export class ConsoleSocketHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  private readonly clients = new Set<Client>();
  private readonly path: string;
  private readonly unsubscribe: () => void;
  private readonly timers: NodeJS.Timeout[] = [];
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  /** This process, in the agents' presence documents. */
  private readonly node = randomUUID();
  private readonly presenceWrites = new Set<Promise<unknown>>();

  constructor(private readonly opts: ConsoleSocketHubOptions) {
    this.path = opts.path ?? '/agent/ws';
    this.unsubscribe = opts.stores.events.subscribe((e) => {
      // Never make the publisher (a customer's turn) wait for the fan-out.
      if (this.clients.size === 0) return;
      this.chain = this.chain.then(() => this.fanOut(e)).catch((err: unknown) => this.opts.log?.error('console socket fan-out failed', { error: String(err) }));
    });
    const beat = setInterval(() => this.heartbeat(), opts.heartbeatMs ?? 30_000);
    const check = setInterval(() => void this.recheckSessions(), opts.sessionCheckMs ?? 60_000);
    beat.unref();
    check.unref();
    this.timers.push(beat, check);
    if (opts.presence !== undefined) {
      const presence = opts.presence;
      const every = opts.presenceBeatMs ?? Math.min(30_000, Math.floor(presence.staleMs / 3));
      const presenceBeat = setInterval(() => this.track(presence.heartbeat(this.node, this.openByAgent()).then(() => undefined)), every);
      presenceBeat.unref();
      this.timers.push(presenceBeat);
    }
  }

  /** Open sockets per agent of this process. */
  private openByAgent(): Map<string, number> {
    const open = new Map<string, number>();
    for (const c of this.clients) if (c.principal.kind === 'agent' && this.hasPresence(c.principal.agent.id)) open.set(c.principal.agent.id, (open.get(c.principal.agent.id) ?? 0) + 1);
    return open;
  }

  private hasPresence(agent: string): boolean {
    return this.opts.presence !== undefined && (this.opts.isAgent?.(agent) ?? true);
  }

  /** A presence write in the background: awaited by `close()`, a failure logged. */
  private track(write: Promise<PresenceChange | undefined>): void {
    const p = write
      .then(async (r) => {
        if (r?.changed === true) await this.opts.onPresenceChange?.();
      })
      .catch((e: unknown) => this.opts.log?.error('agent presence update failed', { error: e instanceof Error ? e.message : String(e) }))
      .finally(() => this.presenceWrites.delete(p));
    this.presenceWrites.add(p);
  }

  /** Open sockets (for tests and metrics). */
  get size(): number {
    return this.clients.size;
  }

  /** Takes `/agent/ws` upgrades; false for other paths. Refuses (401/403) without a valid caller. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== this.path) return false;
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n`);
    };
    if (this.closed) {
      refuse(503, 'Service Unavailable');
      return true;
    }
    if (!sameOrigin(req)) {
      refuse(403, 'Forbidden');
      return true;
    }
    this.opts.auth.principalOf(req).then(
      (principal) => {
        if (principal === undefined) return refuse(401, 'Unauthorized');
        if (this.closed || socket.destroyed) return socket.destroy();
        this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, principal));
      },
      (e: unknown) => {
        this.opts.log?.error('console socket authentication failed', { error: String(e) });
        refuse(503, 'Service Unavailable');
      },
    );
    return true;
  }

  /** Closes every socket of a session (after a sign-out in this process). */
  closeSession(sessionToken: string): void {
    const id = AgentSessions.idOf(sessionToken);
    for (const c of this.clients) if (c.principal.kind === 'agent' && AgentSessions.idOf(c.principal.sessionToken) === id) c.ws.close(4401, 'signed out');
  }

  /** Stops listening to events and closes every socket. */
  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    for (const t of this.timers) clearInterval(t);
    const closing = [...this.clients].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.ws.readyState === WebSocket.CLOSED) return resolve();
          const t = setTimeout(() => {
            c.ws.terminate();
            resolve();
          }, 1_000);
          c.ws.once('close', () => {
            clearTimeout(t);
            resolve();
          });
          c.ws.close(1001, 'server shutting down');
        }),
    );
    await Promise.all(closing);
    await this.chain;
    // the sockets' closes are written before the stores can close
    while (this.presenceWrites.size > 0) await Promise.all([...this.presenceWrites]);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private callerView(p: Principal): CallerView {
    return p.kind === 'agent'
      ? { kind: 'agent', id: p.agent.id, name: p.agent.name, role: p.agent.role, queues: p.agent.queues }
      : { kind: 'desk', name: p.name, queues: this.opts.auth.queuesOf(p) };
  }

  private accept(ws: WebSocket, principal: Principal): void {
    const client: Client = { ws, principal, alive: true };
    this.clients.add(client);
    ws.on('pong', () => (client.alive = true));
    ws.on('message', (raw) => {
      // Actions go through the HTTP API; the one thing said here is "I am typing" (ephemeral).
      const frame = parseClientFrame(String(raw));
      if (frame !== undefined) void this.typing(client, frame.conversationId);
    });
    ws.on('close', () => {
      this.clients.delete(client);
      if (principal.kind === 'agent' && this.hasPresence(principal.agent.id)) this.track(this.opts.presence!.closed(principal.agent.id, this.node));
    });
    ws.on('error', () => ws.terminate());
    if (principal.kind === 'agent' && this.hasPresence(principal.agent.id)) this.track(this.opts.presence!.opened(principal.agent.id, this.node));
    this.send(client, { type: 'hello', caller: this.callerView(principal), now: this.opts.clock.now() });
  }

  private send(c: Client, frame: ConsoleSocketFrame): void {
    if (c.ws.readyState !== WebSocket.OPEN) return;
    // A console that stopped reading is dropped rather than buffered without bound.
    if (c.ws.bufferedAmount > 1024 * 1024) {
      c.ws.terminate();
      return;
    }
    c.ws.send(JSON.stringify(frame));
  }

  /**
   * An agent typing in a conversation they own: an `agent.typing` event for the customer's channel
   * (whichever process holds the customer). Throttled per socket and conversation; a conversation
   * that is not theirs (or not with them any more) is ignored.
   */
  private async typing(c: Client, conversationId: string): Promise<void> {
    const p = c.principal;
    if (p.kind !== 'agent') return;
    const now = this.opts.clock.now();
    const typedAt = (c.typedAt ??= new Map());
    if (now - (typedAt.get(conversationId) ?? -Infinity) < 2_000) return;
    typedAt.set(conversationId, now);
    if (typedAt.size > 100) typedAt.delete(typedAt.keys().next().value!);
    try {
      const id = toConversationId(conversationId);
      const s = await this.opts.stores.handoffs.get(id);
      if (s.status !== 'assigned' || s.agentId !== p.agent.id) return;
      await this.opts.stores.events.publish({ type: 'agent.typing', conversationId: id, at: now, agentId: toAgentId(p.agent.id), agentName: p.agent.name });
    } catch (e) {
      this.opts.log?.error('agent typing signal failed', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  private async fanOut(e: DomainEvent): Promise<void> {
    if (this.clients.size === 0 || e.type === 'agent.typing') return;
    const s = await this.opts.stores.handoffs.get(e.conversationId).catch(() => undefined);
    const frame: ConsoleSocketFrame = { type: 'event', event: e, now: this.opts.clock.now() };
    for (const c of this.clients) {
      const p = c.principal;
      if (eventVisibleTo(p, this.opts.auth.queuesOf(p), this.opts.auth.seesAll(p), e, s)) this.send(c, frame);
    }
  }

  private heartbeat(): void {
    for (const c of this.clients) {
      if (!c.alive) {
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }

  private async recheckSessions(): Promise<void> {
    for (const c of [...this.clients]) {
      if (c.principal.kind !== 'agent') continue;
      const s = await this.opts.sessions.get(c.principal.sessionToken).catch(() => 'unknown' as const);
      if (s === undefined) c.ws.close(4401, 'session ended');
    }
  }
}

function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // not a browser (a help desk's own client)
  try {
    const host = new URL(origin).host;
    const forwarded = req.headers['x-forwarded-host'];
    return host === req.headers.host || (typeof forwarded === 'string' && host === forwarded);
  } catch {
    return false;
  }
}
