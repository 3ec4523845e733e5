/**
 * The screen's side of the measurement: one WebSocket client that stamps every message on receipt
 * (Date.now(), the same clock the load generator stamped `t` with) and records receipt − t for
 * every athlete update whose `t` falls in the measurement window.
 */
import WebSocket from 'ws';

export interface LiveUpdate {
  athlete: number;
  /** Publish time of the newest sample this update reflects (Unix ms). */
  t: number;
}

export interface ReceiverWindowResult {
  /** Athlete updates with t in the window (one per athlete per frame carrying newer data). */
  updates: number;
  latenciesMs: number[];
  messages: number;
}

export interface LiveReceiverOptions {
  url: string;
  /** Extracts the athlete updates of one WebSocket message. */
  parse(data: string): LiveUpdate[];
  /**
   * The hub re-sends an athlete's state when only its signal changes; such an update carries no
   * newer sample. When true, only updates with a newer t than the last one for that athlete count.
   */
  newerOnly: boolean;
}

export class LiveReceiver {
  private readonly options: LiveReceiverOptions;
  private socket: WebSocket | undefined;
  private windowStart = Infinity;
  private windowEnd = -Infinity;
  private current: ReceiverWindowResult = { updates: 0, latenciesMs: [], messages: 0 };
  private readonly newest = new Map<number, number>();
  /** Sees every update while waitForUpdate is waiting for a particular one. */
  private probe: ((update: LiveUpdate) => void) | undefined;

  constructor(options: LiveReceiverOptions) {
    this.options = options;
  }

  async open(): Promise<void> {
    const socket = new WebSocket(this.options.url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.on('error', () => {});
    socket.on('message', (data) => this.receive(data.toString(), Date.now()));
    this.socket = socket;
  }

  private receive(text: string, receivedAt: number): void {
    this.current.messages++;
    for (const update of this.options.parse(text)) {
      this.probe?.(update);
      if (this.options.newerOnly) {
        if (update.t <= (this.newest.get(update.athlete) ?? -Infinity)) continue;
        this.newest.set(update.athlete, update.t);
      }
      if (update.t < this.windowStart || update.t >= this.windowEnd) continue;
      this.current.updates++;
      this.current.latenciesMs.push(receivedAt - update.t);
    }
  }

  /** Starts recording updates whose t is in [windowStart, windowEnd), as the generator counts its window. */
  measure(windowStart: number, windowEnd: number): void {
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
    this.current = { updates: 0, latenciesMs: [], messages: 0 };
  }

  /** Stops recording and returns what the window received. */
  take(): ReceiverWindowResult {
    const result = this.current;
    this.windowStart = Infinity;
    this.windowEnd = -Infinity;
    this.current = { updates: 0, latenciesMs: [], messages: 0 };
    return result;
  }

  /** Resolves with the first update for which `match` is true (used to see a pipeline is live). */
  waitForUpdate(match: (update: LiveUpdate) => boolean, timeoutMs: number): Promise<LiveUpdate> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.probe = undefined;
        reject(new Error(`no matching live update within ${timeoutMs} ms`));
      }, timeoutMs);
      this.probe = (update) => {
        if (!match(update)) return;
        clearTimeout(timer);
        this.probe = undefined;
        resolve(update);
      };
    });
  }

  close(): void {
    this.socket?.close();
  }
}
