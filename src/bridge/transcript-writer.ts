/**
 * `TranscriptWriter`: the middleware's way into the transcript store. Each conversation has its own
 * lane: its lines are written in the order they were given, one append at a time, and the lines
 * that arrive while an append is in flight go together in the next one (one round trip per batch,
 * as before). Lanes share nothing, so a conversation whose writes fail or are slow never delays
 * another one.
 *
 * A write the store refuses keeps its lines at the head of the lane; they are retried in the
 * background for that conversation only (exponential backoff, `retry.attempts` times), and with
 * the conversation's next line in any case. Past the attempts a `HANDOVER_ERR_TRANSCRIPT_UNWRITTEN`
 * error goes to `onError` (the lines stay and go out with the conversation's next line); past
 * `maxPendingLines` kept lines in one conversation, further lines are refused with the same code.
 * `write` never rejects: a transcript failure must not break the customer's turn.
 *
 * @example
 * const writer = new TranscriptWriter({ store: stores.transcripts, onError: (e) => log.error(e) });
 * await writer.write(id, [{ at: clock.now(), from: 'customer', type: 'message', text: 'hi' }]);
 * writer.pendingLines; // 0 when the store took everything
 */
import { HandoverError } from '../core/errors.js';
import type { ConversationId } from '../core/ids.js';
import type { TranscriptEntry } from '../core/conversation.js';
import type { TranscriptStore } from '../core/ports/transcript-store.js';

/** Options of {@link TranscriptWriter}. */
export interface TranscriptWriterOptions {
  readonly store: TranscriptStore;
  /** Refused writes and lines given up on (never thrown at the caller). */
  readonly onError?: (error: unknown) => void;
  /**
   * Background retries of a refused write, per conversation: at most `attempts` (default 5),
   * waiting `minDelayMs` (default 250) doubled each time up to `maxDelayMs` (default 8000).
   */
  readonly retry?: { readonly attempts?: number; readonly minDelayMs?: number; readonly maxDelayMs?: number };
  /** Lines kept for one conversation while the store refuses them (default 1000). */
  readonly maxPendingLines?: number;
}

/** One conversation's lane: its unwritten lines (oldest first) and what is running for it. */
interface Lane {
  readonly pending: TranscriptEntry[];
  /** The append in flight, if any. */
  inFlight: Promise<void> | null;
  /** The append that will run after `inFlight` with every line pending by then. */
  queued: Promise<void> | null;
  /** Consecutive refused appends. */
  failures: number;
  retryTimer: ReturnType<typeof setTimeout> | null;
  /** Lines refused because the lane was full since the last successful write (reported once per run). */
  refused: number;
}

/**
 * Ordered, batched, per-conversation transcript writes with bounded retries.
 *
 * @example
 * const writer = new TranscriptWriter({ store, retry: { attempts: 3 } });
 * void writer.write(id, [line1]); void writer.write(id, [line2]); // line1 then line2, at most 2 appends
 */
export class TranscriptWriter {
  private readonly lanes = new Map<ConversationId, Lane>();
  private readonly attempts: number;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxPending: number;
  private closed = false;

  constructor(private readonly opts: TranscriptWriterOptions) {
    this.attempts = Math.max(0, opts.retry?.attempts ?? 5);
    this.minDelayMs = Math.max(1, opts.retry?.minDelayMs ?? 250);
    this.maxDelayMs = Math.max(this.minDelayMs, opts.retry?.maxDelayMs ?? 8000);
    this.maxPending = Math.max(1, opts.maxPendingLines ?? 1000);
  }

  /** Lines kept in memory because the store has not taken them yet (0 when all is well and idle). */
  get pendingLines(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.pending.length;
    return n;
  }

