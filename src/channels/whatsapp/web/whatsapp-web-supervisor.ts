import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../core/clock.js';
import { systemClock } from '../../../core/clock.js';
import type { Lease } from '../../../core/ports/lease.js';
import { consoleChannelLogger, type ChannelLogger } from '../shared/channel-logger.js';
import { realSleep, type Sleep } from '../shared/sleep.js';
import type { ConnectionGate } from './connection-gate.js';
import type { WhatsAppWebClient } from './whatsapp-web-client.js';

/** Where the supervisor is in its life; exposed for health checks and the agent console. */
export type WhatsAppWebConnectionState =
  | 'stopped'
  | 'waiting_for_lease'
  | 'starting'
  | 'qr'
  | 'authenticated'
  | 'ready'
  | 'reconnecting';

/** Capped exponential backoff between reconnect attempts. */
export interface ReconnectBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

/** Options of {@link WhatsAppWebSupervisor}. */
export interface WhatsAppWebSupervisorOptions {
  readonly client: WhatsAppWebClient;
  /** Without a lease the supervisor assumes it is the only process (single-node deployments, tests). */
  readonly lease?: Lease;
  /** Lease name; one per WhatsApp number (default 'whatsapp-web:default'). */
  readonly leaseName?: string;
  /** Who we are in the lease (default host:pid:random). */
  readonly holderId?: string;
  /** Lease time-to-live (default 30 s); renewed every third of it. */
  readonly leaseTtlMs?: number;
  /** How often a waiting process retries to take the lease (default a third of the TTL). */
  readonly leaseRetryMs?: number;
  /** Default { initialMs: 1000, maxMs: 60000, factor: 2 }. */
  readonly backoff?: Partial<ReconnectBackoff>;
  /**
   * Restart when `ready` does not follow `authenticated` within this time (WhatsApp Web updates are
   * known to leave the client stuck there). 0 disables. Default 120 s.
   */
  readonly readyTimeoutMs?: number;
  /** Prints the QR code; default renders it in the terminal with qrcode-terminal (loaded lazily). */
  readonly printQr?: (qr: string) => void;
  readonly logger?: ChannelLogger;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
}

/** Events of {@link WhatsAppWebSupervisor}, for the app's health page and tests. */
export interface WhatsAppWebSupervisorEvents {
  qr: [qr: string];
  authenticated: [];
  ready: [];
  auth_failure: [message: string];
  disconnected: [reason: string];
  state: [state: WhatsAppWebConnectionState];
  reconnecting: [info: { attempt: number; delayMs: number; reason: string }];
  lease_acquired: [];
  lease_lost: [];
}

/** States after which the session is not usable and the client is restarted. */
const HEALTHY_STATES = new Set(['CONNECTED', 'OPENING', 'PAIRING']);

type SessionEnd = { kind: 'reconnect'; reason: string } | { kind: 'lease_lost' } | { kind: 'stopped' };

/**
 * Keeps one whatsapp-web.js session alive: takes the session lease (one process per number), initializes
 * the client, shows the QR when a scan is needed, and on `disconnected`, `auth_failure`, a bad
 * `change_state`, a failed `initialize()` or a stuck `authenticated` destroys the client and initializes
 * it again after a capped exponential backoff. It never throws into the process: every failure is logged
 * and retried. It is also the adapter's {@link ConnectionGate}: sends wait for `ready`.
 *
 * @example
 * const client = await createWwebjsClient({ dataPath: '/var/lib/handover/wwebjs' });
 * const supervisor = new WhatsAppWebSupervisor({ client, lease: stores.lease, leaseName: 'whatsapp-web:main' });
 * const adapter = new WhatsAppWebAdapter({ client, gate: supervisor });
 * adapter.listen((ctx) => bot.run(ctx));
 * supervisor.start();
 * process.on('SIGTERM', () => void supervisor.stop()); // a clean destroy keeps the profile intact
 */
