/**
 * One live connection to the hub per screen (DESIGN.md, "Live contract"): a snapshot, then
 * whole-athlete deltas, session changes and alerts. State is fine-grained: each athlete is one
 * entry of a reactive map, replaced only when that athlete changed, so a tile whose athlete did not
 * change is not touched. The connection reconnects by itself with capped, jittered back-off, and a
 * watchdog notices a link that died silently (Wi-Fi gone, hub restarted) even when the socket does
 * not close.
 */
import { SvelteMap } from 'svelte/reactivity';
import { ApiError, bearerToken, get, timeoutSignal } from './api.ts';
import type { Alert, HubSettings, LiveAthlete, LiveFrame, Me, Session } from './types.ts';
import { noteAthleteFrame } from './lag-probe.ts';

export type ConnectionState = 'connecting' | 'live' | 'offline' | 'refused';

export type AthleteListener = (athlete: LiveAthlete, hubTime: number) => void;

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 5_000;
/** With no frame for this long, the watchdog asks the hub whether it is still there. */
const SILENCE_MS = 12_000;
/**
 * Frames arrive dozens of times a second (at 40 athletes about 36, carrying 160 athlete updates;
 * docs/benchmarks.md, "Browser"). `lastFrameAt` and `clockOffsetMs` are reactive, and every
 * write re-runs what reads them (the session clock, the connection badge, "2 min ago" labels): they
 * are written only when they move by at least this much, which those readers cannot show anyway.
 */
const FRAME_TIME_STEP_MS = 500;
const CLOCK_OFFSET_STEP_MS = 250;
const PROBE_TIMEOUT_MS = 3_000;

export class LiveConnection {
  state = $state<ConnectionState>('connecting');
  /** Why the last attempt failed, for the connection badge. */
  problem = $state('');
  readonly athletes = new SvelteMap<string, LiveAthlete>();
  /** Active (unacknowledged) alerts by id. */
  readonly alerts = new SvelteMap<string, Alert>();
  /** The running session, if any. */
  session = $state.raw<Session | null>(null);
  /** The last ended session the hub announced a change to (stopped, notes, RPE). */
  endedSession = $state.raw<Session | null>(null);
  /** Operator settings (names for the wall, default zones); loaded at start, then pushed on change. */
  settings = $state.raw<HubSettings | null>(null);
  /** Local time of the newest frame, to within FRAME_TIME_STEP_MS. */
  lastFrameAt = $state(0);
  /** Hub clock minus this device's clock, from the frames' send times, to within CLOCK_OFFSET_STEP_MS. */
  clockOffsetMs = $state(0);

  private socket: WebSocket | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private failures = 0;
  private probing = false;
  private stopped = true;
  private readonly athleteListeners = new Set<AthleteListener>();
  private readonly alertListeners = new Set<(alert: Alert) => void>();
  private readonly onWake = () => {
    if (this.state !== 'live' && this.state !== 'refused') this.connectNow();
  };

