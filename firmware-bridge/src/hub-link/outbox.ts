/**
 * Delivers one adapter's messages to the hub at QoS 1, in order, never faster than the hub's
 * per-client budget, buffering on disk while the hub is unreachable.
 *
 * While the hub answers, messages wait in memory (the SD card is not written for nothing). When the
 * connection drops, or the memory queue is full, they go to the spool, and from then on every new
 * message is appended behind them until the spool has been replayed. A message leaves the outbox
 * only when the hub acknowledged it; messages in flight when the link dropped are sent again
 * first. Delivery is at least once: a reading the hub stored just before the link dropped, but
 * whose acknowledgement was lost, is sent again.
 */
import type { OutgoingMessage } from './batcher.ts';
import { MqttConnection, type HubEndpoint } from './mqtt-connection.ts';
import { Spool, type SpoolOptions, type SpoolRecord, type SpoolStats } from './spool.ts';

/** Messages awaiting acknowledgement at once; the hub acknowledges each group commit (~10 ms). */
const WINDOW = 64;
/** Messages held in memory while connected before they spill to the spool. */
const MEMORY_QUEUE_LIMIT = 2000;
const PUMP_INTERVAL_MS = 20;
const SPOOL_FLUSH_INTERVAL_MS = 200;
const CLOSE_DRAIN_MS = 2000;

export interface OutboxOptions {
  hub: HubEndpoint;
  clientId: string;
  spool: SpoolOptions;
  maxMessagesPerSecond: number;
}

export interface OutboxStats {
  connected: boolean;
  lastError?: string;
  /** Sent to the hub, and acknowledged by it. */
  published: number;
  acknowledged: number;
  inflight: number;
  /** Waiting to be sent, in memory and on disk. */
  queued: number;
  spool: SpoolStats;
}

interface InFlight {
  message: OutgoingMessage;
  record?: SpoolRecord;
}

export class Outbox {
  readonly #spool: Spool;
  readonly #connection: MqttConnection;
  readonly #rate: number;
  /** Sent once but not acknowledged, older than everything else still waiting. */
  #retry: InFlight[] = [];
  /** Invariant: empty whenever the spool holds records, so the spool is always the newest. */
  #queue: OutgoingMessage[] = [];
  readonly #inflight = new Map<number, InFlight>();
  #nextId = 0;
  #tokens = 0;
  #tokensAt = performance.now();
  readonly #pumpTimer: NodeJS.Timeout;
  readonly #flushTimer: NodeJS.Timeout;
  #published = 0;
  #acknowledged = 0;
  #closed = false;

  constructor(options: OutboxOptions) {
    this.#spool = new Spool(options.spool);
    this.#rate = options.maxMessagesPerSecond;
    this.#connection = new MqttConnection({
      ...options.hub,
      clientId: options.clientId,
      onDisconnect: () => this.#linkLost(),
      onConnect: () => this.#pump(),
    });
    this.#pumpTimer = setInterval(() => this.#pump(), PUMP_INTERVAL_MS);
    this.#pumpTimer.unref();
    this.#flushTimer = setInterval(() => this.#spool.flush(), SPOOL_FLUSH_INTERVAL_MS);
    this.#flushTimer.unref();
  }

  send(message: OutgoingMessage): void {
    if (this.#closed) return;
    if (this.#spool.isEmpty && this.#connection.connected && this.#queue.length < MEMORY_QUEUE_LIMIT) {
      this.#queue.push(message);
      this.#pump();
      return;
    }
    this.#spillQueue();
    this.#spool.append(message);
  }

  stats(): OutboxStats {
    const spool = this.#spool.stats();
    const stats: OutboxStats = {
      connected: this.#connection.connected,
      published: this.#published,
      acknowledged: this.#acknowledged,
      inflight: this.#inflight.size,
      queued: this.#retry.length + this.#queue.length + spool.records - this.#spoolRecordsInFlight(),
      spool,
    };
    if (this.#connection.lastError && !this.#connection.connected) stats.lastError = this.#connection.lastError;
    return stats;
  }

  /** Waits briefly for messages in flight, then keeps everything unsent on disk. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const deadline = performance.now() + CLOSE_DRAIN_MS;
    while (this.#inflight.size > 0 && this.#connection.connected && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    clearInterval(this.#pumpTimer);
    clearInterval(this.#flushTimer);
    await this.#connection.close();
    if (this.#inflight.size > 0) this.#linkLost();
    // Rarely, messages lost in flight are older than records already spooled; they go last rather than nowhere.
    for (const message of [...this.#retry.map((entry) => entry.message), ...this.#queue]) this.#spool.append(message);
    this.#retry = [];
    this.#queue = [];
    this.#spool.flush();
  }

  #spoolRecordsInFlight(): number {
    let n = 0;
    for (const entry of this.#inflight.values()) if (entry.record) n++;
    return n;
  }

  /** Moves the memory queue into the spool, oldest first, so new messages can follow it there. */
  #spillQueue(): void {
    if (this.#queue.length === 0 && (this.#retry.length === 0 || !this.#spool.isEmpty)) return;
    if (this.#spool.isEmpty) {
      for (const entry of this.#retry) this.#spool.append(entry.message);
      this.#retry = [];
    }
    for (const message of this.#queue) this.#spool.append(message);
    this.#queue = [];
  }

  #linkLost(): void {
    const lost = [...this.#inflight.values()];
    this.#inflight.clear();
    this.#spool.rewind();
    // In-flight messages from memory were sent before any spool record still in flight; spool
    // records come back through the rewind.
    this.#retry = [...lost, ...this.#retry].filter((entry) => !entry.record);
    if (this.#spool.isEmpty) this.#spillQueue();
  }

  #next(): InFlight | undefined {
    const retried = this.#retry.shift();
    if (retried) return retried;
    const queued = this.#queue.shift();
    if (queued) return { message: queued };
    const [record] = this.#spool.take(1);
    return record ? { message: record.message, record } : undefined;
  }

  #pump(): void {
    if (!this.#connection.connected) return;
    const now = performance.now();
    const capacity = Math.max(1, this.#rate / 10);
    this.#tokens = Math.min(capacity, this.#tokens + ((now - this.#tokensAt) / 1000) * this.#rate);
    this.#tokensAt = now;
    while (this.#tokens >= 1 && this.#inflight.size < WINDOW) {
      const entry = this.#next();
      if (!entry) return;
      const id = this.#nextId++;
      this.#inflight.set(id, entry);
      this.#tokens -= 1;
      this.#published++;
      const sent = this.#connection.publish(entry.message.topic, entry.message.payload, { qos: 1 }, (err) => {
        if (!this.#inflight.delete(id)) return;
        if (err) {
          // Refused by the broker (not a dropped link): keep it for the next pass rather than lose it.
          this.#retry.unshift(entry);
          return;
        }
        this.#acknowledged++;
        if (entry.record) this.#spool.ack(entry.record);
      });
      if (!sent) {
        this.#linkLost();
        return;
      }
    }
  }
}