export class WhatsAppWebSupervisor extends EventEmitter<WhatsAppWebSupervisorEvents> implements ConnectionGate {
  private readonly client: WhatsAppWebClient;
  private readonly logger: ChannelLogger;
  private readonly sleep: Sleep;
  private readonly clock: Clock;
  private readonly leaseName: string;
  private readonly holderId: string;
  private readonly leaseTtlMs: number;
  private readonly leaseRetryMs: number;
  private readonly backoff: ReconnectBackoff;
  private readonly readyTimeoutMs: number;
  private currentState: WhatsAppWebConnectionState = 'stopped';
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;
  /** Ends the current session; set while a session runs. */
  private endSession: ((end: SessionEnd) => void) | undefined;
  private readyWaiters: Array<() => void> = [];
  private readonly clientListeners: Array<[string, (...args: unknown[]) => void]> = [];

  constructor(private readonly options: WhatsAppWebSupervisorOptions) {
    super();
    this.client = options.client;
    this.logger = options.logger ?? consoleChannelLogger('whatsapp-web');
    this.sleep = options.sleep ?? realSleep;
    this.clock = options.clock ?? systemClock;
    this.leaseName = options.leaseName ?? 'whatsapp-web:default';
    this.holderId = options.holderId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.leaseTtlMs = options.leaseTtlMs ?? 30_000;
    this.leaseRetryMs = options.leaseRetryMs ?? Math.max(1, Math.floor(this.leaseTtlMs / 3));
    this.backoff = { initialMs: 1000, maxMs: 60_000, factor: 2, ...options.backoff };
    this.readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
  }

  /** Current connection state. @example supervisor.state === 'ready' */
  get state(): WhatsAppWebConnectionState {
    return this.currentState;
  }

  get isReady(): boolean {
    return this.currentState === 'ready';
  }

  /** The id this process uses in the lease. @example supervisor.holder */
  get holder(): string {
    return this.holderId;
  }

  whenReady(signal?: AbortSignal): Promise<void> {
    if (this.isReady || signal?.aborted === true) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        signal?.removeEventListener('abort', done);
        this.readyWaiters = this.readyWaiters.filter((w) => w !== done);
        resolve();
      };
      this.readyWaiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Starts supervising in the background; returns at once. Calling it twice is a no-op. @example supervisor.start() */
  start(): void {
    if (this.loop !== undefined) return;
    this.abort = new AbortController();
    this.attachClientListeners();
    this.loop = this.run(this.abort.signal).catch((e: unknown) => {
      // run() handles its own errors; this is the last line of defence against a crash.
      this.logger.error('whatsapp-web supervisor stopped on an unexpected error', { error: String(e) });
    });
  }

  /**
   * Stops: destroys the client cleanly (an unclean Chromium exit corrupts the saved session) and releases
   * the lease so another process can take over at once.
   *
   * @example
   * await supervisor.stop();
   */
  async stop(): Promise<void> {
    if (this.loop === undefined || this.abort === undefined) return;
    this.abort.abort();
    this.endSession?.({ kind: 'stopped' });
    await this.loop;
    this.loop = undefined;
    this.detachClientListeners();
    this.setState('stopped');
  }

  private setState(s: WhatsAppWebConnectionState): void {
    if (s === this.currentState) return;
    this.currentState = s;
    this.emit('state', s);
    if (s === 'ready') {
      const waiters = this.readyWaiters;
      this.readyWaiters = [];
      for (const w of waiters) w();
    }
  }

