import type { Clock } from '../../../core/clock.js';
import type { ChannelLogger } from '../shared/channel-logger.js';
import type { Sleep } from '../shared/sleep.js';
import type { ConnectionGate } from './connection-gate.js';

/** Options of {@link PacedSendQueue}. */
export interface PacedSendQueueOptions<T> {
  /** Minimum gap between two sends to the same chat; WhatsApp bans numbers that burst. */
  readonly minGapMs: number;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly gate: ConnectionGate;
  readonly logger: ChannelLogger;
  /** Performs one send; a rejection is retried. */
  readonly send: (key: string, job: T) => Promise<void>;
  /** Attempts while the connection claims to be ready before giving up on a job. */
  readonly maxAttemptsWhileReady: number;
  /** First retry delay; doubles per attempt, capped at 30 s. */
  readonly retryDelayMs: number;
  /** Told about a job given up after `maxAttemptsWhileReady` failures (never silent). */
  readonly onGiveUp: (key: string, job: T, error: unknown) => void;
}

/**
 * Per-chat FIFO queues: one send at a time per chat, at least `minGapMs` apart, waiting on the
 * connection gate while disconnected. Jobs are never dropped because the connection is down; they are
 * only given up (and reported) after repeated failures while connected, so one bad chat cannot block
 * forever. Chats do not wait for each other.
 *
 * @example
 * const q = new PacedSendQueue<string>({ minGapMs: 1000, clock, sleep: realSleep, gate, logger, send: (chat, text) => client.sendMessage(chat, text).then(() => {}), maxAttemptsWhileReady: 5, retryDelayMs: 1000, onGiveUp: () => {} });
 * q.enqueue('5511@c.us', 'hello');
 * await q.whenIdle();
 */
export class PacedSendQueue<T> {
  private readonly chats = new Map<string, { jobs: T[]; draining: Promise<void> | undefined; lastSentAt: number }>();
  private readonly abort = new AbortController();

  constructor(private readonly opts: PacedSendQueueOptions<T>) {}

  /** Queues `job` for `key`; returns at once (delivery happens in the background, in order). */
  enqueue(key: string, job: T): void {
    let chat = this.chats.get(key);
    if (chat === undefined) {
      chat = { jobs: [], draining: undefined, lastSentAt: Number.NEGATIVE_INFINITY };
      this.chats.set(key, chat);
    }
    chat.jobs.push(job);
    if (chat.draining === undefined) {
      const c = chat;
      c.draining = this.drain(key, c).finally(() => {
        c.draining = undefined;
        // Forget idle chats so the map does not grow with every customer ever served.
        if (c.jobs.length === 0 && this.chats.get(key) === c) this.chats.delete(key);
      });
    }
  }

  /** Number of jobs not yet sent (all chats). */
  get pending(): number {
    let n = 0;
    for (const c of this.chats.values()) n += c.jobs.length;
    return n;
  }

  /** Resolves when every queued job has been sent or given up. */
  async whenIdle(): Promise<void> {
    for (;;) {
      const running = [...this.chats.values()].map((c) => c.draining).filter((p): p is Promise<void> => p !== undefined);
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  /** Stops the workers (pending jobs stay unsent; used at shutdown and by tests). */
  close(): void {
    this.abort.abort();
  }

  private async drain(key: string, chat: { jobs: T[]; lastSentAt: number }): Promise<void> {
    const signal = this.abort.signal;
    let failures = 0;
    while (chat.jobs.length > 0 && !signal.aborted) {
      const job = chat.jobs[0] as T;
      const wait = chat.lastSentAt + this.opts.minGapMs - this.opts.clock.now();
      if (wait > 0) await this.opts.sleep(wait, signal);
      if (!this.opts.gate.isReady) await this.opts.gate.whenReady(signal);
      if (signal.aborted) return;
      try {
        await this.opts.send(key, job);
        chat.lastSentAt = this.opts.clock.now();
        chat.jobs.shift();
        failures = 0;
      } catch (error) {
        // A failure while disconnected is expected: keep the job, wait for `ready`, do not count it.
        if (!this.opts.gate.isReady) {
          this.opts.logger.warn('send failed while disconnected; kept for after reconnect', { chat: key, error: String(error) });
          continue;
        }
        failures += 1;
        if (failures >= this.opts.maxAttemptsWhileReady) {
          chat.jobs.shift();
          failures = 0;
          this.opts.logger.error('send failed repeatedly while connected; giving up on this message', { chat: key, error: String(error) });
          this.opts.onGiveUp(key, job, error);
          continue;
        }
        const delay = Math.min(30_000, this.opts.retryDelayMs * 2 ** (failures - 1));
        this.opts.logger.warn('send failed; retrying', { chat: key, attempt: failures, delayMs: delay, error: String(error) });
        await this.opts.sleep(delay, signal);
      }
    }
  }
}