  /**
   * Queue `entries` after every earlier line of the conversation and write them (with any lines
   * still pending for it) in one append. Resolves once that append has succeeded or failed; never
   * rejects. With no entries, it retries what is pending.
   */
  write(id: ConversationId, entries: readonly TranscriptEntry[]): Promise<void> {
    let lane = this.lanes.get(id);
    if (lane === undefined) {
      if (entries.length === 0) return Promise.resolve();
      lane = { pending: [], inFlight: null, queued: null, failures: 0, retryTimer: null, refused: 0 };
      this.lanes.set(id, lane);
    }
    const room = this.maxPending - lane.pending.length;
    if (entries.length > room) {
      const kept = Math.max(0, room);
      lane.pending.push(...entries.slice(0, kept));
      lane.refused += entries.length - kept;
      this.report(
        new HandoverError(
          'HANDOVER_ERR_TRANSCRIPT_UNWRITTEN',
          `transcript of conversation ${id}: ${lane.pending.length} lines are already waiting for the store (maxPendingLines ${this.maxPending}); ` +
            `${entries.length - kept} newer line(s) dropped (${lane.refused} since the last successful write). Check the store (Redis) and its connection.`,
        ),
      );
    } else lane.pending.push(...entries);
    return this.schedule(id, lane);
  }

  /** Stop background retries (lines still pending stay in memory; `write` still works). */
  close(): void {
    this.closed = true;
    for (const lane of this.lanes.values()) this.clearRetry(lane);
  }

  /** Run an append now, or chain one behind the running append (which then carries every line pending by its start). */
  private schedule(id: ConversationId, lane: Lane): Promise<void> {
    if (lane.inFlight === null) return this.start(id, lane);
    lane.queued ??= lane.inFlight.then(() => {
      lane.queued = null;
      return this.start(id, lane);
    });
    return lane.queued;
  }

  private start(id: ConversationId, lane: Lane): Promise<void> {
    const run = this.appendPending(id, lane).finally(() => {
      lane.inFlight = null;
      // idle and empty: forget the lane (the map holds only conversations with work)
      if (lane.pending.length === 0 && lane.queued === null && lane.retryTimer === null && this.lanes.get(id) === lane) this.lanes.delete(id);
    });
    lane.inFlight = run;
    return run;
  }

  /** One append of everything pending for the conversation (issued synchronously, so it joins the caller's round trip). */
  private async appendPending(id: ConversationId, lane: Lane): Promise<void> {
    const n = lane.pending.length;
    if (n === 0) return;
    this.clearRetry(lane);
    try {
      await this.opts.store.append(id, ...lane.pending.slice(0, n));
    } catch (e) {
      lane.failures += 1;
      this.report(e);
      if (lane.failures <= this.attempts) this.retryLater(id, lane);
      else if (lane.failures === this.attempts + 1) {
        // said once per run of failures; later attempts (with the conversation's next lines) report only their own error
        this.report(
          new HandoverError(
            'HANDOVER_ERR_TRANSCRIPT_UNWRITTEN',
            `transcript of conversation ${id}: ${lane.pending.length} line(s) not written after ${lane.failures} attempts ` +
              `(last error: ${e instanceof Error ? e.message : String(e)}); they are kept in memory and written with the conversation's next line. ` +
              'Check the store (Redis) and its connection.',
            { cause: e },
          ),
        );
      }
      return;
    }
    // only this lane's single running append removes lines, and only from the head: new lines were pushed behind
    lane.pending.splice(0, n);
    lane.failures = 0;
    lane.refused = 0;
  }

  private retryLater(id: ConversationId, lane: Lane): void {
    if (this.closed) return;
    this.clearRetry(lane);
    const delay = Math.min(this.maxDelayMs, this.minDelayMs * 2 ** (lane.failures - 1));
    lane.retryTimer = setTimeout(() => {
      lane.retryTimer = null;
      if (this.lanes.get(id) === lane) void this.schedule(id, lane);
    }, delay);
    // a retry must not keep a process alive that is otherwise done
    lane.retryTimer.unref?.();
  }

  private clearRetry(lane: Lane): void {
    if (lane.retryTimer === null) return;
    clearTimeout(lane.retryTimer);
    lane.retryTimer = null;
  }

  private report(e: unknown): void {
    try {
      this.opts.onError?.(e);
    } catch {
      // a faulty error hook must not break the writer
    }
  }
}