  private attachClientListeners(): void {
    const add = <A extends unknown[]>(event: string, fn: (...args: A) => void): void => {
      const safe = (...args: A): void => {
        try {
          fn(...args);
        } catch (e) {
          this.logger.error(`error in the ${event} handler`, { error: String(e) });
        }
      };
      // Overloads are per event name; the wrapper keeps the argument types of its handler.
      (this.client.on as (e: string, l: (...a: A) => void) => unknown).call(this.client, event, safe);
      this.clientListeners.push([event, safe as unknown as (...args: unknown[]) => void]);
    };
    add('qr', (qr: string) => {
      this.setState('qr');
      this.logger.info('scan this QR code with the business phone (WhatsApp > Linked devices)');
      this.printQr(qr);
      this.emit('qr', qr);
    });
    add('authenticated', () => {
      this.setState('authenticated');
      this.logger.info('authenticated; waiting for ready');
      this.emit('authenticated');
    });
    add('auth_failure', (message: string) => {
      this.logger.error('authentication failed; the saved session is invalid, a new QR scan will be needed', { message });
      this.emit('auth_failure', message);
      this.endSession?.({ kind: 'reconnect', reason: `auth_failure: ${message}` });
    });
    add('ready', () => {
      this.setState('ready');
      this.logger.info('ready: WhatsApp session connected');
      this.emit('ready');
    });
    add('disconnected', (reason: string) => {
      this.logger.warn('disconnected', { reason });
      this.emit('disconnected', reason);
      this.endSession?.({ kind: 'reconnect', reason: `disconnected: ${reason}` });
    });
    add('change_state', (state: string) => {
      if (HEALTHY_STATES.has(state)) {
        this.logger.info('connection state changed', { state });
        return;
      }
      this.logger.warn('connection state is not usable; restarting the client', { state });
      this.endSession?.({ kind: 'reconnect', reason: `change_state: ${state}` });
    });
  }

  private detachClientListeners(): void {
    for (const [event, fn] of this.clientListeners.splice(0)) this.client.removeListener(event, fn);
  }

