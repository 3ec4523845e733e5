/**
 * Publishes each athlete's derived live state back on the broker, on
 * `touchline/v1/athletes/{athleteId}/live` (retained, QoS 0), so Node-RED, Home Assistant or any
 * MQTT tool can use it (DESIGN.md, "Ingest contract"). At most once per second per athlete and only
 * when the state changed: the engine reports a change for every reading, so a change only marks
 * the athlete and the state is serialised once per publish.
 */
import type { Aedes } from 'aedes';
import { LIVE_TOPIC_PREFIX } from '../broker/broker.ts';

export interface RepublishSource {
  athlete(athleteId: string): object | undefined;
  all(): { id: string }[];
}

export function liveTopic(athleteId: string): string {
  return `${LIVE_TOPIC_PREFIX}${athleteId}/live`;
}

export class LiveRepublishService {
  private readonly source: RepublishSource;
  private readonly aedes: Aedes;
  private readonly minIntervalMs: number;
  private readonly lastPayload = new Map<string, string>();
  private readonly lastPublishedAt = new Map<string, number>();
  private readonly waiting = new Map<string, NodeJS.Timeout>();
  private readonly due = new Set<string>();
  private flushScheduled = false;
  published = 0;

  constructor(source: RepublishSource, aedes: Aedes, minIntervalMs = 1000) {
    this.source = source;
    this.aedes = aedes;
    this.minIntervalMs = minIntervalMs;
  }

  /** Publishes every athlete once, so a tool subscribing before any reading still finds the squad. */
  start(): void {
    for (const { id } of this.source.all()) this.athleteChanged(id);
  }

  /** The engine calls this after every change; O(1) while the athlete is already scheduled. */
  athleteChanged(athleteId: string): void {
    if (this.due.has(athleteId) || this.waiting.has(athleteId)) return;
    const wait = (this.lastPublishedAt.get(athleteId) ?? -Infinity) + this.minIntervalMs - performance.now();
    if (wait <= 0) return this.markDue(athleteId);
    const timer = setTimeout(() => {
      this.waiting.delete(athleteId);
      this.markDue(athleteId);
    }, wait);
    timer.unref();
    this.waiting.set(athleteId, timer);
  }

  /** An archived athlete: an empty retained message clears the broker's copy (MQTT 3.1.1 §3.3.1.3). */
  forget(athleteId: string): void {
    clearTimeout(this.waiting.get(athleteId));
    this.waiting.delete(athleteId);
    this.due.delete(athleteId);
    this.lastPublishedAt.delete(athleteId);
    if (this.lastPayload.delete(athleteId)) this.send(athleteId, Buffer.alloc(0));
  }

  close(): void {
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    this.due.clear();
  }

  private markDue(athleteId: string): void {
    this.due.add(athleteId);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // The readings of one socket read (a GNSS batch, several devices) share one publish.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const athleteId of this.due) {
      const state = this.source.athlete(athleteId);
      if (!state) continue;
      const payload = JSON.stringify(state);
      if (payload === this.lastPayload.get(athleteId)) continue;
      this.lastPayload.set(athleteId, payload);
      this.lastPublishedAt.set(athleteId, performance.now());
      this.send(athleteId, Buffer.from(payload));
    }
    this.due.clear();
  }

  private send(athleteId: string, payload: Buffer): void {
    if (this.aedes.closed) return;
    this.published++;
    // Delivery to a tool is best effort (QoS 0); a failure here must never touch the live path.
    this.aedes.publish({ cmd: 'publish', topic: liveTopic(athleteId), payload, qos: 0, retain: true, dup: false }, () => {});
  }
}
