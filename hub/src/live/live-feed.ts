/**
 * The live WebSocket feed (DESIGN.md, "Live contract"). Updates are coalesced per athlete: an
 * update goes out as soon as a reading arrives if the athlete's last frame is at least
 * 1/maxUpdatesPerSecond old, otherwise it waits for the next reading or a trailing flush. Each
 * frame is serialised once and the same string is written to every screen. A screen whose socket
 * buffer is over the limit skips frames and, once drained, gets a fresh snapshot: stale frames
 * are dropped, never fresh ones, and one slow tablet holds no memory for the others.
 */
import type { WebSocket } from 'ws';

export interface LiveSource {
  /** Current state of every athlete on the live screen. */
  snapshot(): { athletes: unknown[]; session: unknown };
  /** Current state of one athlete, with the time of its newest reading as `t`. */
  athlete(athleteId: string): unknown;
}

interface Screen {
  socket: WebSocket;
  needsSnapshot: boolean;
  framesSent: number;
  framesSkipped: number;
}

export interface LiveFeedOptions {
  maxUpdatesPerSecondPerAthlete: number;
  maxBufferedBytesPerClient: number;
}

export class LiveFeed {
  private readonly screens = new Set<Screen>();
  private readonly source: LiveSource;
  private readonly intervalMs: number;
  private readonly maxBuffered: number;
  private readonly lastSent = new Map<string, number>();
  private readonly pending = new Set<string>();
  private readonly ready = new Set<string>();
  private readonly trailing = new Map<string, NodeJS.Timeout>();
  private flushScheduled = false;
  framesSent = 0;
  framesSkipped = 0;

  constructor(source: LiveSource, options: LiveFeedOptions) {
    this.source = source;
    this.intervalMs = 1000 / options.maxUpdatesPerSecondPerAthlete;
    this.maxBuffered = options.maxBufferedBytesPerClient;
  }

  get screenCount(): number {
    return this.screens.size;
  }

  attach(socket: WebSocket): void {
    const screen: Screen = { socket, needsSnapshot: true, framesSent: 0, framesSkipped: 0 };
    this.screens.add(screen);
    socket.on('close', () => this.screens.delete(screen));
    socket.on('error', () => this.screens.delete(screen));
    this.sendSnapshot(screen);
  }

  /** The engine calls this after every reading that changed an athlete's state. */
  athleteChanged(athleteId: string): void {
    const now = performance.now();
    const last = this.lastSent.get(athleteId) ?? -Infinity;
    if (now - last >= this.intervalMs) {
      this.pending.delete(athleteId);
      this.ready.add(athleteId);
      this.scheduleFlush();
      return;
    }
    this.pending.add(athleteId);
    this.scheduleTrailing(athleteId);
  }

  /** If no newer reading comes to carry a pending change, send it one interval after it was due. */
  private scheduleTrailing(athleteId: string): void {
    if (this.trailing.has(athleteId)) return;
    const last = this.lastSent.get(athleteId) ?? -Infinity;
    const timer = setTimeout(() => {
      this.trailing.delete(athleteId);
      if (!this.pending.has(athleteId)) return;
      // A reading may have sent this athlete since the timer was set; then wait for the next slot.
      if (performance.now() - (this.lastSent.get(athleteId) ?? -Infinity) < this.intervalMs) return this.scheduleTrailing(athleteId);
      this.pending.delete(athleteId);
      this.ready.add(athleteId);
      this.scheduleFlush();
    }, Math.max(0, last + 2 * this.intervalMs - performance.now()));
    timer.unref();
    this.trailing.set(athleteId, timer);
  }

  /** Sends a whole-state message (session started, alert raised) to every screen at once. */
  broadcast(type: string, body: Record<string, unknown>): void {
    this.write(JSON.stringify({ type, sentAt: Date.now(), ...body }));
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Readings from one socket read arrive in one tick; they share one frame.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.ready.size === 0) return;
    const now = performance.now();
    const athletes: unknown[] = [];
    for (const id of this.ready) {
      this.lastSent.set(id, now);
      const state = this.source.athlete(id);
      if (state) athletes.push(state);
    }
    this.ready.clear();
    if (this.screens.size === 0 || athletes.length === 0) return;
    this.write(JSON.stringify({ type: 'athletes', sentAt: Date.now(), athletes }));
  }

  private write(frame: string): void {
    for (const screen of this.screens) {
      if (screen.socket.readyState !== screen.socket.OPEN) continue;
      if (screen.socket.bufferedAmount > this.maxBuffered) {
        screen.needsSnapshot = true;
        screen.framesSkipped++;
        this.framesSkipped++;
        continue;
      }
      if (screen.needsSnapshot) {
        this.sendSnapshot(screen);
        continue;
      }
      screen.socket.send(frame);
      screen.framesSent++;
      this.framesSent++;
    }
  }

  private sendSnapshot(screen: Screen): void {
    screen.needsSnapshot = false;
    screen.socket.send(JSON.stringify({ type: 'snapshot', sentAt: Date.now(), ...this.source.snapshot() }));
    screen.framesSent++;
    this.framesSent++;
  }

  close(): void {
    for (const timer of this.trailing.values()) clearTimeout(timer);
    for (const screen of this.screens) screen.socket.close(1001, 'hub shutting down');
    this.screens.clear();
  }
}