  /** The hub's current time, as this device best knows it. */
  hubNow(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Called for every athlete update, e.g. to append a point to a chart. Returns the unsubscribe. */
  onAthlete(listener: AthleteListener): () => void {
    this.athleteListeners.add(listener);
    return () => this.athleteListeners.delete(listener);
  }

  onAlert(listener: (alert: Alert) => void): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.failures = 0;
    this.state = 'connecting';
    window.addEventListener('online', this.onWake);
    document.addEventListener('visibilitychange', this.onWake);
    this.watchdog = setInterval(() => void this.checkSilence(), 4_000);
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.watchdog);
    window.removeEventListener('online', this.onWake);
    document.removeEventListener('visibilitychange', this.onWake);
    this.closeSocket();
  }

  private url(): string {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const token = bearerToken();
    return `${scheme}://${location.host}/api/live/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  }

  private open(): void {
    if (this.stopped) return;
    this.closeSocket();
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url());
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    let gotFrame = false;
    socket.onmessage = (event) => {
      if (socket !== this.socket) return;
      gotFrame = true;
      this.receive(event.data as string);
    };
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this.socket = null;
      // A socket refused before its first frame may mean the token is no longer valid.
      void this.afterClose(gotFrame);
    };
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onmessage = null;
      socket.onclose = null;
      socket.close();
    }
  }

  private async afterClose(hadFrames: boolean): Promise<void> {
    if (this.stopped) return;
    if (!hadFrames && (await this.refused())) return;
    this.state = 'offline';
    this.problem = hadFrames ? 'Connection to the hub lost' : 'The hub cannot be reached';
    this.scheduleRetry();
  }

  /** True (and stops retrying) when the hub says this screen's sign-in is no longer valid. */
  private async refused(): Promise<boolean> {
    try {
      const me = await get<Me>('/api/auth/me');
      if (!me.setupRequired) return false;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) return false;
    }
    this.state = 'refused';
    this.problem = 'This screen is not signed in';
    this.stop();
    return true;
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.failures++;
    const ceiling = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(this.failures - 1, 6));
    // Jitter: after a hub restart, forty tablets should not all knock in the same millisecond.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private connectNow(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.open();
  }

  /** A silent link is checked with a cheap public probe; a dead hub or Wi-Fi means reconnecting. */
  private async checkSilence(): Promise<void> {
    if (this.stopped || this.probing || this.state !== 'live') return;
    if (Date.now() - this.lastFrameAt < SILENCE_MS) return;
    this.probing = true;
    try {
      const response = await fetch('/api/health/ready', { signal: timeoutSignal(PROBE_TIMEOUT_MS), cache: 'no-store' });
      if (!response.ok) throw new Error(`ready ${response.status}`);
      // The hub is up and simply quiet (no sensor is sending); note it so we probe again later.
      this.lastFrameAt = Date.now();
    } catch {
      if (this.stopped) return;
      this.state = 'offline';
      this.problem = 'The hub stopped answering';
      this.closeSocket();
      this.scheduleRetry();
    } finally {
      this.probing = false;
    }
  }

  private receive(data: string): void {
    let frame: LiveFrame;
    try {
      frame = JSON.parse(data) as LiveFrame;
    } catch {
      return;
    }
    const now = Date.now();
    if (now - this.lastFrameAt >= FRAME_TIME_STEP_MS) this.lastFrameAt = now;
    if (typeof frame.sentAt === 'number') {
      const offset = frame.sentAt - now;
      if (Math.abs(offset - this.clockOffsetMs) >= CLOCK_OFFSET_STEP_MS) this.clockOffsetMs = offset;
    }
    switch (frame.type) {
      case 'snapshot': {
        if (this.failures > 0 || this.settings === null) void this.loadSettings();
        this.failures = 0;
        this.state = 'live';
        this.problem = '';
        const ids = new Set(frame.athletes.map((a) => a.id));
        for (const id of [...this.athletes.keys()]) if (!ids.has(id)) this.athletes.delete(id);
        for (const athlete of frame.athletes) this.updateAthlete(athlete, frame.sentAt);
        this.session = frame.session && frame.session.endedAt === null ? frame.session : null;
        this.alerts.clear();
        for (const alert of frame.alerts ?? []) if (alert.acknowledgedAt === null) this.alerts.set(alert.id, alert);
        break;
      }
      case 'athletes':
        for (const athlete of frame.athletes) this.updateAthlete(athlete, frame.sentAt);
        noteAthleteFrame?.(frame.athletes, frame.sentAt);
        break;
      case 'session': {
        // The hub also announces changes to ended sessions (notes, RPE): those are not running.
        const session = frame.session ?? null;
        if (session && session.endedAt !== null) {
          if (this.session?.id === session.id) this.session = null;
          this.endedSession = session;
        } else this.session = session;
        break;
      }
      case 'settings':
        this.settings = frame.settings;
        break;
      case 'alert':
        if (frame.alert.acknowledgedAt === null) this.alerts.set(frame.alert.id, frame.alert);
        else this.alerts.delete(frame.alert.id);
        for (const listener of this.alertListeners) listener(frame.alert);
        break;
    }
  }

  private updateAthlete(athlete: LiveAthlete, sentAt: number): void {
    this.athletes.set(athlete.id, athlete);
    for (const listener of this.athleteListeners) listener(athlete, sentAt);
  }

  private async loadSettings(): Promise<void> {
    try {
      this.settings = await get<HubSettings>('/api/settings');
    } catch {
      // Names on the wall are a nicety; the snapshot after the next reconnect tries again.
    }
  }

  /** Applies an alert the UI itself changed (acknowledged), before the hub's echo arrives. */
  settleAlert(alert: Alert): void {
    if (alert.acknowledgedAt === null) this.alerts.set(alert.id, alert);
    else this.alerts.delete(alert.id);
  }
}