  private printQr(qr: string): void {
    if (this.options.printQr !== undefined) {
      this.options.printQr(qr);
      return;
    }
    // Lazy: the dependency is only needed when a human has to scan.
    import('qrcode-terminal')
      .then((m) => (m.generate ?? (m as unknown as { default: typeof m }).default.generate)(qr, { small: true }))
      .catch((e: unknown) => this.logger.warn('could not print the QR code; use the qr event instead', { error: String(e) }));
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (this.options.lease !== undefined) {
        const got = await this.waitForLease(signal);
        if (!got) break;
      }
      const end = await this.runSessions(signal);
      await this.destroyClient();
      if (end.kind === 'lease_lost') {
        this.emit('lease_lost');
        continue; // back to waiting for the lease; another process probably runs the session now
      }
      break;
    }
    await this.releaseLease();
  }

  /** Polls until the lease is ours; false when stopped first. */
  private async waitForLease(signal: AbortSignal): Promise<boolean> {
    let logged = false;
    while (!signal.aborted) {
      let got = false;
      try {
        got = await this.options.lease!.acquire(this.leaseName, this.holderId, this.leaseTtlMs);
      } catch (e) {
        this.logger.warn('could not reach the lease store; retrying', { error: String(e) });
      }
      if (got) {
        this.logger.info('session lease acquired; this process runs the WhatsApp session', { lease: this.leaseName, holder: this.holderId });
        this.emit('lease_acquired');
        return true;
      }
      this.setState('waiting_for_lease');
      if (!logged) {
        this.logger.info('another process holds the WhatsApp session lease; standing by', { lease: this.leaseName });
        logged = true;
      }
      await this.sleep(this.leaseRetryMs, signal);
    }
    return false;
  }

  /** Runs client sessions with backoff until stopped or the lease is lost. */
  private async runSessions(signal: AbortSignal): Promise<SessionEnd> {
    const sessionAbort = new AbortController();
    const stopRenew = (): void => sessionAbort.abort();
    signal.addEventListener('abort', stopRenew, { once: true });
    let leaseLost = false;
    const lost = new AbortController();
    const renewing = this.options.lease === undefined
      ? Promise.resolve()
      : this.renewLoop(sessionAbort.signal, () => {
          leaseLost = true;
          lost.abort();
          this.endSession?.({ kind: 'lease_lost' });
        });
    let attempt = 0;
    let end: SessionEnd = { kind: 'stopped' };
    try {
      while (!signal.aborted && !leaseLost) {
        end = await this.runOneSession(signal);
        if (end.kind !== 'reconnect') break;
        if (this.wasReady) attempt = 0; // a session that reached ready resets the backoff
        const delayMs = Math.min(this.backoff.maxMs, this.backoff.initialMs * this.backoff.factor ** attempt);
        attempt += 1;
        this.setState('reconnecting');
        this.logger.warn('restarting the WhatsApp client', { reason: end.reason, attempt, delayMs });
        this.emit('reconnecting', { attempt, delayMs, reason: end.reason });
        await this.destroyClient();
        // Woken early by stop() or by losing the lease: neither should wait out a long backoff.
        await this.sleep(delayMs, AbortSignal.any([signal, lost.signal]));
      }
    } finally {
      sessionAbort.abort();
      signal.removeEventListener('abort', stopRenew);
      await renewing;
    }
    return leaseLost ? { kind: 'lease_lost' } : end;
  }

  private wasReady = false;

  private async runOneSession(signal: AbortSignal): Promise<SessionEnd> {
    if (signal.aborted) return { kind: 'stopped' };
    this.wasReady = false;
    const ended = new Promise<SessionEnd>((resolve) => {
      this.endSession = (e) => {
        this.endSession = undefined;
        // Not ready any more from this instant: sends must wait for the next `ready`.
        if (e.kind !== 'stopped' && this.currentState !== 'stopped') this.setState('reconnecting');
        resolve(e);
      };
    });
    const markReady = (): void => {
      this.wasReady = true;
    };
    this.on('ready', markReady);
    const watchdog = new AbortController();
    const onAuthenticated = (): void => {
      if (this.readyTimeoutMs <= 0) return;
      void this.sleep(this.readyTimeoutMs, watchdog.signal).then(() => {
        if (!watchdog.signal.aborted && !this.wasReady) {
          this.logger.warn('authenticated but not ready in time; restarting', { readyTimeoutMs: this.readyTimeoutMs });
          this.endSession?.({ kind: 'reconnect', reason: 'ready timeout' });
        }
      });
    };
    this.on('authenticated', onAuthenticated);
    this.setState('starting');
    this.logger.info('initializing the WhatsApp client');
    this.client.initialize().catch((e: unknown) => {
      this.logger.error('client initialize failed', { error: String(e) });
      this.endSession?.({ kind: 'reconnect', reason: `initialize failed: ${String(e)}` });
    });
    try {
      return await ended;
    } finally {
      watchdog.abort();
      this.off('ready', markReady);
      this.off('authenticated', onAuthenticated);
    }
  }

  private async renewLoop(signal: AbortSignal, onLost: () => void): Promise<void> {
    const lease = this.options.lease!;
    let validUntil = this.clock.now() + this.leaseTtlMs;
    const every = Math.max(1, Math.floor(this.leaseTtlMs / 3));
    while (!signal.aborted) {
      await this.sleep(every, signal);
      if (signal.aborted) return;
      try {
        if (await lease.renew(this.leaseName, this.holderId, this.leaseTtlMs)) {
          validUntil = this.clock.now() + this.leaseTtlMs;
          continue;
        }
        this.logger.error('the WhatsApp session lease was lost (another process took it); closing the client here', { lease: this.leaseName });
        onLost();
        return;
      } catch (e) {
        // The store is unreachable: keep the session only while our last renewal still covers us,
        // since after that another process may legitimately take the lease.
        if (this.clock.now() >= validUntil) {
          this.logger.error('could not renew the session lease before it lapsed; closing the client here', { error: String(e) });
          onLost();
          return;
        }
        this.logger.warn('could not renew the session lease; retrying', { error: String(e) });
      }
    }
  }

  private async destroyClient(): Promise<void> {
    try {
      await this.client.destroy();
    } catch (e) {
      this.logger.warn('client destroy failed (ignored)', { error: String(e) });
    }
  }

  private async releaseLease(): Promise<void> {
    if (this.options.lease === undefined) return;
    try {
      await this.options.lease.release(this.leaseName, this.holderId);
    } catch (e) {
      this.logger.warn('could not release the session lease; it will lapse after its TTL', { error: String(e) });
    }
  }
}
